#!/usr/bin/env python3
"""Generates the Python reference fixtures for the trend methods (Mann-Kendall, Theil-Sen) on a
broad set of random count series, and the series themselves (read by gen_trend_fixtures.R).

    python3 Tests/FixtureScripts/stats/gen_trend_fixtures.py [output-dir]
    Rscript Tests/FixtureScripts/stats/gen_trend_fixtures.R  [output-dir]   # afterwards

Default output: Tests/BinhYenStatsTests/Fixtures/reference/ (run from the package root).
Needs numpy, scipy and pymannkendall 1.4.3 (`pip install pymannkendall==1.4.3`).
Deterministic (numpy Generator with a fixed seed).

Series: n = 2..25 non-missing years, starting between 2000 and 2015, with random gaps (missing
years are absent, never zero), Poisson counts with means 0.3..60 and annual trends of -25%..+25%,
plus all-zero, constant, strictly monotone and heavily tied series.

References per series:
* pymannkendall.original_test on the values in time order: S, Var(S), z, p (its p is
  2*(1 - Phi(|z|)), which loses precision below ~1e-15; `p_sf` = 2*norm.sf(|z|) is stored too),
  tau-a (`Tau`), trend label.
* tau-b from scipy.stats.kendalltau(time index, values) (None when undefined).
* exact permutation p conditional on ties, by a memoised recursion over the multiset of remaining
  values (independent of the q-multinomial algorithm in Swift), for n <= 14; for series without
  ties and 15 <= n <= 20 by the Mahonian recursion (exact integers).
* scipy.stats.theilslopes(values, years, alpha=0.95): slope, Conover ('separate') intercept and
  interval; the Gilbert ranks are recomputed here and the interval stored as None when a rank falls
  outside 1..N (scipy then clips silently; its raw values are kept as `scipy_low`/`scipy_high`).
"""
import json
import math
import os
import sys
from collections import Counter
from functools import lru_cache

import numpy as np
import pymannkendall as mk
import scipy
from scipy import stats

OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/BinhYenStatsTests/Fixtures/reference"
os.makedirs(OUT, exist_ok=True)
VERSIONS = {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
            "pymannkendall": getattr(mk, "__version__", "1.4.3")}
EXACT_LIMIT = 14


def make_series(rng):
    """List of (kind, years, values)."""
    series = []
    for index in range(420):
        n = int(rng.integers(3, 26)) if index % 10 else int(rng.integers(2, 8))
        start = int(rng.integers(2000, 2016))
        span = n + int(rng.integers(0, 4)) if rng.random() < 0.4 else n
        years = sorted(rng.choice(np.arange(start, start + span), size=n, replace=False).tolist())
        kind = index % 7
        if kind == 0:  # all zero
            values = [0] * n if rng.random() < 0.5 else [int(rng.integers(1, 9))] * n
            kind_name = "constant"
        elif kind == 1:  # small means, many ties and zeros
            mean = rng.uniform(0.3, 2.0)
            values = rng.poisson(mean, size=n).tolist()
            kind_name = "small_counts"
        elif kind == 2:  # strictly monotone
            steps = rng.integers(1, 5, size=n)
            values = np.cumsum(steps).tolist()
            if rng.random() < 0.5:
                values = values[::-1]
            kind_name = "monotone"
        else:
            base = rng.uniform(1, 60)
            rate = rng.uniform(-0.25, 0.25)
            t = np.array(years) - years[0]
            values = rng.poisson(base * np.exp(rate * t)).tolist()
            kind_name = "poisson_trend"
        series.append((kind_name, [int(y) for y in years], [int(v) for v in values]))
    return series


def exact_tails(values):
    """Exact distribution of S over the distinct orderings of the multiset of values:
    P(S* >= S), P(S* <= S), P(|S*| >= |S|), number of orderings."""
    distinct = sorted(set(values))
    counts = tuple(Counter(values)[v] for v in distinct)

    @lru_cache(maxsize=None)
    def distribution(remaining):
        # Distribution (dict S -> number of orderings) of the S contributed by the remaining values.
        if sum(remaining) == 0:
            return {0: 1}
        result = Counter()
        for g, count in enumerate(remaining):
            if count == 0:
                continue
            greater = sum(remaining[g + 1:])
            less = sum(remaining[:g])
            contribution = greater - less  # pairs (this first, later one)
            rest = remaining[:g] + (count - 1,) + remaining[g + 1:]
            for s, ways in distribution(rest).items():
                result[s + contribution] += ways
        return dict(result)

    dist = distribution(counts)
    s_obs = sum(np.sign(values[j] - values[i]) for i in range(len(values)) for j in range(i + 1, len(values)))
    total = sum(dist.values())
    upper = sum(w for s, w in dist.items() if s >= s_obs)
    lower = sum(w for s, w in dist.items() if s <= s_obs)
    extreme = sum(w for s, w in dist.items() if abs(s) >= abs(s_obs))
    return {"p_two_sided": extreme / total, "p_upper": upper / total, "p_lower": lower / total,
            "n_orderings": total, "S": int(s_obs)}


