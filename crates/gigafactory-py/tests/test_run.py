"""`gigafactory.run` and the one-shot functions: the same figures as the command line,
tables with the documented columns and types that equal the files, errors with places."""

import json
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import gigafactory as gf
from conftest import SCENARIOS

SMALL = SCENARIOS / "two-tenants.toml"


def cli_summary(cli, *args):
    s = json.loads(cli("run", *args, "--json").stdout)
    del s["scenario_source"]
    return s


def test_imports_and_names_the_builtins():
    assert gf.__version__
    assert {"eu-investai", "eu-ai-factories", "frontier-lab"} <= set(gf.builtin_scenarios())


def test_a_small_scenario_gives_the_command_lines_summary(cli):
    r = gf.run(SMALL)
    assert r.simulated
    assert r.summary == cli_summary(cli, SMALL)
    assert "scenario_source" not in r.summary


def test_the_builtin_default_gives_the_command_lines_summary(cli):
    # The default's first months (its first phase comes online at the start), sampled
    # as `run` samples it.
    r = gf.run("eu-investai", until="2027-10-01", keep_jobs=False)
    assert r.summary == cli_summary(cli, "eu-investai", "--until", "2027-10-01")
    assert r.jobs is None


def test_seed_sample_and_text_and_dict_forms():
    text = SMALL.read_text()
    a = gf.run(text)
    b = gf.run(SMALL)
    assert a.summary == b.summary
    c = gf.run(SMALL, seed=8)
    assert c.summary["jobs_submitted"] != b.summary["jobs_submitted"]
    assert gf.run(SMALL, sample="full").summary == b.summary
    # A dict, as a TOML reader gives the file.
    tomllib = pytest.importorskip("tomllib")
    assert gf.run(tomllib.loads(text)).summary == b.summary
    # 1 in 2 would leave the phase too small for the tenants' 64-GPU jobs.
    with pytest.raises(gf.ScenarioError, match="1 in 2"):
        gf.run(SMALL, sample="2")


EXPECTED = {
    "jobs": {
        "job_id": pa.uint64(), "tenant": pa.string(), "site": pa.string(),
        "submit_s": pa.int64(), "start_s": pa.int64(), "end_s": pa.int64(),
        "gpus": pa.int32(), "wait_s": pa.int64(), "interruptions": pa.int32(),
        "preemptions": pa.int32(), "queued_s": pa.int64(), "outcome": pa.string(),
        "recorded_outcome": pa.string(), "kind": pa.string(),
    },
    "years": {
        "year": pa.int64(), "gpus_online": pa.float64(), "jobs_refused": pa.uint64(),
        "utilization": pa.float64(), "co2_t": pa.float64(),
        "largest_run_frontier_date": pa.string(),
    },
    "tenants": {
        "tenant": pa.string(), "jobs_submitted": pa.uint64(), "jobs_completed": pa.uint64(),
        "jobs_withdrawn": pa.uint64(), "jobs_rejected": pa.uint64(),
        "jobs_unfinished": pa.uint64(), "wait_s_p95": pa.float64(),
        "served_gpu_hours": pa.float64(),
    },
    "timeseries": {"hour_start": pa.timestamp("ms", tz="UTC"), "hours_from_start": pa.int32(),
                   "site": pa.string()},
}


