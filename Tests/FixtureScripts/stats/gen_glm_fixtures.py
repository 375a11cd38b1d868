#!/usr/bin/env python3
"""Generates the Python reference fixtures of the count-trend models (BinhYenStats).

    python3 Tests/FixtureScripts/stats/gen_glm_fixtures.py [output-dir]

Default output: Tests/BinhYenStatsTests/Fixtures/reference/ (run from the package root, after
gen_glm_fixtures.R, whose glm_series_r.json supplies the series for the statsmodels cross-check).
Needs numpy, scipy, mpmath and statsmodels (`pip install statsmodels`). Writes:

  polygamma.json            digamma/trigamma: mpmath (50 digits) truth, SciPy beside it; the
                            internal ψ(x) − log x and ψ'(x) − 1/x; the Taylor coefficients of ψ at
                            its positive root that BinhYenStats hard-codes
  gauss_hermite_numpy.json  numpy.polynomial.hermite.hermgauss(64) nodes and weights
  negative_binomial_mpmath.json  NB pmf at 50 digits on the grid of negative_binomial_r.json
  glm_statsmodels.json      statsmodels GLM Poisson, quasi-Poisson (scale='X2', normal p-values)
                            and discrete NegativeBinomial (nb2, joint Hessian) on the R series
"""
import json
import os
import sys
import warnings

import mpmath as mp
import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import special

mp.mp.dps = 50
OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/BinhYenStatsTests/Fixtures/reference"
os.makedirs(OUT, exist_ok=True)
VERSIONS = {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
            "mpmath": mp.__version__, "statsmodels": statsmodels.__version__}


def write(name, content):
    path = os.path.join(OUT, name)
    content = {"versions": VERSIONS, **content}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(content, handle, allow_nan=False, separators=(",", ":"))
    print("wrote", path)


def polygamma():
    root = mp.findroot(mp.digamma, 1.46)
    points = [1e-8, 1e-3, 0.1, 0.5, 0.9, 1.0, 1.2, 1.3, 1.4, 1.45, 1.46, 1.4616321449683622, 1.4616321449683625,
              1.47, 1.5, 1.6, 1.7, 1.75, 2.0, 2.5, 3.3, 5.0, 7.77, 9.999, 10.0, 10.001, 12.1174745042615, 23.5,
              100.0, 1234.5, 1e5, 1e8, 1e12, 1e300,
              -0.5, -1.5, -2.25, -10.3, -100.7]
    # Dense sweep through the neighbourhood of the positive root and the recurrence range.
    points += [float(v) for v in np.linspace(1.2, 1.75, 23)] + [float(v) for v in np.geomspace(0.01, 30, 40)]
    digamma = [{"x": x, "value": float(mp.digamma(mp.mpf(x))), "scipy": float(special.digamma(x))} for x in points]
    trigamma = [{"x": x, "value": float(mp.polygamma(1, mp.mpf(x))), "scipy": float(special.polygamma(1, x))}
                for x in points if x < 1e299]
    large = [0.5, 3.0, 9.5, 10.0, 12.1174745042615, 55.5, 1e3, 1e4, 1e5, 1e6, 1e7, 1e9, 1e12]
    digamma_minus_log = [{"x": x, "value": float(mp.digamma(mp.mpf(x)) - mp.log(mp.mpf(x)))} for x in large]
    trigamma_minus_reciprocal = [{"x": x, "value": float(mp.polygamma(1, mp.mpf(x)) - 1 / mp.mpf(x))} for x in large]
    taylor = [float((-1) ** (k + 1) * mp.zeta(k + 1, root)) for k in range(1, 25)]
    write("polygamma.json", {
        "source": "mpmath digamma/polygamma(1, x) at 50 digits (value); scipy.special digamma/polygamma (scipy)",
        "tolerance": {
            "value": {"rel": 1e-14, "abs": 0.0,
                      "note": "x > 0 against mpmath; negative x (reflection) rel 1e-13"},
            "negative": {"rel": 1e-13, "abs": 0.0},
            "scipy": {"rel": 1e-13, "abs": 0.0,
                      "note": "SciPy's own error near the root of digamma reaches ~1e-15 absolute"},
            "helpers": {"rel": 1e-14, "abs": 0.0},
        },
        "digamma_root": mp.nstr(root, 30),
        "digamma_root_taylor": taylor,
        "digamma": digamma,
        "trigamma": trigamma,
        "digamma_minus_log": digamma_minus_log,
        "trigamma_minus_reciprocal": trigamma_minus_reciprocal,
    })


