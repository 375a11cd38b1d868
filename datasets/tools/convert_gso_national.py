#!/usr/bin/env python3
"""Convert the GSO national table (vn-gso-national/data.csv) into BinhYen's long layout.

Only the series that have a BinhYen category are converted (traffic and fire, SPEC §3):
  traffic_accident/accidents_total -> traffic.cases      fire_explosion/cases   -> fire.cases
  traffic_accident/deaths          -> traffic.deaths     fire_explosion/deaths  -> fire.deaths
  traffic_accident/injured         -> traffic.injuries   fire_explosion/injured -> fire.injuries
The national unit is written as a commune-level row (no village column). GSO's "not available"
cells stay empty (missing, never zero); "preliminary" goes into the note column.
"""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "vn-gso-national", "data.csv")
DST = os.path.join(HERE, "..", "vn-gso-national", "gso-national-long.csv")
MAP = {
    ("traffic_accident", "accidents_total"): ("traffic", "cases"),
    ("traffic_accident", "deaths"): ("traffic", "deaths"),
    ("traffic_accident", "injured"): ("traffic", "injuries"),
    ("fire_explosion", "cases"): ("fire", "cases"),
    ("fire_explosion", "deaths"): ("fire", "deaths"),
    ("fire_explosion", "injured"): ("fire", "injuries"),
}

with open(SRC, encoding="utf-8") as fh, open(DST, "w", newline="", encoding="utf-8") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["commune", "commune_code", "year", "category", "metric", "count", "note"])
    for row in csv.DictReader(fh):
        target = MAP.get((row["category"], row["metric"]))
        if target is None:
            continue
        count = row["count"]
        if count.endswith(".0"):
            count = count[:-2]
        note = "GSO: preliminary (sơ bộ)" if row["flag"] == "preliminary" else ""
        w.writerow([row["unit_name"], row["unit_code"], row["year"], target[0], target[1], count, note])