def test_tables_have_the_documented_columns_and_equal_the_files(cli, tmp_path):
    r = gf.run(SMALL)
    for name, columns in EXPECTED.items():
        t = getattr(r, name)
        assert isinstance(t, pa.Table), name
        for col, ty in columns.items():
            assert t.schema.field(col).type == ty, (name, col)
    cli("run", SMALL, "--out", tmp_path)
    assert r.jobs.equals(pq.read_table(tmp_path / "jobs.parquet"))
    assert r.timeseries.equals(pq.read_table(tmp_path / "timeseries.parquet"))
    for name in ("years", "tenants"):
        t = getattr(r, name)
        f = pacsv.read_csv(
            tmp_path / f"{name}.csv",
            convert_options=pacsv.ConvertOptions(column_types=t.schema),
        )
        assert t.column_names == f.column_names, name
        assert t.equals(f.cast(t.schema)), name
    # Identities: the tenants' jobs add up; the tenants' hours are the facility's.
    ten = r.tenants.to_pylist()
    for row in ten:
        assert row["jobs_submitted"] == (
            row["jobs_completed"] + row["jobs_withdrawn"] + row["jobs_rejected"] + row["jobs_unfinished"]
        )
    # The job table has a row per job that ended: completed, withdrawn or refused.
    ended = r.jobs.group_by("outcome").aggregate([("job_id", "count")]).to_pylist()
    ended = {e["outcome"]: e["job_id_count"] for e in ended}
    assert ended.get("completed", 0) == sum(row["jobs_completed"] for row in ten)
    assert ended.get("withdrawn", 0) == sum(row["jobs_withdrawn"] for row in ten)
    assert ended.get("rejected", 0) == sum(row["jobs_rejected"] for row in ten)
    assert r.jobs.num_rows == sum(row["jobs_submitted"] - row["jobs_unfinished"] for row in ten)
    served = sum(row["served_gpu_hours"] for row in ten)
    assert served == pytest.approx(sum(r.summary["gpu_hours_by_kind"].values()), rel=1e-9)
    assert sum(r.years.column("served_gpu_hours").to_pylist()) == pytest.approx(served, rel=1e-9)


def test_conveniences():
    r = gf.run(SMALL)
    assert list(r.to_pandas("tenants")["tenant"]) == ["academia", "start-ups"]
    assert r.to_polars("years").height == 1
    assert "<table>" in r._repr_html_() and "<code>.jobs</code>" in r._repr_html_()
    assert "<code>.jobs</code>" not in gf.run(SMALL, keep_jobs=False)._repr_html_()
    assert "two-tenants" in repr(r)
    assert r.report_html().lower().startswith("<!doctype html>")
    with pytest.raises(ValueError):
        r.table("nope")


def test_invalid_input_raises_scenario_error_with_places(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(SMALL.read_text().replace("count = 64", 'count = "64"'))
    with pytest.raises(gf.ScenarioError) as e:
        gf.run(bad)
    problems = e.value.problems
    assert len(problems) == 1
    p = problems[0]
    assert p["file"] == str(bad)
    assert p["field"] == "build[0].count"
    line = bad.read_text().splitlines().index('count = "64"') + 1
    assert (p["line"], p["column"]) == (line, 9)
    assert "integer" in p["message"]
    # The text is the command line's.
    out = cli("validate", bad, check=False)
    assert out.returncode == 2
    assert str(e.value) == out.stderr
    # A dict and TOML text are named as such.
    with pytest.raises(gf.ScenarioError) as e:
        gf.run({"name": "x", "start": "2027-01-01", "years": 0})
    assert all(p["file"] == "<scenario: dict>" for p in e.value.problems)
    with pytest.raises(gf.ScenarioError) as e:
        gf.validate("no-such-plan.toml")
    assert "nor is it a built-in scenario" in str(e.value)
    with pytest.raises(gf.ScenarioError):
        gf.run(SMALL, sample="0")
    with pytest.raises(gf.ScenarioError):
        gf.run(SMALL, until="someday")
    with pytest.raises(TypeError):
        gf.run(42)


def test_validate_compare_optimize_catalog_schema(cli, tmp_path):
    assert gf.validate(SMALL, "eu-investai") == [str(SMALL), "eu-investai (built-in)"]
    c = gf.compare([SMALL, SCENARIOS / "trace.toml"])
    cli_json = json.loads(cli("compare", SMALL, SCENARIOS / "trace.toml", "--json").stdout)
    assert c.summary == cli_json
    assert c.table.num_rows == 2
    plan = gf.optimize(SCENARIOS.parents[3] / "examples" / "optimize-eu.toml")
    assert "[[build]]" in plan
    assert gf.validate(plan)
    cat = gf.catalog()
    acc = cat["accelerators"]
    assert "B200" in acc.column("id").to_pylist()
    assert set(cat) == {"accelerators", "countries", "sites", "rents"}
    assert gf.schema()["title"]
    assert "properties" in gf.schema("summary")


def test_the_core_runs_without_the_interpreter():
    # Another Python thread goes on while a run works.
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.01)

    t = threading.Thread(target=tick)
    t.start()
    start = len(ticks)
    gf.run("eu-investai", until="2027-09-01", keep_jobs=False)
    stop.set()
    t.join()
    assert len(ticks) - start > 10


