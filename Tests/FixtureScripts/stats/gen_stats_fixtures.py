#!/usr/bin/env python3
"""Generates the Python reference fixtures of BinhYenStats.

    python3 Tests/FixtureScripts/stats/gen_stats_fixtures.py [output-dir]

Default output: Tests/BinhYenStatsTests/Fixtures/reference/ (run from the package root).
Needs numpy, scipy and mpmath (mpmath ships with SymPy; `pip install mpmath`).

High-precision truth comes from mpmath (50 significant digits) where SciPy's double-precision
values are themselves only accurate to ~1e-15 (log-gamma, normal tails, binomial and Poisson
tails); SciPy values are stored beside them as a cross-check. Linear-algebra references come
from NumPy (LAPACK). Every file states the tolerance the Swift tests use.
"""
import json
import math
import os
import sys

import mpmath as mp
import numpy as np
import scipy
from scipy import special, stats

mp.mp.dps = 50
OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/BinhYenStatsTests/Fixtures/reference"
os.makedirs(OUT, exist_ok=True)
VERSIONS = {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
            "mpmath": mp.__version__}


def to_float(value):
    """Rounds an mpmath number to the nearest double (0 below the subnormal range)."""
    return float(value)


def write(name, content):
    path = os.path.join(OUT, name)
    content = {"versions": VERSIONS, **content}
    with open(path, "w", encoding="utf-8") as handle:
        # repr() of a float is the shortest string that round-trips.
        json.dump(content, handle, allow_nan=False, separators=(",", ":"))
    print("wrote", path)


# ------------------------------------------------------------------------------------------
# 1. Log-gamma, Stirling error, normal distribution, beta density.
def special_functions():
    log_gamma_points = [1e-300, 1e-10, 1e-3, 0.1, 0.5, 0.9, 1.0, 1.0001, 1.5, 1.9999, 2.0, 2.5, 3.0,
                        5.5, 9.99, 10.0, 10.5, 15.0, 33.3, 100.0, 1000.5, 1e5, 1e10, 1e100,
                        -0.5, -1.5, -2.7, -10.3, -100.25]
    log_gamma = [{"x": x, "value": to_float(mp.log(abs(mp.gamma(mp.mpf(x))))),
                  "scipy": float(special.gammaln(x))} for x in log_gamma_points]

    def stirling_error(n):
        n = mp.mpf(n)
        return mp.loggamma(n + 1) - (n + mp.mpf(1) / 2) * mp.log(n) + n - mp.log(mp.sqrt(2 * mp.pi))

    stirling_points = [0.1, 0.5, 1.0, 2.3, 7.5, 10.0, 14.9, 15.0, 15.5, 16.0, 30.0, 100.0, 1e4, 1e6]
    stirling = [{"n": n, "value": to_float(stirling_error(n))} for n in stirling_points]

    normal_points = [-38.0, -37.0, -30.0, -20.0, -10.0, -8.5, -5.0, -3.0, -1.959963984540054, -1.0,
                     -0.5, -1e-8, 0.0, 1e-8, 0.5, 1.0, 1.959963984540054, 3.0, 5.0, 8.5, 10.0, 20.0,
                     30.0, 38.0]
    normal_cdf = [{"x": x, "cdf": to_float(mp.ncdf(mp.mpf(x))), "survival": to_float(mp.ncdf(-mp.mpf(x))),
                   "density": to_float(mp.npdf(mp.mpf(x))),
                   "scipy_cdf": float(special.ndtr(x))} for x in normal_points]

    def normal_quantile(p):
        p = mp.mpf(p)
        guess = float(stats.norm.ppf(float(p)))
        return mp.findroot(lambda z: mp.ncdf(z) - p, guess)

    quantile_points = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9,
                       0.975, 0.999, 0.99999, 1 - 1e-10]
    normal_quantile_cases = [{"p": p, "quantile": to_float(normal_quantile(p)),
                              "scipy": float(stats.norm.ppf(p))} for p in quantile_points]

    beta_density = []
    for a, b in [(0.5, 0.5), (1, 1), (2.5, 7), (30, 150.5), (1000, 20000), (0.2, 3)]:
        for x in [1e-6, 0.01, 0.2, 0.5, 0.9, 0.999]:
            a_mp, b_mp, x_mp = mp.mpf(a), mp.mpf(b), mp.mpf(x)
            value = x_mp ** (a_mp - 1) * (1 - x_mp) ** (b_mp - 1) / mp.beta(a_mp, b_mp)
            beta_density.append({"x": x, "a": a, "b": b, "value": to_float(value),
                                 "scipy": float(stats.beta.pdf(x, a, b))})

    write("special_functions.json", {
        "source": "mpmath at 50 digits (value/cdf/survival/quantile); SciPy values are informational",
        "tolerance": {
            "log_gamma": {"rel": 1e-14, "abs": 5e-15},
            "stirling_error": {"rel": 1e-13, "abs": 2e-14},
            "normal": {"rel": 1e-14, "abs": 1e-300},
            "normal_quantile": {"rel": 1e-14, "abs": 1e-15},
            "beta_density": {"rel": 1e-13, "abs": 1e-300},
            "note": "pass if |got-expected| <= max(abs, rel*|expected|)",
        },
        "log_gamma": log_gamma, "stirling_error": stirling, "normal": normal_cdf,
        "normal_quantile": normal_quantile_cases, "beta_density": beta_density,
    })