def mahonian_tails(values):
    """Exact tails for series without ties by the Mahonian recursion
    M(n, k) = sum_{j=0}^{min(k, n-1)} M(n-1, k-j) (permutations of n by inversions), S = N0 - 2I."""
    n = len(values)
    counts = [1]
    for m in range(2, n + 1):
        grown = [0] * (len(counts) + m - 1)
        for k in range(len(grown)):
            grown[k] = sum(counts[k - j] for j in range(m) if 0 <= k - j < len(counts))
        counts = grown
    pairs = n * (n - 1) // 2
    s_obs = sum(np.sign(values[j] - values[i]) for i in range(n) for j in range(i + 1, n))
    total = sum(counts)
    dist = {pairs - 2 * inversions: ways for inversions, ways in enumerate(counts)}
    return {"p_two_sided": sum(w for s, w in dist.items() if abs(s) >= abs(s_obs)) / total,
            "p_upper": sum(w for s, w in dist.items() if s >= s_obs) / total,
            "p_lower": sum(w for s, w in dist.items() if s <= s_obs) / total,
            "n_orderings": total, "S": int(s_obs), "method": "mahonian"}


def gilbert_ranks(n_pairs, var_s, conf=0.95):
    c = stats.norm.ppf(1 - (1 - conf) / 2) * math.sqrt(var_s)
    return c, int(np.round((n_pairs - c) / 2)), int(np.round((n_pairs + c) / 2)) + 1


def finite_or_none(value):
    value = float(value)
    return value if math.isfinite(value) else None


def main():
    rng = np.random.default_rng(20261128)
    cases = []
    for kind, years, values in make_series(rng):
        n = len(values)
        y = np.array(values, dtype=float)
        case = {"kind": kind, "years": years, "values": values, "n": n}
        result = mk.original_test(y)
        case["mk"] = {"S": float(result.s), "var_s": float(result.var_s), "z": float(result.z),
                      "p": float(result.p), "p_sf": float(2 * stats.norm.sf(abs(result.z))),
                      "tau_a": float(result.Tau), "trend": result.trend, "h": bool(result.h)}
        tau_b = stats.kendalltau(np.arange(n), y).statistic
        case["mk"]["tau_b"] = finite_or_none(tau_b)
        if n <= EXACT_LIMIT:
            case["mk_exact"] = exact_tails(values)
        elif n <= 20 and len(set(values)) == n:
            case["mk_exact"] = mahonian_tails(values)
        n_pairs = n * (n - 1) // 2
        c, rank_lower, rank_upper = gilbert_ranks(n_pairs, float(result.var_s))
        sen = stats.theilslopes(y, np.array(years, dtype=float), alpha=0.95)
        inside = rank_lower >= 1 and rank_upper <= n_pairs
        case["sen"] = {"slope": float(sen.slope), "intercept_conover_year0": float(sen.intercept),
                       "C": c, "N_pairs": n_pairs, "rank_lower_1based": rank_lower,
                       "rank_upper_1based": rank_upper,
                       "ci95_lower": float(sen.low_slope) if inside else None,
                       "ci95_upper": float(sen.high_slope) if inside else None,
                       "scipy_low": float(sen.low_slope), "scipy_high": float(sen.high_slope)}
        cases.append(case)
    path = os.path.join(OUT, "trend_python.json")
    content = {
        "versions": VERSIONS,
        "source": "pymannkendall.original_test, scipy kendalltau/theilslopes, exact recursion over the multiset; see the script docstring",
        "tolerance": {"rel": 1e-12, "abs": 1e-14,
                      "note": "pass if |got-expected| <= max(abs, rel*|expected|); S, counts, ranks and labels "
                              "exactly; pymannkendall's own p ('p') only to abs 1e-15 (1 - Phi cancellation)"},
        "cases": cases,
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(content, handle, allow_nan=False, separators=(",", ":"))
    print("wrote", path, len(cases), "series")


if __name__ == "__main__":
    main()
