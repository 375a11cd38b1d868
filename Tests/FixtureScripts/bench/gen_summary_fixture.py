#!/usr/bin/env python3
"""Fixtures of the `binhyen summary` tests: small files in the benchmark's coded layout and the
table the benchmark's numpy kernels compute for them (an implementation independent of BinhYen).

Inputs come from the benchmark generator (Benchmarks/bench/gen.py, a copy of the shared
bench/gen.py); the expected tables from the numpy kernels of Benchmarks/bench/peers/common.py
(trend_stats, change_stats, hotspot_stats — the kernels of the polars and numpy peers, which
agree with the pandas/scipy/pymannkendall and DuckDB peers to 1e-9, see bench/RESULTS.md),
read here with Python's csv module. Every row of the input is kept as is; the column set and
order are those of bench/SPEC.md.

Outputs (Tests/BinhYenCLITests/Fixtures/bench/):
  summary-yearly.csv,  summary-yearly.expected.csv    60 villages x 10 years x 6 series
  summary-monthly.csv, summary-monthly.expected.csv   12 villages x 4 years x 12 months x 6 series

Tolerance used by the tests: integers and text exactly; floats |a-b| <= 1e-9*max(|a|,|b|) + 1e-12,
mk_p 1e-7 (bench/compare.py).

usage: python3 Tests/FixtureScripts/bench/gen_summary_fixture.py   (needs numpy)
"""
import csv
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
BENCH = os.path.join(ROOT, "Benchmarks", "bench")
OUT = os.path.join(ROOT, "Tests", "BinhYenCLITests", "Fixtures", "bench")
sys.path.insert(0, BENCH)
sys.path.insert(0, os.path.join(BENCH, "peers"))
import gen  # noqa: E402
from common import SERIES, change_stats, hotspot_stats, out_columns, trend_stats  # noqa: E402


def expected_table(path):
    """The SPEC table of a clean coded-layout file, computed with the peers' numpy kernels."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    villages = {}
    totals = {}
    years = sorted({int(r["year"]) for r in rows})
    for r in rows:
        code = r["village_code"]
        villages.setdefault(code, (r["province_code"], r["commune_code"], r["village_name"], int(r["population"])))
        key = (code, SERIES.index((r["category"], r["metric"])))
        totals.setdefault(key, [0] * len(years))[years.index(int(r["year"]))] += int(r["count"])
    keys = sorted(totals)  # village code, then series in (category, metric) byte order
    X = np.array([totals[k] for k in keys], dtype=np.int64)
    prev, curr = X[:, -2], X[:, -1]
    absch, pct, pct_null, meets = change_stats(prev, curr)
    ols, sen, S, var_s, z, p = trend_stats(X, years)
    codes = sorted(villages)
    communes = sorted({villages[c][1] for c in codes})
    g_v = np.array([codes.index(k[0]) for k in keys])
    g_c = np.array([k[1] for k in keys])
    pop = np.array([villages[codes[v]][3] for v in g_v], dtype=np.int64)
    comm = np.array([communes.index(villages[codes[v]][1]) for v in g_v])
    rate, expected, ucl, hot = hotspot_stats(curr, pop, comm, g_c, len(SERIES))
    table = []
    for i, (code, s) in enumerate(keys):
        province, commune, name, population = villages[code]
        table.append([code, SERIES[s][0], SERIES[s][1], province, commune, name, population]
                     + [int(x) for x in X[i]]
                     + [int(absch[i]), "" if pct_null[i] else repr(float(pct[i])), int(meets[i]),
                        repr(float(ols[i])), repr(float(sen[i])), int(S[i]), repr(float(var_s[i])),
                        repr(float(z[i])), repr(float(p[i])), repr(float(rate[i])), repr(float(expected[i])),
                        int(ucl[i]), int(hot[i])])
    return out_columns(years), table


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, args in (("summary-yearly", ["--villages", "60", "--seed", "7"]),
                       ("summary-monthly", ["--villages", "12", "--years", "2022..2025", "--monthly", "--seed", "11"])):
        path = os.path.join(OUT, name + ".csv")
        gen.main(args + ["--out", path])
        header, table = expected_table(path)
        with open(os.path.join(OUT, name + ".expected.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(table)
        print("wrote %s (%d rows)" % (name, len(table)))


if __name__ == "__main__":
    main()
