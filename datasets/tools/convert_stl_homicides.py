#!/usr/bin/env python3
"""Convert the St Louis county homicide panel (datasets/us-stl-homicides/data.csv, from PySAL
libpysal's `stl` example; see SOURCE.md there) into BinhYen's long layout.

* commune  = "St Louis region" (one study area), village = county name, village_code = FIPS code
  (the adjacency file uses the codes);
* year     = the last year of each period (1984, 1988, 1993);
* category = crime, metric = cases (homicides are crimes against social order);
* population = person-years of the period (the source's PO7984/PO8488/PO8893), so a "rate per
  1,000" is per 1,000 person-years; Gi* z-scores do not depend on the scale.

Standard library only; writes stl-homicides-long.csv next to data.csv.
"""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.join(HERE, "..", "us-stl-homicides")

with open(os.path.join(FOLDER, "data.csv"), newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))

with open(os.path.join(FOLDER, "stl-homicides-long.csv"), "w", newline="", encoding="utf-8") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow(["commune", "village", "village_code", "year", "category", "metric", "count", "population", "note"])
    for r in rows:
        out.writerow(["St Louis region", r["unit_name"], r["unit_code"], r["year_end"], "crime", "cases", r["count"],
                      r["population"], f"homicides {r['period']}; population = person-years"])
