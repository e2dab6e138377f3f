"""gigafactory: simulate and plan AI compute facilities, from one AI factory to a fleet of
AI gigafactories.

A thin shell over the Rust library that the ``gigafactory`` command line is also a shell
over: the same scenarios, the same figures, the same files' columns, handed over as
``pyarrow.Table`` objects through the Arrow C data interface (no file in between).

    >>> import gigafactory as gf
    >>> r = gf.run("eu-investai", until="2027-01-01")
    >>> r.summary["utilization"]
    >>> r.tenants.to_pandas()

A scenario is a path to a TOML file, the name of a built-in scenario
(``gf.builtin_scenarios()``), TOML text, or a dict (as the TOML would read). Invalid input
raises :class:`ScenarioError`, whose ``problems`` give file, line, column, field and
message. The core runs with the interpreter released; Ctrl-C stops it.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from ._core import ScenarioError

__version__: str = _core.__version__

__all__ = [
    "Comparison",
    "Result",
    "ScenarioError",
    "SweepResult",
    "builtin_scenarios",
    "catalog",
    "compare",
    "optimize",
    "run",
    "schema",
    "sweep",
    "validate",
]

Scenario = Union[str, "os.PathLike[str]", Mapping[str, Any]]
"""A path, a built-in scenario's name, TOML text, or a dict."""

TABLES = ("jobs", "timeseries", "years", "tenants", "projects")


def _scenario(s: Scenario, what: str = "scenario") -> Dict[str, str]:
    """How the core reads ``s``: a file or built-in name, TOML text, or a dict."""
    if isinstance(s, Mapping):
        return {"kind": "json", "value": json.dumps(s), "label": f"<{what}: dict>"}
    if isinstance(s, os.PathLike):
        p = os.fspath(s)
        return {"kind": "name", "value": p, "label": p}
    if isinstance(s, str):
        # TOML has a line break or a `key = value`; a file or built-in name has neither
        # (a file of that name, if one exists, is what is meant).
        if ("\n" in s or "=" in s) and not os.path.exists(s):
            return {"kind": "text", "value": s, "label": f"<{what}: TOML text>"}
        return {"kind": "name", "value": s, "label": s}
    raise TypeError(
        f"{what}: expected a path, a built-in scenario's name, TOML text or a dict, "
        f"not {type(s).__name__}"
    )


def _name(s: Union[str, "os.PathLike[str]"], what: str) -> str:
    if isinstance(s, os.PathLike):
        return os.fspath(s)
    if isinstance(s, str):
        return s
    raise TypeError(f"{what}: expected a path or a built-in scenario's name, not {type(s).__name__}")


