"""What Ray costs per point: the same sweeps run locally (the Rust core's threads) and on
a one-node Ray cluster of the same cores, as points per second. Two kinds of point: the
EU plans at assumed utilisation (no jobs: a fraction of a millisecond each, so the
overhead shows whole) and a small simulated plan (a year of 64 GPUs, ~0.3 s each).

    python crates/gigafactory-py/bench/ray_overhead.py [--cpus 2]

Run from the repository's root after `pip install './crates/gigafactory-py[ray]'`."""

import argparse
import time
from pathlib import Path

import ray

import gigafactory as gf

ROOT = Path(__file__).resolve().parents[3]
def timed(f, repeat=3):
    """The result and the fastest of `repeat` runs, seconds (after one run not timed)."""
    r = f()
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        r = f()
        best = min(best, time.perf_counter() - t)
    return r, best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cpus", type=int, default=2)
    a = ap.parse_args()
    cases = [
        ("EU plans, assumed utilisation", str(ROOT / "examples/sweep/eu-economics.toml"),
         ["eu-investai", "eu-ai-factories"], dict(samples=1000, unsimulated=True)),
        ("small plan, simulated", str(ROOT / "crates/gigafactory-py/tests/small-uncertainties.toml"),
         [str(ROOT / "crates/gigafactory-cli/tests/scenarios/two-tenants.toml")],
         dict(samples=20, seeds=2)),
    ]
    ray.init(num_cpus=a.cpus, include_dashboard=False, log_to_driver=False)
    try:
        for name, spec, plans, kw in cases:
            local, t_local = timed(lambda: gf.sweep(spec, plans, threads=a.cpus, **kw))
            remote, t_ray = timed(lambda: gf.sweep(spec, plans, engine="ray", **kw))
            assert remote.table.equals(local.table)
            n = local.table.num_rows
            print(
                f"{name}: {n} points; local {n / t_local:,.0f} points/s, "
                f"Ray {n / t_ray:,.0f} points/s; Ray's overhead "
                f"{(t_ray - t_local) / n * 1000:.2f} ms per point"
            )
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()
