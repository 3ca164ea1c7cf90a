"""Headless Chromium `innerText`, the text a person copying the page would get.

Chromium has no innerText dump, so the page gets a script that, after load, replaces
the document by a `<pre>` holding `document.body.innerText`; `--dump-dom` then prints
it.  Each run uses a fresh profile directory and no network features, so it is offline
and reproducible.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import lxml.html

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--run-all-compositor-stages-before-draw",
    "--virtual-time-budget=1000",
    "--dump-dom",
]
ATTEMPTS = 3
HOOK = (
    "<script>window.addEventListener('load',function(){var t=document.body.innerText;"
    "document.documentElement.innerHTML='<body><pre id=\"innertext\"></pre></body>';"
    "document.getElementById('innertext').textContent=t;});</script>"
)


def present() -> bool:
    return shutil.which("chromium") is not None


def _run(cmd: list[str], out: Path, timeout: float) -> bool:
    """Run Chromium in its own process group; on a hang kill the whole group (its helpers
    keep pipes open, so output goes to a file and the group is ended by its id)."""
    with out.open("wb") as sink:
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return False
    return proc.returncode == 0


def render(html: str, variant: int) -> str:
    for attempt in range(ATTEMPTS):
        with tempfile.TemporaryDirectory(prefix="cleanews-chr-") as tmp:
            page = Path(tmp) / "page.html"
            page.write_text(html.replace("</body>", HOOK + "</body>", 1), encoding="utf-8")
            cmd = ["chromium", *FLAGS, f"--user-data-dir={tmp}/profile", page.as_uri()]
            out = Path(tmp) / "dom.html"
            if not _run(cmd, out, 30 + 30 * attempt):
                continue
            dom = lxml.html.document_fromstring(out.read_bytes().decode("utf-8"))
        found = dom.xpath('//pre[@id="innertext"]')
        if found:
            text: str = found[0].text or ""
            return text
    raise RuntimeError(f"chromium gave no innerText in {ATTEMPTS} attempts")


def version() -> str:
    done = subprocess.run(["chromium", "--version"], capture_output=True, check=True, text=True)
    return done.stdout.strip()