def gauss_hermite():
    nodes, weights = np.polynomial.hermite.hermgauss(64)
    write("gauss_hermite_numpy.json", {
        "source": "numpy.polynomial.hermite.hermgauss(64) (Golub-Welsch + Newton polishing)",
        "tolerance": {"nodes": {"rel": 1e-14, "abs": 1e-15}, "weights": {"rel": 1e-12, "abs": 0.0},
                      "note": "weights range from 0.35 down to 5.5e-49; relative error matters"},
        "nodes": [float(v) for v in nodes],
        "weights": [float(v) for v in weights],
    })


def negative_binomial_pmf():
    """NB pmf at 50 digits on the grid of negative_binomial_r.json (R 4.2's dnbinom loses ~2.5e-11)."""
    with open(os.path.join(OUT, "negative_binomial_r.json"), encoding="utf-8") as handle:
        grid = json.load(handle)["cases"]
    cases = []
    for case in grid:
        k, size, mean = mp.mpf(case["k"]), mp.mpf(case["size"]), mp.mpf(case["mean"])
        log_pmf = (mp.loggamma(k + size) - mp.loggamma(size) - mp.loggamma(k + 1)
                   + size * mp.log(size / (size + mean)) + k * mp.log(mean / (size + mean)))
        cases.append({"k": case["k"], "size": case["size"], "mean": case["mean"],
                      "pmf": float(mp.exp(log_pmf)), "log_pmf": float(log_pmf)})
    write("negative_binomial_mpmath.json", {
        "source": "mpmath 50 digits: log pmf = lgamma(k+size) - lgamma(size) - lgamma(k+1) + size*log(size/(size+mu)) "
                  "+ k*log(mu/(size+mu))",
        "tolerance": {"rel": 1e-13, "abs": 1e-300,
                      "note": "pmf below 1e-20 carries the relative error of exp of a large exponent: rel 1e-12 there"},
        "cases": cases,
    })


def statsmodels_cross_check():
    with open(os.path.join(OUT, "glm_series_r.json"), encoding="utf-8") as handle:
        series = json.load(handle)["cases"]
    results = []
    for case in series:
        years = np.array(case["years"], dtype=float)
        y = np.array(case["counts"], dtype=float)
        t = years - years[0]
        X = np.column_stack([np.ones_like(t), t])
        offset = np.log(np.array(case["population"], dtype=float)) if case.get("population") else np.zeros_like(t)
        entry = {"id": case["id"]}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            poisson = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit(tol=1e-14, maxiter=200)
            entry["poisson"] = {"params": poisson.params.tolist(), "bse": poisson.bse.tolist(),
                                "deviance": float(poisson.deviance), "pearson_chi2": float(poisson.pearson_chi2),
                                "llf": float(poisson.llf)}
            if case.get("quasipoisson"):
                quasi = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit(scale="X2", tol=1e-14, maxiter=200)
                entry["quasipoisson"] = {"scale": float(quasi.scale), "bse": quasi.bse.tolist(),
                                         "pvalues_normal": quasi.pvalues.tolist()}
            if case["negbin_status"] == "ok":
                try:
                    nb = sm.NegativeBinomial(y, X, loglike_method="nb2", offset=offset).fit(
                        start_params=np.append(case["negbin"]["coef"], 1 / case["negbin"]["theta"]),
                        method="bfgs", maxiter=2000, gtol=1e-10, disp=0)
                    entry["negbin"] = {"params": nb.params[:2].tolist(), "alpha": float(nb.params[2]),
                                       "bse_joint": nb.bse[:2].tolist(), "llf": float(nb.llf)}
                except Exception as error:  # statsmodels fails on some near-Poisson series
                    entry["negbin_error"] = str(error)
        results.append(entry)
    write("glm_statsmodels.json", {
        "source": "statsmodels GLM(Poisson, offset).fit(tol=1e-14); scale='X2' for quasi-Poisson; "
                  "discrete NegativeBinomial(nb2, offset) by BFGS from the R estimates",
        "tolerance": {
            "poisson": {"rel": 1e-7, "abs": 1e-12,
                        "note": "statsmodels bse use the IRLS weights of its last iteration (like R summary.glm)"},
            "negbin_params": {"rel": 1e-6, "abs": 1e-9, "note": "BFGS optimum (gtol 1e-10)"},
            "note": "statsmodels' joint-Hessian NB standard errors and normal quasi-Poisson p-values are "
                    "different conventions (METHODS 6.2, 6.3): stored for documentation, not asserted equal",
        },
        "cases": results,
    })


polygamma()
gauss_hermite()
negative_binomial_pmf()
statsmodels_cross_check()
