#!/usr/bin/env python3
"""Cross-check fixtures from PySAL esda for the graphs of hotspots_r.json (issue 5).

    python3 Tests/FixtureScripts/hotspots/gen_hotspot_fixtures_esda.py   (after the R script)

Reads Tests/BinhYenStatsTests/Fixtures/reference/hotspots_r.json (graphs and values made by the R
script), runs esda.G_Local analytic z-scores and writes hotspots_esda.json next to it:
  * gistar_binary: G_Local(star=True, transform='B') — must equal spdep (METHODS 8.3);
  * gi_binary: G_Local(star=False, transform='B') — islands give NaN (written null);
  * gistar_row_esda: G_Local(star=True, transform='R') — esda's binary-only variance, which
    METHODS 8.3 says is wrong for row-standardised weights; kept to test that BinhYen differs.
  * p_norm_one_sided: esda's p_norm (one-sided), to document that BinhYen doubles it.
Versions: esda 2.9.0, libpysal 4.14.1, numpy (see the file).
"""
import json
import os
import warnings

import esda
import libpysal
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "..", "..", "BinhYenStatsTests", "Fixtures", "reference")


def clean(values):
    return [None if not np.isfinite(v) else float(v) for v in values]


def weights(n, edges, transform):
    neighbors = {i: [] for i in range(n)}
    for a, b in edges:
        neighbors[a].append(b)
        neighbors[b].append(a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.W(neighbors, silence_warnings=True)
    w.transform = transform
    return w


def main():
    with open(os.path.join(REF, "hotspots_r.json"), encoding="utf-8") as f:
        source = json.load(f)
    cases = []
    for case in source["gistar"]:
        n, edges, x = case["n"], case["edges"], np.array(case["x"], dtype=float)
        out = {"id": case["id"]}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            star = esda.G_Local(x, weights(n, edges, "B"), star=True, transform="B", permutations=0)
            gi = esda.G_Local(x, weights(n, edges, "B"), star=False, transform="B", permutations=0)
            row = esda.G_Local(x, weights(n, edges, "R"), star=True, transform="R", permutations=0)
        out["gistar_binary"] = clean(star.Zs)
        out["gi_binary"] = clean(gi.Zs)
        out["gistar_row_esda"] = clean(row.Zs)
        out["p_norm_one_sided"] = clean(star.p_norm)
        cases.append(out)
    result = {
        "generator": "Tests/FixtureScripts/hotspots/gen_hotspot_fixtures_esda.py",
        "versions": {"esda": esda.__version__, "libpysal": libpysal.__version__, "numpy": np.__version__},
        "tolerance": {"rel": 1e-10, "abs": 1e-12},
        "gistar": cases,
    }
    path = os.path.join(REF, "hotspots_esda.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, separators=(",", ":"))
    print("wrote", path)


if __name__ == "__main__":
    main()
