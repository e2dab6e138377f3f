# %% [markdown]
# # The EU's two ways of spending €20 billion, from Python
#
# `eu-investai` (four AI gigafactories) against `eu-ai-factories` (the same money over
# the 19 EuroHPC AI-Factory sites): their first year simulated job by job, the tables
# loaded into polars, and one chart. Run it as a script (`python
# examples/python/eu_plans.py`) or cell by cell (`# %%`) in VS Code or Jupyter.
# GIGAFACTORY_EXAMPLE_OUT names the folder for the chart (default: the working folder).

# %%
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no window: the chart goes to a file
import matplotlib.pyplot as plt
import polars as pl

import gigafactory as gf

out = Path(os.environ.get("GIGAFACTORY_EXAMPLE_OUT", "."))
plans = ["eu-investai", "eu-ai-factories"]

# %% Each plan's first year, sampled as `gigafactory run` samples it.
results = {p: gf.run(p, years=1, keep_jobs=False) for p in plans}
for p, r in results.items():
    s = r.summary
    print(
        f"{p}: utilisation {s['utilization']:.1%}, "
        f"{sum(t['served_gpu_hours'] for t in s['tenants']) / 1e6:,.0f} M GPU-hours served, "
        f"€{s['cost_per_h100_hour_eur']:.2f} per H100-hour"
    )

# %% The tenants of both plans in one polars table.
tenants = pl.concat(
    [r.to_polars("tenants").with_columns(pl.lit(p).alias("plan")) for p, r in results.items()]
)
print(
    tenants.select("plan", "tenant", "jobs_submitted", "served_gpu_hours", "wait_s_p95")
    .with_columns((pl.col("wait_s_p95") / 3600).alias("wait_h_p95"))
    .drop("wait_s_p95")
)

# %% GPU-hours served to each tenant, both plans. (The hourly series, `r.timeseries`,
# holds only the time windows a sampled run simulates: see the README's Sampling.)
served = tenants.pivot(on="plan", index="tenant", values="served_gpu_hours")
fig, ax = plt.subplots(figsize=(8, 3.8))
width = 0.4
x = range(served.height)
for i, p in enumerate(plans):
    ax.bar([k + (i - 0.5) * width for k in x], served[p] / 1e6, width, label=p)
ax.set_xticks(list(x), served["tenant"].to_list(), rotation=20, ha="right")
ax.set_ylabel("GPU-hours served, millions")
ax.set_title("First year: GPU-hours served per tenant")
ax.legend()
fig.tight_layout()
chart = out / "eu-plans-tenants.png"
fig.savefig(chart, dpi=100)
print(f"Wrote {chart}")
