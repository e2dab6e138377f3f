"""A sweep's Sobol indices against SALib's on the same points.

Usage: check_sobol.py SWEEP.parquet SUMMARY.json

Reads the points of a one-plan, one-seed sweep made with `--design sobol` (Saltelli's
scheme: per base row A, B, then A with input i from B), puts them in SALib's order (A, the
k mixed rows, B), runs SALib's `sobol.analyze` without second-order indices, and checks
every first-order and total index in summary.json against SALib's to 1e-9.
"""

import json
import sys

import numpy as np
import pyarrow.parquet as pq
from SALib.analyze import sobol

table, summary_path = sys.argv[1], sys.argv[2]
summary = json.load(open(summary_path))
assert summary["design"] == "saltelli", summary["design"]
(plan,) = summary["plans"]
inputs = [u["path"] for u in summary["inputs"]]
k = len(inputs)
rows = pq.read_table(table).to_pandas().sort_values("sample")
n = len(rows) // (k + 2)
assert len(rows) == n * (k + 2), (len(rows), n, k)

checked = 0
for key, figure in summary["figures"].items():
    influence = figure["influence"][plan]
    if influence is None or rows[key].isna().any():
        continue
    y = rows[key].to_numpy(dtype=float).reshape(n, k + 2)
    if np.ptp(y) == 0:
        continue
    # Ours: A, B, AB_1..AB_k per base row; SALib's: A, AB_1..AB_k, B.
    salib_order = np.concatenate([y[:, [0]], y[:, 2:], y[:, [1]]], axis=1).ravel()
    problem = {"num_vars": k, "names": inputs, "bounds": [[0.0, 1.0]] * k}
    result = sobol.analyze(
        problem, salib_order, calc_second_order=False, print_to_console=False, seed=1
    )
    for i, path in enumerate(inputs):
        ours = influence[path]
        for name, theirs in (("first", result["S1"][i]), ("total", result["ST"][i])):
            assert abs(ours[name] - theirs) < 1e-9, (key, path, name, ours[name], theirs)
            checked += 1
assert checked >= 3 * 2 * k, checked
print(f"{checked} Sobol indices agree with SALib's on {n * (k + 2)} points")
