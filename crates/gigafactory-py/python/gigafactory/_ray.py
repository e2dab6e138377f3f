"""Sweeps on a Ray cluster: the points in batches, one Ray task of one CPU per batch, each
task calling the Rust core on its node; the rows put together by the function a local
sweep uses, so that the result equals a local sweep's."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Sequence, Tuple


def _batch_size(points: int, cpus: int) -> int:
    # About four batches per CPU: enough to balance uneven points and to lose little to
    # a retried task, few enough that a task's overhead (milliseconds) is shared by many
    # points.
    return max(1, -(-points // max(1, 4 * cpus)))


def sweep_on_ray(
    args: Sequence[str],
    options: Dict[str, Any],
    swings: bool,
    batch: Optional[int],
    fail_once: Optional[str],
) -> Tuple[Any, str, List[str]]:
    try:
        import ray
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise ImportError(
            "engine=\"ray\" needs Ray: pip install './crates/gigafactory-py[ray]'"
        ) from e
    from . import _core

    if not ray.is_initialized():
        ray.init()
    n = _core.sweep_points(list(args), options)
    size = batch or _batch_size(n, int(ray.cluster_resources().get("CPU", 1)))
    # One core per task: the cluster's CPUs are the parallelism.
    task_options = dict(options, threads=1)

    @ray.remote(num_cpus=1, max_retries=3)
    def points(indices: List[int]) -> Tuple[str, List[str]]:
        if fail_once is not None and indices and indices[0] == 0:
            # Test hook: the worker computing the first batch dies the first time, as a
            # lost node would; Ray runs the task again.
            try:
                fd = os.open(fail_once, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                os.close(fd)
                os._exit(1)
            except FileExistsError:
                pass
        node = ray.get_runtime_context().get_node_id()
        return node, _core.sweep_evaluate(list(args), task_options, indices)

    batches = [list(range(i, min(n, i + size))) for i in range(0, n, size)]
    results = ray.get([points.remote(b) for b in batches])
    rows: List[str] = []
    node_of: List[str] = []
    for node, rs in results:
        rows.extend(rs)
        node_of.extend([node] * len(rs))
    table, summary = _core.sweep_assemble(list(args), options, rows, swings)
    # Rows came in point order (batches are consecutive and ray.get keeps their order),
    # which is the table's order.
    return table, summary, node_of
