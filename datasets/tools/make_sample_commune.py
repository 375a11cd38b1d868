#!/usr/bin/env python3
"""Generate the bundled SYNTHETIC sample commune "Xã Bình Yên (dữ liệu mẫu)".

Deterministic (fixed seed, standard library only): running it again writes byte-identical files.
Monthly counts 2018-01 .. 2025-12 for 10 villages and every category/metric of SPEC §3.

The numbers are invented. They are shaped so that the demo shows each kind of verdict:
  * commune social-order crime 2025 vs 2024 falls by exactly the 5% boundary (met),
  * traffic deaths rise (not met), fires fall only once a force-majeure fire is excluded,
  * "Xóm Chợ" has a rising crime trend (for the hotspot analyses of later issues).

Outputs (in datasets/sample-commune/):
  xa-binh-yen-thang-2018-2025.csv       long layout, Vietnamese headings, one count per row
  xa-binh-yen-rong-thang-2018-2025.csv  wide layout, one row per village and month
"""
import csv
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "sample-commune")
COMMUNE = "Xã Bình Yên (dữ liệu mẫu)"
YEARS = range(2018, 2026)

# name, population in 2018, yearly growth, crime multiplier, crime trend per year
VILLAGES = [
    ("Thôn Đông", 1850, 0.010, 1.0, -0.04),
    ("Thôn Tây", 1420, 0.008, 0.8, -0.02),
    ("Thôn Trung", 2310, 0.012, 1.3, -0.03),
    ("Thôn Hòa Bình", 1180, 0.006, 0.7, -0.05),
    ("Thôn Phú Thủy", 960, 0.004, 0.6, 0.00),
    ("Xóm Bến", 740, 0.003, 0.9, -0.01),
    ("Xóm Chợ", 1630, 0.015, 1.6, 0.09),
    ("Thôn An Lạc", 1270, 0.007, 0.8, -0.03),
    ("Tổ dân phố 1", 2050, 0.018, 1.2, -0.02),
    ("Thôn Đồng Tâm", 1090, 0.005, 0.7, -0.04),
]

# (category label as written by the commune office, metric label, id, yearly rate per 1,000 residents)
SERIES = [
    ("Phạm tội về trật tự xã hội", "số vụ", "crime.cases", 3.2),
    ("Phạm tội về trật tự xã hội", "số vụ khám phá", "crime.solved", None),
    ("Phạm tội về trật tự xã hội", "số đối tượng", "crime.suspects", None),
    ("Phạm tội về ma túy", "số vụ", "drug_crime.cases", 0.6),
    ("Phạm tội về ma túy", "số đối tượng", "drug_crime.suspects", None),
    ("Phạm tội về trật tự quản lý kinh tế", "số vụ", "economic_crime.cases", 0.25),
    ("Phạm tội về môi trường, an toàn thực phẩm", "số vụ", "environment_crime.cases", 0.12),
    ("Tệ nạn xã hội", "số vụ", "social_evil.cases", 1.4),
    ("Tệ nạn xã hội", "số người", "social_evil.persons", None),
    ("Tai nạn giao thông", "số vụ", "traffic.cases", 1.1),
    ("Tai nạn giao thông", "số người chết", "traffic.deaths", None),
    ("Tai nạn giao thông", "số người bị thương", "traffic.injuries", None),
    ("Tai nạn giao thông", "thiệt hại tài sản", "traffic.damage_vnd", None),
    ("Cháy, nổ", "số vụ", "fire.cases", 0.35),
    ("Cháy, nổ", "số người chết", "fire.deaths", None),
    ("Cháy, nổ", "số người bị thương", "fire.injuries", None),
    ("Cháy, nổ", "thiệt hại tài sản", "fire.damage_vnd", None),
    ("Tai nạn lao động", "số vụ", "labor_accident.cases", 0.08),
    ("Tai nạn lao động", "số người chết", "labor_accident.deaths", None),
]

# Seasonality (Tết in months 1-2 raises crime and traffic).
SEASON = [1.35, 1.25, 0.95, 0.9, 0.9, 0.95, 1.0, 0.95, 0.9, 0.95, 0.95, 1.05]