class Result:
    """A run's results: ``summary`` (summary.json's content, less the scenario's path) and
    the tables ``jobs``, ``timeseries``, ``years``, ``tenants`` (``pyarrow.Table``, or
    None where the plan has no workload to simulate, or ``jobs`` where not kept) and
    ``projects`` (the calls' proposals; None without calls)."""

    def __init__(self, core: Any, label: str) -> None:
        self._core = core
        self.label = label
        self.summary: Dict[str, Any] = json.loads(core.summary_json())
        self._tables: Dict[str, Any] = {}

    def _table(self, name: str) -> Any:
        if name not in self._tables:
            self._tables[name] = getattr(self._core, name)()
        return self._tables[name]

    @property
    def simulated(self) -> bool:
        """Whether the plan was simulated job by job (it has a workload)."""
        return bool(self._core.simulated())

    @property
    def jobs(self) -> Any:
        """One row per job: ``jobs.parquet``'s columns."""
        return self._table("jobs")

    @property
    def timeseries(self) -> Any:
        """One row per site per hour: ``timeseries.parquet``'s columns."""
        return self._table("timeseries")

    @property
    def years(self) -> Any:
        """One row per simulated year: ``years.csv``'s columns, typed."""
        return self._table("years")

    @property
    def tenants(self) -> Any:
        """One row per tenant: ``tenants.csv``'s columns, typed."""
        return self._table("tenants")

    @property
    def projects(self) -> Any:
        """One row per proposal to the scenario's calls: ``projects.csv``'s columns,
        typed; None without calls."""
        return self._table("projects")

    def table(self, name: str) -> Any:
        """A table by name: one of ``jobs``, ``timeseries``, ``years``, ``tenants``,
        ``projects``."""
        if name not in TABLES:
            raise ValueError(f"no table {name!r}: expected one of {', '.join(TABLES)}")
        return self._table(name)

    def to_pandas(self, name: str = "tenants") -> Any:
        """A table as a pandas DataFrame."""
        t = self.table(name)
        return None if t is None else t.to_pandas()

    def to_polars(self, name: str = "tenants") -> Any:
        """A table as a polars DataFrame."""
        import polars

        t = self.table(name)
        return None if t is None else polars.from_arrow(t)

    def report_html(self) -> str:
        """report.html: the run's figures and charts as one self-contained page."""
        return str(self._core.report_html())

    def _headline(self) -> List[Tuple[str, str]]:
        s = self.summary
        rows = [("Scenario", self.label)]
        for key, label, fmt in _HEADLINE:
            v = s.get(key)
            if isinstance(v, (int, float)):
                rows.append((label, fmt(v)))
        return rows

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}: {v}" for k, v in self._headline()[1:4])
        return f"<gigafactory.Result {self.label}: {inner}>"

    def _repr_html_(self) -> str:
        import html

        cells = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:right'>{html.escape(v)}</td></tr>"
            for k, v in self._headline()
        )
        # The tables this run has: none unsimulated; no job table where it was not kept.
        # Projects only with calls (the summary has them; nothing is built to tell).
        kept = [
            n
            for n in TABLES
            if (n == "projects" and "calls" in self.summary)
            or (n != "projects" and self.simulated and (n != "jobs" or self.jobs is not None))
        ]
        tables = ", ".join(f"<code>.{n}</code>" for n in kept)
        return f"<table>{cells}</table><p>Tables: {tables or 'none (not simulated)'}</p>"


_HEADLINE = [
    ("utilization", "Utilisation", lambda v: f"{v * 100:.1f}%"),
    ("cost_per_h100_hour_eur", "Cost per H100-hour", lambda v: f"€{v:,.2f}"),
    ("capex_eur", "Capital cost", lambda v: f"€{v / 1e9:,.3f} bn"),
    ("facility_power_mw", "Facility power", lambda v: f"{v:,.1f} MW"),
    ("co2_t_per_year", "CO2 per year", lambda v: f"{v:,.0f} t"),
]


def run(
    scenario: Scenario,
    *,
    sample: str = "auto",
    job_budget: Optional[int] = None,
    seed: Optional[int] = None,
    until: Optional[str] = None,
    years: Optional[int] = None,
    keep_jobs: bool = True,
) -> Result:
    """Evaluate a scenario as ``gigafactory run`` does.

    ``sample``: ``"auto"`` (within ``job_budget`` jobs), ``"full"`` or a whole number k as
    text (1 in k accelerators). ``seed`` replaces the scenario's seed. ``until`` stops the
    simulation at a date (``"2027-06-01"``); ``years`` keeps the first N years of the
    horizon (as ``compare --years``). ``keep_jobs=False`` does not keep the job
    table (millions of rows for the large plans)."""
    arg = _scenario(scenario)
    core = _core.run(
        arg, sample=str(sample),
        job_budget=job_budget,
        seed=seed,
        until=until,
        years=years,
        keep_jobs=keep_jobs,
    )
    return Result(core, arg["label"])


def validate(*scenarios: Scenario) -> List[str]:
    """Validate scenarios: the names of the valid ones, or a :class:`ScenarioError` with
    every problem of every invalid one."""
    return list(_core.validate([_scenario(s) for s in scenarios]))


class Comparison:
    """Plans side by side (``gigafactory compare``): ``summary`` is compare.json's
    content (``plans``: each plan's figures; ``better``: the plan each figure names
    better, by the verdict rule; ``verdicts``); ``table`` has a row per plan."""

    def __init__(self, summary: Dict[str, Any]) -> None:
        self.summary = summary

    @property
    def table(self) -> Any:
        """One row per plan: ``label`` and every figure ``compare.json`` gives it."""
        import pyarrow as pa

        return pa.Table.from_pylist(self.summary["plans"])

    def __repr__(self) -> str:
        labels = ", ".join(p["label"] for p in self.summary["plans"])
        return f"<gigafactory.Comparison of {labels}>"


