#!/usr/bin/env python3
"""Generates high-precision fixtures for the continuous distributions added for trend analysis
(Student t, chi-squared, gamma) and the R-style discrete Poisson quantile.

    python3 Tests/FixtureScripts/stats/gen_distribution_fixtures.py [output-dir]

Default output: Tests/BinhYenStatsTests/Fixtures/reference/ (run from the package root).
Needs numpy, scipy and mpmath. Truth is mpmath at 50 significant digits (tails through
`betainc`/`gammainc` with `regularized=True`, quantiles by `findroot` on the log tail, started
from SciPy); SciPy's double-precision value is stored beside each as a cross-check.
Deterministic (fixed grids, no random numbers). Each file states the tolerance used by the tests.
"""
import json
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
HALF = mp.mpf(1) / 2


def write(name, content):
    path = os.path.join(OUT, name)
    content = {"versions": VERSIONS, **content}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(content, handle, allow_nan=False, separators=(",", ":"))
    print("wrote", path, len(content.get("cases", [])), "cases")


def finite_or_none(value):
    value = float(value)
    return value if np.isfinite(value) else None


def solve_log(log_tail, log_tail_slope, target, start):
    """x > 0 with log_tail(x) = log(target): Newton steps on u = log x,
    `log_tail_slope(x)` being d log_tail / d log x, from `start` (SciPy's double-precision answer or
    an asymptotic expansion), until the step is below 1e-35."""
    log_target = mp.log(target)
    u = mp.log(start)
    for _ in range(100):
        x = mp.e ** u
        step = (log_tail(x) - log_target) / log_tail_slope(x)
        u -= step
        if abs(step) < mp.mpf("1e-35"):
            return mp.e ** u
    raise RuntimeError("no convergence")


# ------------------------------------------------------------------------------------------
# Student t: P(T > |t|) = I_x(df/2, 1/2)/2 with x = df/(df + t^2).
def t_upper(t, df):
    t, df = mp.mpf(t), mp.mpf(df)
    absolute = abs(t)
    square = absolute * absolute
    x, y = df / (df + square), square / (df + square)
    # Evaluate the smaller tail directly: I_x(df/2, 1/2) below its mean df/(df+1).
    if x < df / (df + 1):
        # Leading term x^a/(a B(a, 1/2)): skip the evaluation when the value underflows a double.
        log_leading = df / 2 * mp.log(x) - mp.log(df / 2) - mp.log(mp.beta(df / 2, HALF))
        if log_leading < -760:
            beyond = mp.mpf(0)
        else:
            beyond = mp.betainc(df / 2, HALF, 0, x, regularized=True) / 2
    else:
        beyond = (1 - mp.betainc(HALF, df / 2, 0, y, regularized=True)) / 2
    return beyond if t >= 0 else 1 - beyond


def t_density(t, df):
    t, df = mp.mpf(t), mp.mpf(df)
    return mp.e ** (mp.loggamma((df + 1) / 2) - mp.loggamma(df / 2) - mp.log(df * mp.pi) / 2
                    - (df + 1) / 2 * mp.log1p(t * t / df))


def student_t():
    dfs = [0.5, 1, 1.5, 2, 3, 4.5, 7, 10, 29, 30, 100, 1000, 1e5]
    ts = [0.0, 1e-8, 0.01, 0.3, 1, 1.96, 2.5, 4, 8, 15, 40, 100, 1e4, 1e8, 1e30, 1e60, 1e200]
    cases = []
    for df in dfs:
        for t in ts:
            for sign in ([1] if t == 0 else [1, -1]):
                value = sign * t
                upper = t_upper(value, df)
                lower = 1 - upper if value >= 0 else t_upper(-value, df)
                upper = upper if value >= 0 else 1 - lower
                cases.append({"t": value, "df": df, "lower": float(lower), "upper": float(upper),
                              "scipy_lower": float(stats.t.cdf(value, df)),
                              "scipy_upper": float(stats.t.sf(value, df))})
    quantiles = []
    for df in dfs:
        for p in [1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-10, 1e-5, 1e-3, 0.025, 0.1, 0.3, 0.45, 0.4999]:
            start = float(stats.t.isf(p, df))
            if not (0 < start < float("inf")):
                # Leading term of the small-x expansion: P(T > t) ~ (df/t^2)^(df/2)/(df B(df/2, 1/2)).
                log_t = (df / 2 * mp.log(df) - mp.log(df * mp.beta(df / 2, HALF)) - mp.log(p)) / df
                start = mp.e ** log_t
            magnitude = solve_log(lambda a: mp.log(t_upper(a, df)),
                                  lambda a: -a * t_density(a, df) / t_upper(a, df), mp.mpf(p), start)
            if magnitude > mp.mpf("1e308"):
                continue  # beyond the double range
            quantiles.append({"p": p, "df": df, "quantile": float(-magnitude),
                              "scipy": finite_or_none(stats.t.ppf(p, df))})
    write("student_t_mpmath.json", {
        "source": "mpmath 50 digits: P(T>|t|) = betainc(df/2, 1/2, 0, df/(df+t^2), regularized)/2; "
                  "quantiles (lower tail, p < 1/2; the upper tail follows by symmetry) by findroot",
        "tolerance": {"rel": 2e-13, "abs": 1e-320,
                      "note": "tails and quantiles; pass if |got-expected| <= max(abs, rel*|expected|)"},
        "cases": cases, "quantiles": quantiles})