# ------------------------------------------------------------------------------------------
# 2. Binomial and Poisson probabilities at 50 digits (the grid of the R fixture).
def tail_sums(pmf_at, first, last, mode, k):
    """P(X <= k) and P(X > k) by summing the tail that does not contain the mode, outwards."""
    if k < mode:
        total, j = mp.mpf(0), k
        while j >= first:
            term = pmf_at(j)
            total += term
            if term < total * mp.mpf(10) ** -40:
                break
            j -= 1
        return total, 1 - total
    total, j = mp.mpf(0), k + 1
    while last is None or j <= last:
        term = pmf_at(j)
        total += term
        if term < total * mp.mpf(10) ** -40 and j > mode:
            break
        j += 1
    return 1 - total, total


def binomial():
    cases = []
    ns = [1, 2, 3, 7, 10, 25, 50, 100, 500, 1000, 5000, 10000, 50000, 100000]
    ps = [1e-4, 0.001, 0.01, 0.1, 0.25, 1 / 3, 0.5, 0.75, 0.9, 0.99, 0.999, math.pi / 10]
    for n in ns:
        for p in ps:
            p_mp = mp.mpf(p)
            q_mp = 1 - p_mp  # exact complement of the double p (the distribution actually meant)
            sd = math.sqrt(n * p * (1 - p))
            ks = [0, 1, 2] + [n * p + c * sd for c in (-60, -40, -20, -10, -5, -3, -1, 0, 1, 3, 5, 10, 20, 40, 60)] + [n - 2, n - 1, n]
            ks = sorted({min(n, max(0, int(round(k)))) for k in ks})
            log_p, log_q = mp.log(p_mp), mp.log(q_mp)

            def pmf_at(j):
                return mp.exp(mp.loggamma(n + 1) - mp.loggamma(j + 1) - mp.loggamma(n - j + 1) + j * log_p + (n - j) * log_q)

            mode = math.floor((n + 1) * p)
            for k in ks:
                at_most, above = (mp.mpf(1), mp.mpf(0)) if k >= n else tail_sums(pmf_at, 0, n, mode, k)
                cases.append({"k": k, "n": n, "p": p, "pmf": to_float(pmf_at(k)), "cdf": to_float(at_most),
                              "survival": to_float(above)})
    write("binomial_mpmath.json", {
        "source": "mpmath 50 digits for Binomial(n, p) with p the given double and q = 1 - p exactly: pmf from log-gamma, tails by summing the tail away from the mode",
        "tolerance": {"rel": 2e-13, "abs": 1e-305,
                      "note": "pass if |got-expected| <= max(abs, rel*|expected|); expected values below 1e-20 use tolerance_deep_tail: they are exp() of exponents built from terms of size ~n, whose rounding (~n*eps absolute) becomes relative error",
                      },
        "tolerance_deep_tail": {"below": 1e-20, "rel": 3e-12},
        "cases": cases,
    })


