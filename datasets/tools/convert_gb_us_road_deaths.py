#!/usr/bin/env python3
"""Convert the GB/US monthly road deaths table (gb-us-monthly-road-deaths/data.csv) into
BinhYen's long layout, for `binhyen alerts` and `binhyen ytd`.

Only the three series with surveillance reference alarms (reference_alarms.csv) are converted,
each under its own unit (a commune-level row, code = the series) so that one command runs on one
series:
  GB car_drivers_killed                          -> unit GB-DK  "Great Britain: car drivers killed"   traffic.deaths
  GB car_drivers_killed_or_seriously_injured     -> unit GB-KSI "Great Britain: car drivers killed or seriously injured"  traffic.injuries
  US accidental_deaths                           -> unit US     "United States: accidental deaths (all causes)"  traffic.deaths
BinhYen's catalogue has no "killed or seriously injured" or "all accidental deaths" metric; the
note column says what each count really is. Months are calendar months; counts are unchanged.
Standard library only; re-running writes byte-identical output.
"""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.join(HERE, "..", "gb-us-monthly-road-deaths")
SRC = os.path.join(FOLDER, "data.csv")
DST = os.path.join(FOLDER, "gb-us-long.csv")
MAP = {
    ("GB", "car_drivers_killed"): ("GB-DK", "Great Britain: car drivers killed", "traffic", "deaths",
                                   "car drivers killed (Seatbelts DriversKilled)"),
    ("GB", "car_drivers_killed_or_seriously_injured"): ("GB-KSI", "Great Britain: car drivers killed or seriously injured",
                                                        "traffic", "injuries",
                                                        "car drivers killed or seriously injured (UKDriverDeaths)"),
    ("US", "accidental_deaths"): ("US", "United States: accidental deaths (all causes)", "traffic", "deaths",
                                  "all accidental deaths, not only traffic (USAccDeaths)"),
}

with open(SRC, encoding="utf-8") as fh, open(DST, "w", newline="", encoding="utf-8") as out:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["commune", "commune_code", "year", "month", "category", "metric", "count", "note"])
    for row in csv.DictReader(fh):
        target = MAP.get((row["unit_code"], row["metric"]))
        if target is None:
            continue
        code, name, category, metric, note = target
        writer.writerow([name, code, row["year"], row["month"], category, metric, row["count"], note])
