"""Sweeps: a local sweep equals the command line's files; a Ray sweep over a two-node
cluster equals the local one, rows from both nodes, a lost task retried."""

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import gigafactory as gf
from conftest import ROOT, SCENARIOS, missing

SPEC = ROOT / "examples" / "sweep" / "eu-economics.toml"
PLANS = ["eu-investai", "eu-ai-factories"]

# A small simulated plan with uncertain demand and price: every point runs jobs.
SMALL = [Path(__file__).parent / "small-uncertainties.toml", SCENARIOS / "two-tenants.toml"]


def test_a_local_sweep_equals_the_command_lines(cli, tmp_path):
    out = tmp_path / "out"
    cli("sweep", SPEC, *PLANS, "--samples", "20", "--unsimulated", "--out", out, "--quiet")
    r = gf.sweep(SPEC, PLANS, samples=20, unsimulated=True, swings=True)
    assert r.table.equals(pq.read_table(out / "sweep.parquet"))
    assert r.summary == json.loads((out / "summary.json").read_text())
    assert r.table.num_rows == 40
    assert r.to_polars().height == 40


def test_sweep_errors_are_scenario_errors(tmp_path):
    with pytest.raises(gf.ScenarioError) as e:
        gf.sweep(SPEC, samples=4)
    assert "no plan" in str(e.value)
    bad = tmp_path / "bad.toml"
    bad.write_text(SPEC.read_text().replace('path = "economics.rent_change_per_year"',
                                            'path = "economics.rent_chnage_per_year"'))
    with pytest.raises(gf.ScenarioError) as e:
        gf.sweep(bad, PLANS, samples=4, unsimulated=True)
    assert e.value.problems and all(p["line"] for p in e.value.problems)
    with pytest.raises(gf.ScenarioError):
        gf.sweep(SPEC, PLANS, samples=4, design="grid")
    with pytest.raises(ValueError):
        gf.sweep(SPEC, PLANS, samples=4, unsimulated=True, engine="spark")


def test_a_ray_sweep_on_two_nodes_equals_the_local_sweep(tmp_path):
    try:
        import ray
        from ray.cluster_utils import Cluster
    except ImportError:
        missing("Ray is not installed: pip install './crates/gigafactory-py[ray]'")
    local = gf.sweep(SMALL[0], SMALL[1:], samples=6, seeds=2)
    assert local.table.num_rows == 12
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    try:
        ray.init(address=cluster.address, include_dashboard=False, log_to_driver=False)
        marker = str(tmp_path / "failed-once")
        r = gf.sweep(SMALL[0], SMALL[1:], samples=6, seeds=2, engine="ray", batch=2, _fail_once=marker)
        # The first batch's worker died once and Ray ran it again.
        assert os.path.exists(marker)
        assert r.table.equals(local.table)
        assert r.summary == local.summary
        assert len(r.nodes) == 12
        assert len(set(r.nodes)) == 2, "rows from both nodes"
    finally:
        ray.shutdown()
        cluster.shutdown()