def poisson():
    cases = []
    for mean in [1e-3, 0.1, 0.5, 1.0, 2.5, 7.0, 20.0, 100.5, 1000.0, 1e4, 1e5]:
        sd = math.sqrt(mean)
        ks = [0, 1, 2] + [mean + c * sd for c in (-40, -20, -10, -5, -2, 0, 2, 5, 10, 20, 40, 80)]
        ks = sorted({max(0, int(round(k))) for k in ks})
        m_mp = mp.mpf(mean)

        def pmf_at(j):
            return mp.exp(-m_mp + j * mp.log(m_mp) - mp.loggamma(j + 1))

        mode = math.floor(mean)
        for k in ks:
            at_most, above = tail_sums(pmf_at, 0, None, mode, k)
            cases.append({"k": k, "mean": mean, "pmf": to_float(pmf_at(k)), "cdf": to_float(at_most),
                          "survival": to_float(above), "scipy_cdf": float(stats.poisson.cdf(k, mean))})
    write("poisson_mpmath.json", {
        "source": "mpmath 50 digits: pmf exp(-m + k log m - lgamma(k+1)), tails by summing away from the mode",
        "tolerance": {"rel": 1e-13, "abs": 1e-305, "note": "pass if |got-expected| <= max(abs, rel*|expected|); expected values below 1e-20 use tolerance_deep_tail (exp() of exponents built from terms of size ~mean)"},
        "tolerance_deep_tail": {"below": 1e-20, "rel": 3e-12},
        "cases": cases,
    })


# ------------------------------------------------------------------------------------------
# 3. Linear algebra (NumPy / LAPACK).
def linear_algebra():
    rng = np.random.default_rng(20250101)

    def matrix(values):
        return {"rows": int(values.shape[0]), "columns": int(values.shape[1]),
                "column_major": [float(v) for v in values.flatten(order="F")]}

    a = rng.normal(size=(4, 3))
    b = rng.normal(size=(3, 5))
    c = rng.normal(size=(4, 2))
    multiply = [
        {"a": matrix(a), "b": matrix(b), "transpose_a": False, "transpose_b": False, "product": matrix(a @ b)},
        {"a": matrix(a), "b": matrix(c), "transpose_a": True, "transpose_b": False, "product": matrix(a.T @ c)},
        {"a": matrix(b), "b": matrix(b), "transpose_a": False, "transpose_b": True, "product": matrix(b @ b.T)},
    ]

    m = rng.normal(size=(5, 5))
    spd = m @ m.T + 5 * np.eye(5)
    rhs = rng.normal(size=(5, 2))
    hilbert = np.array([[1.0 / (i + j + 1) for j in range(12)] for i in range(12)])
    indefinite = np.array([[1.0, 2.0], [2.0, 1.0]])
    spd_cases = [
        {"a": matrix(spd), "b": matrix(rhs), "solution": matrix(np.linalg.solve(spd, rhs)), "expect": "ok"},
        {"a": matrix(indefinite), "b": matrix(np.ones((2, 1))), "expect": "not_positive_definite", "leading_minor": 2},
        {"a": matrix(hilbert), "b": matrix(np.ones((12, 1))), "expect": "ill_conditioned",
         "numpy_cond": float(np.linalg.cond(hilbert, 1))},
    ]

    years = np.arange(2015, 2025, dtype=float)
    design = np.column_stack([np.ones_like(years), years - years.mean(), (years - years.mean()) ** 2])
    counts = np.column_stack([rng.poisson(30, size=years.size).astype(float), np.linspace(10, 3, years.size)])
    coefficients, residuals, rank, _ = np.linalg.lstsq(design, counts, rcond=None)
    tall = rng.normal(size=(30, 4))
    tall_rhs = rng.normal(size=(30, 1))
    tall_coefficients, tall_residuals, _, _ = np.linalg.lstsq(tall, tall_rhs, rcond=None)
    collinear = np.column_stack([np.ones(6), np.arange(6.0), 2 * np.arange(6.0) + 1])
    least_squares = [
        {"a": matrix(design), "b": matrix(counts), "coefficients": matrix(coefficients),
         "residual_sum_of_squares": [float(r) for r in residuals], "rank": int(rank), "expect": "ok"},
        {"a": matrix(tall), "b": matrix(tall_rhs), "coefficients": matrix(tall_coefficients),
         "residual_sum_of_squares": [float(r) for r in tall_residuals], "rank": 4, "expect": "ok"},
        {"a": matrix(collinear), "b": matrix(np.arange(6.0).reshape(6, 1)), "expect": "rank_deficient",
         "rank": int(np.linalg.matrix_rank(collinear))},
    ]
    write("linear_algebra_numpy.json", {
        "source": "NumPy matmul, linalg.solve, linalg.lstsq (rcond=None), matrix_rank, cond; seed 20250101",
        "tolerance": {"rel": 1e-12, "abs": 1e-12,
                      "note": "entrywise |got-expected| <= max(abs, rel*max|expected|) (normwise relative error)"},
        "multiply": multiply, "solve_spd": spd_cases, "least_squares": least_squares,
    })


if __name__ == "__main__":
    special_functions()
    binomial()
    poisson()
    linear_algebra()