# ------------------------------------------------------------------------------------------
# Gamma (unit scale): P(a, x) and Q(a, x); chi-squared with df = 2a at 2x.
def gamma_tails(a, x):
    a, x = mp.mpf(a), mp.mpf(x)
    # Evaluate the tail on the near side of the mean directly; the other one as 1 - that (50 digits).
    if x < a:
        lower = mp.gammainc(a, 0, x, regularized=True)
        return (lower, 1 - lower)
    upper = mp.gammainc(a, x, mp.inf, regularized=True)
    return (1 - upper, upper)


def gamma_x_density(a, x):
    """x * density = exp(-x) x^a / Gamma(a)."""
    a, x = mp.mpf(a), mp.mpf(x)
    return mp.e ** (-x + a * mp.log(x) - mp.loggamma(a))


def gamma():
    shapes = [0.1, 0.5, 1, 1.5, 2.5, 5, 10, 30.5, 100, 1000, 1e4, 1e5]
    cases = []
    for a in shapes:
        points = {1e-300, 1e-100, 1e-10, 1e-3, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 1e4, 1e5,
                  1.2e5, 2e5}
        for k in [-20, -5, -1, -0.1, 0, 0.1, 1, 5, 20, 50]:
            x = a + k * a ** 0.5
            if x > 0:
                points.add(float(x))
        for x in sorted(points):
            lower, upper = gamma_tails(a, x)
            cases.append({"x": x, "shape": a, "lower": float(lower), "upper": float(upper),
                          "scipy_lower": float(special.gammainc(a, x)),
                          "scipy_upper": float(special.gammaincc(a, x))})
    quantiles = []
    for a in shapes:
        for p in [1e-300, 1e-100, 1e-20, 1e-8, 1e-3, 0.025, 0.3, 0.5]:
            for upper_tail in [False, True]:
                index = 1 if upper_tail else 0
                start = float(stats.gamma.isf(p, a) if upper_tail else stats.gamma.ppf(p, a))
                if not (0 < start < float("inf")):
                    continue  # SciPy underflows; no starting value (never in the grid's useful range)
                sign = -1 if upper_tail else 1
                root = solve_log(lambda x: mp.log(gamma_tails(a, x)[index]),
                                 lambda x: sign * gamma_x_density(a, x) / gamma_tails(a, x)[index],
                                 mp.mpf(p), start)
                if not (mp.mpf("1e-308") < root < mp.mpf("1e308")):
                    continue
                quantiles.append({"p": p, "shape": a, "upper_tail": upper_tail, "quantile": float(root),
                                  "scipy": finite_or_none(start)})
    write("gamma_mpmath.json", {
        "source": "mpmath 50 digits: gammainc(a, 0, x) and gammainc(a, x, inf), regularized; quantiles by "
                  "Newton on the log tail from SciPy's value (chi-squared: df = 2*shape, x = 2*gamma x)",
        "tolerance": {"rel": 5e-13, "abs": 1e-320,
                      "note": "tails and quantiles; pass if |got-expected| <= max(abs, rel*|expected|). "
                              "Typical error ~1e-14; up to ~4e-13 for shapes >= 1000 several sd below "
                              "the mean, from cancellation in Loader's bd0 = a log(a/x) + x - a "
                              "(shared with R 4.2 pgamma/dpois)"},
        "cases": cases, "quantiles": quantiles})


if __name__ == "__main__":
    student_t()
    gamma()
