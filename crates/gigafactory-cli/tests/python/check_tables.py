"""Load a run's Parquet files with pyarrow, pandas, polars and DuckDB and check them
against its summary.json: row counts, column types and totals.

Usage: python3 check_tables.py OUT_DIR
Exits non-zero, naming what differs, on any mismatch.
"""

import json
import math
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq

out = Path(sys.argv[1])
summary = json.loads((out / "summary.json").read_text())
sim = summary["simulation"]
problems = []


def check(what, got, want):
    if got != want:
        problems.append(f"{what}: got {got!r}, expected {want!r}")


def close(what, got, want, rel=1e-9):
    if not math.isclose(got, want, rel_tol=rel, abs_tol=1e-9):
        problems.append(f"{what}: got {got!r}, expected {want!r}")


if "sampling" in sim:
    sys.exit("check_tables.py needs an unsampled run (--sample full)")

jobs_path = out / "jobs.parquet"
series_path = out / "timeseries.parquet"
ended = sim["jobs_completed"] + sim["jobs_withdrawn"] + sim["jobs_rejected"]
sites = [s["name"] for s in sim["sites"]]
tenants = [t["name"] for t in sim["tenants"]]
hours = sim["simulated_s"] // 3600
series_rows = hours * len(sites)
series_cols = (
    ["hour_start", "hours_from_start", "site", "gpus_online", "gpus_allocated", "gpus_serving"]
    + ["it_power_mw", "facility_power_mw", "energy_mwh", "electricity_cost_eur", "co2_t"]
    + [f"queued_jobs_{t}" for t in tenants]
    + [f"queued_gpus_{t}" for t in tenants]
)

# pyarrow: the schema as written.
jobs_schema = {f.name: str(f.type) for f in pq.read_schema(jobs_path)}
check(
    "pyarrow jobs schema",
    jobs_schema,
    {
        "job_id": "uint64",
        "tenant": "string",
        "site": "string",
        "submit_s": "int64",
        "start_s": "int64",
        "end_s": "int64",
        "gpus": "int32",
        "wait_s": "int64",
        "interruptions": "int32",
        "preemptions": "int32",
        "queued_s": "int64",
        "outcome": "string",
        "recorded_outcome": "string",
        "kind": "string",
    },
)
check("pyarrow jobs rows", pq.read_metadata(jobs_path).num_rows, ended)
series_schema = pq.read_schema(series_path)
check("pyarrow series columns", series_schema.names, series_cols)
check("pyarrow hour_start type", str(series_schema.field("hour_start").type), "timestamp[ms, tz=UTC]")
check("pyarrow series rows", pq.read_metadata(series_path).num_rows, series_rows)

# pandas.
jobs = pd.read_parquet(jobs_path)
check("pandas jobs rows", len(jobs), ended)
check("pandas job_id dtype", str(jobs["job_id"].dtype), "uint64")
check("pandas gpus dtype", str(jobs["gpus"].dtype), "int32")
check("pandas wait_s dtype", str(jobs["wait_s"].dtype), "int64")
check("pandas completed", int((jobs["outcome"] == "completed").sum()), sim["jobs_completed"])
check("pandas withdrawn", int((jobs["outcome"] == "withdrawn").sum()), sim["jobs_withdrawn"])
check("pandas tenants", sorted(jobs["tenant"].unique()), sorted(tenants))
check("pandas sites", sorted(jobs["site"].dropna().unique()), sorted(sites))
for t in sim["tenants"]:
    mine = jobs[(jobs["tenant"] == t["name"]) & (jobs["outcome"] == "completed")]
    check(f"pandas completed of {t['name']}", len(mine), t["jobs_completed"])
series = pd.read_parquet(series_path)
check("pandas series rows", len(series), series_rows)
if not isinstance(series["hour_start"].dtype, pd.DatetimeTZDtype):
    problems.append(f"pandas hour_start: {series['hour_start'].dtype}, expected a UTC datetime")
check("pandas first hour", series["hour_start"].iloc[0].isoformat(), f"{summary['start']}T00:00:00+00:00")
close("pandas energy", float(series["energy_mwh"].sum()), sim["energy_mwh"])
close("pandas CO2", float(series["co2_t"].sum()), sim["co2_t"])
for s in sim["sites"]:
    mine = series[series["site"] == s["name"]]
    close(f"pandas GPU-hours allocated at {s['name']}", float(mine["gpus_allocated"].sum()), s["gpu_hours_allocated"])

# polars.
jobs = pl.read_parquet(jobs_path)
check("polars jobs rows", jobs.height, ended)
check(
    "polars jobs schema",
    {k: str(v) for k, v in jobs.schema.items()},
    {
        "job_id": "UInt64",
        "tenant": "String",
        "site": "String",
        "submit_s": "Int64",
        "start_s": "Int64",
        "end_s": "Int64",
        "gpus": "Int32",
        "wait_s": "Int64",
        "interruptions": "Int32",
        "preemptions": "Int32",
        "queued_s": "Int64",
        "outcome": "String",
        "recorded_outcome": "String",
        "kind": "String",
    },
)
check("polars never-started jobs", jobs["start_s"].null_count(), jobs.filter(pl.col("site").is_null()).height)
series = pl.read_parquet(series_path)
check("polars series rows", series.height, series_rows)
check("polars hour_start type", str(series.schema["hour_start"]), "Datetime(time_unit='ms', time_zone='UTC')")
close("polars electricity cost", series["electricity_cost_eur"].sum(), sim["electricity_cost_eur"])

# DuckDB.
con = duckdb.connect()
n, done = con.execute(
    "select count(*), count(*) filter (where outcome = 'completed') from read_parquet(?)", [str(jobs_path)]
).fetchone()
check("duckdb jobs rows", n, ended)
check("duckdb completed", done, sim["jobs_completed"])
types = dict(con.execute("select column_name, column_type from (describe select * from read_parquet(?))", [str(jobs_path)]).fetchall())
check("duckdb job_id type", types["job_id"], "UBIGINT")
check("duckdb gpus type", types["gpus"], "INTEGER")
check("duckdb tenant type", types["tenant"], "VARCHAR")
n, energy = con.execute("select count(*), sum(energy_mwh) from read_parquet(?)", [str(series_path)]).fetchone()
check("duckdb series rows", n, series_rows)
close("duckdb energy", energy, sim["energy_mwh"])
types = dict(con.execute("select column_name, column_type from (describe select * from read_parquet(?))", [str(series_path)]).fetchall())
check("duckdb hour_start type", types["hour_start"], "TIMESTAMP WITH TIME ZONE")

if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"ok: {ended} jobs and {series_rows} series rows in pyarrow, pandas, polars and DuckDB")