def compare(
    plans: Sequence[Scenario],
    *,
    sample: str = "auto",
    job_budget: Optional[int] = None,
    seeds: int = 1,
    years: Optional[int] = None,
) -> Comparison:
    """Compare plans as ``gigafactory compare`` does: the same jobs, under the same
    ``seeds`` seeds, each simulated value with its 95% interval where seeds > 1."""
    args = [_scenario(p, f"plan {i + 1}") for i, p in enumerate(plans)]
    text = _core.compare(args, sample=str(sample), job_budget=job_budget, seeds=seeds, years=years)
    return Comparison(json.loads(text))


def optimize(scenario: Scenario) -> str:
    """Solve a scenario's ``[optimize]`` question: the plan, as TOML that :func:`run`
    takes."""
    return str(_core.optimize(_scenario(scenario)))


def catalog() -> Dict[str, Any]:
    """The built-in catalogue as tables: ``accelerators``, ``countries``, ``sites``,
    ``rents``, each with its sources."""
    import pyarrow as pa

    data = json.loads(_core.catalog())
    return {k: pa.Table.from_pylist(v) for k, v in data.items()}


def schema(which: str = "scenario") -> Dict[str, Any]:
    """A JSON Schema: the scenario file's (``"scenario"``) or summary.json's
    (``"summary"``)."""
    return dict(json.loads(_core.schema(which)))


def builtin_scenarios() -> Dict[str, str]:
    """The built-in scenarios: name -> what it is."""
    return dict(_core.builtin_scenarios())


class SweepResult:
    """A sweep's results: ``table`` (``sweep.parquet``'s columns: plan, sample, seed,
    each input, infeasible, every figure), ``summary`` (summary.json's content), and, for
    a Ray sweep, ``nodes``: the Ray node that computed each row."""

    def __init__(self, table: Any, summary: Dict[str, Any], nodes: Optional[List[str]] = None) -> None:
        self.table = table
        self.summary = summary
        self.nodes = nodes

    def to_pandas(self) -> Any:
        return self.table.to_pandas()

    def to_polars(self) -> Any:
        import polars

        return polars.from_arrow(self.table)

    def __repr__(self) -> str:
        return f"<gigafactory.SweepResult: {self.table.num_rows} points>"


def sweep(
    spec: Union[str, "os.PathLike[str]"],
    plans: Iterable[Union[str, "os.PathLike[str]"]] = (),
    *,
    samples: int,
    seeds: int = 1,
    design: str = "latin",
    years: Optional[int] = None,
    sample: str = "auto",
    job_budget: Optional[int] = None,
    unsimulated: bool = False,
    swings: bool = False,
    engine: str = "local",
    threads: Optional[int] = None,
    batch: Optional[int] = None,
    _fail_once: Optional[str] = None,
) -> SweepResult:
    """Sweep plans over samples of uncertain inputs, as ``gigafactory sweep`` does.

    ``spec``: an uncertainty file (its ``[[uncertain]]`` tables, for ``plans``) or a
    scenario with ``[[uncertain]]`` tables (itself the first plan); files or built-in
    names. ``design``: ``"latin"`` (``samples`` points) or ``"sobol"`` (Saltelli's scheme,
    samples x (k + 2) points). ``swings=True`` adds the one-at-a-time swings (2 more runs
    per input and plan). ``engine="ray"`` spreads the points over the Ray cluster that
    ``ray.init()`` connected to, ``batch`` points per task (files named must be readable
    at the same path on every node); the result equals the local one."""
    args = [_name(spec, "spec")] + [_name(p, "plan") for p in plans]
    options = {
        "samples": int(samples),
        "seeds": int(seeds),
        "design": design,
        "years": years,
        "sample": str(sample),
        "job_budget": job_budget,
        "unsimulated": bool(unsimulated),
        "threads": threads,
    }
    if engine == "local":
        table, summary = _core.sweep(args, options, swings)
        return SweepResult(table, json.loads(summary))
    if engine == "ray":
        from ._ray import sweep_on_ray

        table, summary, nodes = sweep_on_ray(args, options, swings, batch, _fail_once)
        return SweepResult(table, json.loads(summary), nodes)
    raise ValueError(f"engine={engine!r}: expected \"local\" or \"ray\"")
