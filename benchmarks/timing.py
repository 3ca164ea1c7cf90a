"""How the speed benchmark times things: CPU pinning, child processes, spreads, targets.

Kept apart from ``speed.py`` so that the sections there read as what is measured, and
this file as how.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import common

THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "BLIS_NUM_THREADS",
)
MAXRSS_SCALE = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux


def one_thread_pools() -> set[int] | None:
    """Every native thread pool at one thread (call before numpy is imported); the CPUs allowed."""
    for var in THREAD_VARS:
        os.environ[var] = "1"
    return set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None


def pin_one_core(all_cpus: set[int] | None, cpu: int | None) -> str:
    """Pin this process (and so its children) to one CPU; say which."""
    if all_cpus is None:
        return "CPU affinity not available on this system: not pinned (thread pools at 1 thread)"
    chosen = cpu if cpu is not None else max(all_cpus)
    os.sched_setaffinity(0, {chosen})
    return f"pinned to CPU {chosen} of {sorted(all_cpus)}; {', '.join(THREAD_VARS[:3])}... = 1"


def cpu_seconds() -> float:
    """CPU time of this process (user + system): what a pass costs, whatever else the machine runs."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


@dataclass(frozen=True)
class Spread:
    """min / median / max of a few measurements."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(tuple(values))

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def max(self) -> float:
        return max(self.values)

    def cells(self) -> list[float]:
        return [self.min, self.median, self.max]


@dataclass(frozen=True)
class Target:
    """One figure of issue 17 beside its target."""

    figure: str
    value: float | None
    target: float
    at_least: bool  # True: the value must reach the target; False: stay under it
    unit: str = ""
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return self.value >= self.target if self.at_least else self.value <= self.target

    def row(self) -> list[object]:
        sign = ">=" if self.at_least else "<="
        verdict = {True: "met", False: "NOT met", None: "not measured"}[self.met]
        value = None if self.value is None else f"{self.value:.3g}{self.unit}"
        return [self.figure, value, f"{sign} {self.target:g}{self.unit}", verdict, self.note]


def targets_table(targets: Sequence[Target]) -> str:
    return common.table(["figure", "measured", "target", "", "how"], [t.row() for t in targets])


# -- child processes ---------------------------------------------------------------------
# On Linux a child's ru_maxrss starts from its parent's peak RSS at fork (the parent's
# high-water mark is folded in at exec), so a child of this large process would report
# our memory, not its own. A small launcher process in between resets it: the launcher
# runs the command and reports the wall time, CPU time and peak RSS of that command
# (its own and its children's: worker processes count).
_LAUNCHER = """
import json, os, resource, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)  # stderr passes through
out = proc.stdout.read()
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - t0
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "code": os.waitstatus_to_exitcode(status), "maxrss": usage.ru_maxrss,
                  "cpu": kids.ru_utime + kids.ru_stime, "stdout": out.decode("utf-8", "replace")}))
"""


def launch(
    cmd: Sequence[str], all_cpus: set[int] | None = None, timeout: float | None = None, env: dict | None = None
) -> dict:
    """Run cmd through the launcher: wall and CPU seconds, exit code, peak RSS in bytes, stdout.

    ``all_cpus``: the CPUs the command may use (default: this process's, one when pinned).
    """

    def widen() -> None:
        if all_cpus is not None:
            os.sched_setaffinity(0, all_cpus)

    proc = subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER, *cmd],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=common.ROOT,
        env=env,
        preexec_fn=widen if all_cpus else None,
        start_new_session=True,  # its own process group, so a timeout can stop the command too
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd, out, err)
    r = json.loads(out.strip().splitlines()[-1])
    if r["code"]:
        raise subprocess.CalledProcessError(r["code"], cmd, r["stdout"], err)
    r["maxrss"] *= MAXRSS_SCALE
    r["stderr"] = err
    return r


def load_note() -> str:
    """A warning when other work on the machine makes wall times unreliable."""
    if not hasattr(os, "getloadavg"):
        return ""
    load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    if load <= 0.75 * cpus:
        return ""
    return (
        f"note: load average {load:.1f} on {cpus} CPUs: the machine is busy, so wall times here are inflated;"
        " CPU times are the\nbetter estimate of an idle core (a single-threaded process on an idle core takes"
        " its CPU time in wall time)."
    )