def poisson(rng, lam):
    """Knuth's method (lam is small here)."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def binomial(rng, n, p):
    return sum(1 for _ in range(n) if rng.random() < p)


def generate():
    rng = random.Random(20251214)
    data = {}  # (village, series id, year, month) -> count
    excluded = {}
    population = {}
    for vname, pop0, growth, mult, trend in VILLAGES:
        for y in YEARS:
            population[(vname, y)] = round(pop0 * (1 + growth) ** (y - 2018))
        for y in YEARS:
            pop = population[(vname, y)]
            for m in range(1, 13):
                s = SEASON[m - 1]
                def base(rate, extra=1.0):
                    return rate * pop / 1000 / 12 * s * extra
                crime_trend = math.exp(trend * (y - 2018))
                c = poisson(rng, base(3.2, mult * crime_trend))
                data[(vname, "crime.cases", y, m)] = c
                data[(vname, "crime.solved", y, m)] = binomial(rng, c, 0.78)
                data[(vname, "crime.suspects", y, m)] = c + binomial(rng, c, 0.5)
                d = poisson(rng, base(0.6, mult))
                data[(vname, "drug_crime.cases", y, m)] = d
                data[(vname, "drug_crime.suspects", y, m)] = d + binomial(rng, d, 0.6)
                data[(vname, "economic_crime.cases", y, m)] = poisson(rng, base(0.25))
                data[(vname, "environment_crime.cases", y, m)] = poisson(rng, base(0.12))
                e = poisson(rng, base(1.4, mult * math.exp(-0.05 * (y - 2018))))
                data[(vname, "social_evil.cases", y, m)] = e
                data[(vname, "social_evil.persons", y, m)] = e + binomial(rng, 2 * e, 0.6)
                t = poisson(rng, base(1.1, math.exp(-0.03 * (y - 2018))))
                data[(vname, "traffic.cases", y, m)] = t
                data[(vname, "traffic.deaths", y, m)] = binomial(rng, t, 0.18)
                data[(vname, "traffic.injuries", y, m)] = t + binomial(rng, t, 0.4)
                data[(vname, "traffic.damage_vnd", y, m)] = sum(rng.randrange(2, 60) * 1_000_000 for _ in range(t))
                f = poisson(rng, base(0.35, 1.2 if m in (3, 4, 5) else 0.9))
                data[(vname, "fire.cases", y, m)] = f
                data[(vname, "fire.deaths", y, m)] = binomial(rng, f, 0.03)
                data[(vname, "fire.injuries", y, m)] = binomial(rng, f, 0.15)
                data[(vname, "fire.damage_vnd", y, m)] = sum(rng.randrange(5, 400) * 1_000_000 for _ in range(f))
                la = poisson(rng, base(0.08))
                data[(vname, "labor_accident.cases", y, m)] = la
                data[(vname, "labor_accident.deaths", y, m)] = binomial(rng, la, 0.1)
    shape_story(data, excluded)
    return data, excluded, population


def total(data, sid, year):
    return sum(v for (vn, s, y, m), v in data.items() if s == sid and y == year)


def shape_story(data, excluded):
    """Make the 2025-vs-2024 commune verdicts tell the demo's story (documented above)."""
    villages = [v[0] for v in VILLAGES]
    # Crime: 2025 total = floor(19 * 2024 / 20), exactly at the 5% boundary or just inside it.
    prev = total(data, "crime.cases", 2024)
    target = (19 * prev) // 20
    diff = total(data, "crime.cases", 2025) - target
    i = 0
    while diff != 0:
        key = (villages[i % len(villages)], "crime.cases", 2025, 1 + (i * 5) % 12)
        if diff > 0 and data[key] > 0:
            data[key] -= 1
            diff -= 1
            skey = (key[0], "crime.solved", 2025, key[3])
            data[skey] = min(data[skey], data[key])
        elif diff < 0:
            data[key] += 1
            diff += 1
        i += 1
    # Traffic deaths: one more than 2024 (not met).
    prev = total(data, "traffic.deaths", 2024)
    diff = prev + 1 - total(data, "traffic.deaths", 2025)
    i = 0
    while diff != 0:
        key = (villages[i % len(villages)], "traffic.deaths", 2025, 1 + (i * 7) % 12)
        ckey = (key[0], "traffic.cases", 2025, key[3])
        if diff > 0 and data[key] < data[ckey]:
            data[key] += 1
            diff -= 1
        elif diff < 0 and data[key] > 0:
            data[key] -= 1
            diff += 1
        i += 1
    # Fires: raw 2025 count equal to 2024, so "decrease" fails on raw counts; one 2025 fire in
    # Xóm Bến (lightning in a storm, force majeure) is excluded, and the judged count falls.
    storm = ("Xóm Bến", "fire.cases", 2025, 9)
    if data[storm] == 0:
        data[storm] = 1
        data[("Xóm Bến", "fire.damage_vnd", 2025, 9)] = 120_000_000
    excluded[storm] = 1
    prev = total(data, "fire.cases", 2024)
    diff = prev - total(data, "fire.cases", 2025)
    i = 0
    while diff != 0:
        key = (villages[i % len(villages)], "fire.cases", 2025, 1 + (i * 3) % 12)
        i += 1
        if key == storm:
            continue
        if diff > 0:
            data[key] += 1
            data[(key[0], "fire.damage_vnd", 2025, key[3])] += 15_000_000
            diff -= 1
        elif data[key] > 0:
            data[key] -= 1
            for metric in ("deaths", "injuries"):
                mk = (key[0], "fire." + metric, 2025, key[3])
                data[mk] = min(data[mk], data[key])
            if data[key] == 0:
                data[(key[0], "fire.damage_vnd", 2025, key[3])] = 0
            diff += 1
    # Traffic: one 2023 accident caused by a landslide in Thôn Phú Thủy is force majeure.
    slide = ("Thôn Phú Thủy", "traffic.cases", 2023, 10)
    if data[slide] == 0:
        data[slide] = 1
    excluded[slide] = 1