def test_ctrl_c_interrupts_a_long_run():
    code = textwrap.dedent(
        """
        import sys, time, gigafactory as gf
        print("started", flush=True)
        t = time.monotonic()
        try:
            gf.run("eu-investai", keep_jobs=False)
        except KeyboardInterrupt:
            print(f"interrupted {time.monotonic() - t:.1f}", flush=True)
            sys.exit(0)
        print("finished", flush=True)
        """
    )
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "started"
    time.sleep(3)
    sent = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=60)
    assert p.returncode == 0, out
    assert out.startswith("interrupted"), out
    # Stopped within seconds of Ctrl-C (a whole run takes minutes).
    assert time.monotonic() - sent < 15


def test_prices_give_revenue_and_subsidy_in_the_tables():
    r = gf.run(SMALL.read_text() + "\n[prices]\nacademia = 0\nstartup_sme = 1.25\n")
    p = r.summary["pricing"]
    tenants = r.tenants.to_pylist()
    assert [t["price_eur_per_gpu_hour"] for t in tenants] == [0.0, 1.25]
    for t in tenants:
        assert t["revenue_eur"] == t["price_eur_per_gpu_hour"] * t["served_gpu_hours"]
    assert sum(t["revenue_eur"] for t in tenants) == pytest.approx(p["revenue_eur"], rel=1e-9)
    years = r.years.to_pylist()
    assert sum(y["revenue_eur"] for y in years) == pytest.approx(p["revenue_eur"], rel=1e-9)
    for y in years:
        assert y["capex_eur"] + y["opex_eur"] == pytest.approx(y["revenue_eur"] + y["subsidy_eur"])
    assert p["cost_eur"] == pytest.approx(p["revenue_eur"] + p["subsidy_eur"])
    # Without prices the columns are there, empty.
    plain = gf.run(SMALL)
    assert plain.tenants.column("revenue_eur").null_count == plain.tenants.num_rows
    assert "pricing" not in plain.summary


def test_calls_give_a_projects_table_equal_to_the_file(cli, tmp_path):
    # The two-tenant scenario with its first tenant's time through a call of given
    # proposals: the accepted set is in the summary and the table, which equals projects.csv.
    text = SMALL.read_text()
    first = text.index("[[tenant]]")
    second = text.index("[[tenant]]", first + 1)
    tenant = text[first:second]
    name = tenant.split('name = "', 1)[1].split('"', 1)[0]
    # The call's tenant states no demand of its own.
    bare = "\n".join(
        l for l in tenant.splitlines() if not l.startswith(("load", "demand_h100_hours_per_year"))
    )
    call = textwrap.dedent(
        f"""
        [[call]]
        name = "access"
        tenant = "{name}"
        every_months = 6
        share = 0.3
        rule = "smallest_first"
        [[call.proposal]]
        name = "big"
        h100_hours = 1.0e9
        [[call.proposal]]
        name = "small"
        h100_hours = 1.0
        """
    )
    scenario = tmp_path / "calls.toml"
    scenario.write_text(text[:first] + bare + "\n" + text[second:] + call)
    r = gf.run(scenario)
    c = r.summary["calls"]["calls"][0]
    assert (c["tenant"], c["proposals"], c["accepted"]) == (name, 2 * c["rounds"], c["rounds"])
    p = r.projects
    assert p.schema.field("accepted").type == pa.bool_()
    assert p.column("accepted").to_pylist() == [False, True] * c["rounds"]
    assert sum(p.column("awarded_h100_hours").to_pylist()) == pytest.approx(c["awarded_h100_hours"])
    cli("run", scenario, "--out", tmp_path / "out")
    f = pacsv.read_csv(
        tmp_path / "out" / "projects.csv",
        convert_options=pacsv.ConvertOptions(column_types=p.schema),
    )
    assert p.equals(f.cast(p.schema))
    assert gf.run(SMALL).projects is None
