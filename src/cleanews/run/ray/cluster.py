"""Ray itself: importing it only when needed, connecting to a cluster, sizing the actor pool.

This package imports without Ray; Ray is imported when one of its functions runs, and a
missing Ray raises :class:`RayNotInstalled` saying what to install.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

INSTALL_HINT = "pip install 'cleanews[ray]'"

BATCH_SIZE = 16
"""Pages per call of an actor: small, so that a few long pages don't hold up a whole block."""

BLOCKS_PER_ACTOR = 4
"""Blocks of input per actor: every actor gets several, and blocks stay cheap."""


class RayNotInstalled(ImportError):
    """Ray (or pyarrow) is not installed: the message says how to install the extra."""


class RayEngineError(RuntimeError):
    """The job cannot run on Ray (no cluster at the address, a lost row...); the message says why."""


def import_ray() -> Any:
    """Import Ray, Ray Data and pyarrow, or raise :class:`RayNotInstalled` with the fix."""
    try:
        import pyarrow  # noqa: F401
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise RayNotInstalled(
            f"running cleanews on Ray needs the ray extra ({exc.msg}); install it with: {INSTALL_HINT}"
        ) from exc
    return ray


def import_pyarrow() -> Any:
    """Import pyarrow, or raise :class:`RayNotInstalled` with the fix."""
    try:
        import pyarrow
    except ImportError as exc:
        raise RayNotInstalled(
            f"cleanews' Ray engine needs pyarrow ({exc.msg}); install it with: {INSTALL_HINT}"
        ) from exc
    return pyarrow


def cluster_cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def pool_size(ray: Any, num_workers: int | None) -> int:
    """Actors to start: as asked, or one per CPU; warn when the cluster has fewer CPUs now."""
    cpus = cluster_cpus(ray)
    if num_workers and num_workers > cpus:
        logger.warning(
            "%d workers asked for and the cluster has %d CPUs now: the pool starts when it grows (autoscaling)",
            num_workers,
            cpus,
        )
    return num_workers or cpus


def rows_per_block(n: int, workers: int) -> int:
    """Enough blocks that every actor gets several, few enough that blocks stay cheap."""
    return max(1, min(BATCH_SIZE * BLOCKS_PER_ACTOR, math.ceil(n / (workers * BLOCKS_PER_ACTOR))))


@contextmanager
def connected(address: str | None = None, num_cpus: int | None = None) -> Iterator[Any]:
    """Ray, connected: to the cluster at ``address``, or a new local one when None.

    When Ray is already initialised in this process (you called ``ray.init`` yourself,
    say with a ``runtime_env``), that connection is used and left open; otherwise it is
    shut down on leaving. ``num_cpus`` sizes a new local cluster (default: all cores).
    """
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    kwargs: dict[str, Any] = {"include_dashboard": False}
    if address is None:
        # Logical CPUs: at least one per actor asked for, or the pool would wait forever.
        kwargs["num_cpus"] = max(os.cpu_count() or 1, num_cpus or 0)
    try:
        ray.init(address=address, **kwargs)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray cluster"
        raise RayEngineError(f"cannot start or reach {where}: {exc}") from exc
    try:
        yield ray
    finally:
        ray.shutdown()


@contextmanager
def run_settings(ray: Any) -> Iterator[None]:
    """Rows in input order (Ray Data may reorder them otherwise); Ray Data's log of its
    progress only when cleanews logs at INFO (``cleanews -v``), its warnings always."""
    ctx = ray.data.DataContext.get_current()
    before = ctx.execution_options.preserve_order
    data_logger = logging.getLogger("ray.data")
    level = data_logger.level
    ctx.execution_options.preserve_order = True
    if not logger.isEnabledFor(logging.INFO):
        data_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        ctx.execution_options.preserve_order = before
        data_logger.setLevel(level)