def write(data, excluded, population):
    os.makedirs(OUT, exist_ok=True)
    long_path = os.path.join(OUT, "xa-binh-yen-thang-2018-2025.csv")
    with open(long_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["Xã", "Mã xã", "Thôn", "Năm", "Tháng", "Lĩnh vực", "Chỉ tiêu", "Số lượng",
                    "Bất khả kháng", "Dân số", "Số hộ", "Ghi chú"])
        for vname, *_ in VILLAGES:
            for y in YEARS:
                pop = population[(vname, y)]
                households = round(pop / 3.9)
                for m in range(1, 13):
                    for cat, metric, sid, _ in SERIES:
                        key = (vname, sid, y, m)
                        ex = excluded.get(key, 0)
                        note = ""
                        if ex and sid == "fire.cases":
                            note = "Cháy do sét đánh trong bão (bất khả kháng)"
                        elif ex and sid == "traffic.cases":
                            note = "Sạt lở đất làm đổ xe (bất khả kháng)"
                        w.writerow([COMMUNE, "", vname, y, m, cat, metric, data[key], ex or "", pop, households, note])
    wide_path = os.path.join(OUT, "xa-binh-yen-rong-thang-2018-2025.csv")
    wide_cols = [
        ("Tội phạm TTXH", "crime.cases"), ("Tội phạm ma túy", "drug_crime.cases"),
        ("Tội phạm kinh tế", "economic_crime.cases"), ("Tội phạm môi trường", "environment_crime.cases"),
        ("Tệ nạn xã hội", "social_evil.cases"),
        ("TNGT - số vụ", "traffic.cases"), ("TNGT - người chết", "traffic.deaths"),
        ("TNGT - người bị thương", "traffic.injuries"),
        ("Cháy, nổ - số vụ", "fire.cases"), ("Cháy, nổ - người chết", "fire.deaths"),
        ("Cháy, nổ - người bị thương", "fire.injuries"),
        ("TNLĐ - số vụ", "labor_accident.cases"), ("TNLĐ - người chết", "labor_accident.deaths"),
    ]
    with open(wide_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["Xã", "Thôn", "Năm", "Tháng", "Dân số"] + [c for c, _ in wide_cols])
        for vname, *_ in VILLAGES:
            for y in YEARS:
                for m in range(1, 13):
                    w.writerow([COMMUNE, vname, y, m, population[(vname, y)]] +
                               [data[(vname, sid, y, m)] for _, sid in wide_cols])


if __name__ == "__main__":
    d, e, p = generate()
    write(d, e, p)
    for sid in ("crime.cases", "traffic.deaths", "fire.cases", "traffic.cases", "social_evil.cases", "traffic.injuries"):
        print(sid, [total(d, sid, y) for y in YEARS])
