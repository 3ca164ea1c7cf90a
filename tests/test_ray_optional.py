"""Without the ray extra, cleanews imports as usual and the Ray engine says what to install."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
sys.modules["ray"] = None          # as if Ray were not installed
sys.modules["pyarrow"] = None
import cleanews.run.ray as engine
for call in (lambda: engine.clean_folder_with_ray(".", "out.jsonl"),
             lambda: engine.run_clean_on_ray(["."], None, "text", None),
             lambda: engine.PageCleaner()):
    try:
        call()
    except engine.RayNotInstalled as exc:
        assert isinstance(exc, ImportError)
        print(exc)
    else:
        raise SystemExit("no error")
"""


def test_engine_imports_without_ray_and_names_the_extra(tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3
    assert all("pip install 'cleanews[ray]'" in line for line in lines)
    assert not list(tmp_path.iterdir())  # nothing was written
