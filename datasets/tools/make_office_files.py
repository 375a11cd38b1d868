#!/usr/bin/env python3
"""The sample commune as village heads really send it: datasets/office-files/.

Reads datasets/sample-commune/xa-binh-yen-thang-2018-2025.csv (synthetic, see README) and writes:
  bao-cao-<village>.xlsx    one workbook per village, one sheet per year ("Năm 2024"), wide layout with a
                            merged title, a two-row heading (TNGT over Số vụ | Người chết | Người bị thương)
                            and the village name merged over its twelve month rows (openpyxl);
  so-lieu-2024-2025-tcvn3.csv  the long rows of 2024–2025 in the legacy TCVN3 (ABC) encoding (glibc iconv);
  vu-viec-2024-2025.xlsx    an incident log: one row per traffic accident or fire of 2024–2025, dated inside
                            the statistical month it is counted in (15th of the previous month to the 14th),
                            with deaths, injuries and damage adding up to the monthly counts (xlsxwriter);
  danh-sach-thon.csv        the villages file: code, name, aliases, kind, commune, population and households by year;
  chuyen-doi-don-vi.csv     a crosswalk with one merge (Thôn Đông + Thôn Tây → Thôn Đông Tây, 01/01/2026).

Deterministic: re-running writes identical bytes (fixed ZIP and document timestamps). Needs openpyxl and
xlsxwriter (pip install openpyxl xlsxwriter) and glibc iconv.
"""
import collections
import csv
import datetime
import io
import os
import re
import subprocess
import zipfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SOURCE = os.path.join(ROOT, "sample-commune", "xa-binh-yen-thang-2018-2025.csv")
OUT = os.path.join(ROOT, "office-files")

# Wide columns: (group heading, sub-heading or None, category label in the long file, metric label).
WIDE = [
    ("Tội phạm TTXH", None, "Phạm tội về trật tự xã hội", "số vụ"),
    ("Tội phạm ma túy", None, "Phạm tội về ma túy", "số vụ"),
    ("Tội phạm kinh tế", None, "Phạm tội về trật tự quản lý kinh tế", "số vụ"),
    ("Tội phạm môi trường", None, "Phạm tội về môi trường, an toàn thực phẩm", "số vụ"),
    ("Tệ nạn xã hội", None, "Tệ nạn xã hội", "số vụ"),
    ("TNGT", "Số vụ", "Tai nạn giao thông", "số vụ"),
    ("TNGT", "Người chết", "Tai nạn giao thông", "số người chết"),
    ("TNGT", "Người bị thương", "Tai nạn giao thông", "số người bị thương"),
    ("Cháy, nổ", "Số vụ", "Cháy, nổ", "số vụ"),
    ("Cháy, nổ", "Người chết", "Cháy, nổ", "số người chết"),
    ("Cháy, nổ", "Người bị thương", "Cháy, nổ", "số người bị thương"),
    ("TNLĐ", "Số vụ", "Tai nạn lao động", "số vụ"),
    ("TNLĐ", "Người chết", "Tai nạn lao động", "số người chết"),
]

VILLAGE_INFO = {  # code, kind, aliases (for the villages file)
    "Thôn Đông": ("BY01", "thôn", ""), "Thôn Tây": ("BY02", "thôn", ""), "Thôn Trung": ("BY03", "thôn", ""),
    "Xóm Chợ": ("BY04", "xóm", "Khu Chợ"), "Xóm Bến": ("BY05", "xóm", "Xóm Bến Đò"), "Thôn Phú Thủy": ("BY06", "thôn", "Phú Thuỷ"),
    "Thôn Hòa Bình": ("BY07", "thôn", "Hoà Bình"), "Thôn An Lạc": ("BY08", "thôn", ""), "Thôn Đồng Tâm": ("BY09", "thôn", ""),
    "Tổ dân phố 1": ("BY10", "tổ dân phố", "TDP số 1"),
}

SLUG = str.maketrans("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ ",
                     "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd-")


def slug(name):
    return name.lower().translate(SLUG)


def fixed_zip(path):
    """Rewrites a ZIP with fixed entry and document timestamps so that re-running gives identical bytes."""
    with zipfile.ZipFile(path) as src:
        items = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in items:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", data)
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)


def load():
    with open(SOURCE, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    values = {}
    population = {}
    households = {}
    for r in rows:
        key = (r["Thôn"], int(r["Năm"]), int(r["Tháng"]), r["Lĩnh vực"], r["Chỉ tiêu"])
        values[key] = (int(r["Số lượng"]), int(r["Bất khả kháng"] or 0))
        population[(r["Thôn"], int(r["Năm"]))] = r["Dân số"]
        households[(r["Thôn"], int(r["Năm"]))] = r["Số hộ"]
    villages = list(dict.fromkeys(r["Thôn"] for r in rows))
    commune = rows[0]["Xã"]
    return rows, values, population, households, villages, commune


def village_workbooks(values, population, villages, commune):
    import openpyxl
    from openpyxl.styles import Alignment, Font

    for village in villages:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for year in range(2018, 2026):
            ws = wb.create_sheet(f"Năm {year}")
            last = openpyxl.utils.get_column_letter(4 + len(WIDE))
            ws["A1"] = f"BÁO CÁO SỐ LIỆU AN NINH, TRẬT TỰ – {village.upper()}"
            ws.merge_cells(f"A1:{last}1")
            ws["A1"].font = Font(bold=True)
            ws["A1"].alignment = Alignment(horizontal="center")
            ws["A2"] = f"{commune} – năm {year} (kỳ báo cáo tháng: từ ngày 15 tháng trước đến ngày 14)"
            ws.merge_cells(f"A2:{last}2")
            for col, text in enumerate(["STT", "Thôn", "Tháng", "Dân số"], start=1):
                ws.cell(4, col, text)
                ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
            col = 5
            groups = collections.OrderedDict()
            for i, (group, sub, _, _) in enumerate(WIDE):
                groups.setdefault(group, []).append((col + i, sub))
            for group, cells in groups.items():
                first, last_col = cells[0][0], cells[-1][0]
                ws.cell(4, first, group)
                if cells[0][1] is None:
                    ws.merge_cells(start_row=4, start_column=first, end_row=5, end_column=first)
                else:
                    ws.merge_cells(start_row=4, start_column=first, end_row=4, end_column=last_col)
                    for c, sub in cells:
                        ws.cell(5, c, sub)
            for month in range(1, 13):
                row = 5 + month
                ws.cell(row, 3, month)
                ws.cell(row, 4, int(population[(village, year)]))
                for i, (_, _, category, metric) in enumerate(WIDE):
                    ws.cell(row, 5 + i, values[(village, year, month, category, metric)][0])
            ws.cell(6, 1, 1)
            ws.merge_cells("A6:A17")
            ws.cell(6, 2, village)
            ws.merge_cells("B6:B17")
            ws["B6"].alignment = Alignment(vertical="center")
            ws.cell(18, 2, "Cộng")
            for i in range(len(WIDE)):
                letter = openpyxl.utils.get_column_letter(5 + i)
                ws.cell(18, 5 + i, f"=SUM({letter}6:{letter}17)")
        path = os.path.join(OUT, f"bao-cao-{slug(village)}.xlsx")
        wb.save(path)
        fixed_zip(path)


def tcvn3_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(rows[0].keys()))
    for r in rows:
        if r["Năm"] in ("2024", "2025"):
            writer.writerow(list(r.values()))
    encoded = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=out.getvalue().encode("utf-8"),
                             check=True, capture_output=True).stdout
    with open(os.path.join(OUT, "so-lieu-2024-2025-tcvn3.csv"), "wb") as f:
        f.write(encoded)


def statistical_month(year, month):
    """First and last day of statistical month `month` of `year` (15th of the month before to the 14th)."""
    start = datetime.date(year - 1, 12, 15) if month == 1 else datetime.date(year, month - 1, 15)
    return start, datetime.date(year, month, 14)


def split(total, parts):
    """`total` spread over `parts` incidents (the first ones get the remainder)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def incident_log(values, villages):
    import xlsxwriter

    incidents = []
    for year in (2024, 2025):
        for month in range(1, 13):
            start, end = statistical_month(year, month)
            span = (end - start).days + 1
            for village in villages:
                for category, label in (("Tai nạn giao thông", "Tai nạn giao thông"), ("Cháy, nổ", "Cháy, nổ")):
                    cases, excluded = values[(village, year, month, category, "số vụ")]
                    if cases == 0:
                        continue
                    deaths = split(values[(village, year, month, category, "số người chết")][0], cases)
                    injuries = split(values[(village, year, month, category, "số người bị thương")][0], cases)
                    damage = split(values[(village, year, month, category, "thiệt hại tài sản")][0], cases)
                    for k in range(cases):
                        offset = (villages.index(village) * 5 + k * 11 + month * 3) % span
                        incidents.append((start + datetime.timedelta(days=offset), village, label, deaths[k], injuries[k],
                                          damage[k], k < excluded))
    incidents.sort(key=lambda i: (i[0], i[1], i[2]))
    path = os.path.join(OUT, "vu-viec-2024-2025.xlsx")
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Danh sách vụ việc")
    bold = wb.add_format({"bold": True, "align": "center"})
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    money = wb.add_format({"num_format": "#,##0"})
    ws.merge_range("A1:I1", "DANH SÁCH VỤ TAI NẠN GIAO THÔNG, CHÁY NỔ NĂM 2024–2025", bold)
    ws.merge_range("A2:I2", "Xã Bình Yên (dữ liệu mẫu)")
    ws.write_row("A4", ["STT", "Ngày xảy ra", "Thôn", "Lĩnh vực", "Số người chết", "Số người bị thương", "Thiệt hại (đồng)",
                        "Bất khả kháng", "Ghi chú"], bold)
    for i, (date, village, label, deaths, injuries, damage, force) in enumerate(incidents):
        row = 4 + i
        ws.write_number(row, 0, i + 1)
        ws.write_datetime(row, 1, datetime.datetime(date.year, date.month, date.day), date_format)
        ws.write_row(row, 2, [village, label, deaths, injuries])
        ws.write_number(row, 6, damage, money)
        ws.write(row, 7, "có" if force else "không")
        if force:
            ws.write(row, 8, "Sét đánh (bất khả kháng)" if label == "Cháy, nổ" else "Sạt lở đất (bất khả kháng)")
    wb.set_properties({"created": datetime.datetime(2025, 1, 1)})
    wb.close()
    fixed_zip(path)
    return len(incidents)


def villages_file(villages, population, households, commune):
    with open(os.path.join(OUT, "danh-sach-thon.csv"), "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(["Mã thôn", "Tên thôn", "Tên khác", "Loại", "Xã", "Năm", "Dân số", "Số hộ"])
        for village in villages:
            code, kind, aliases = VILLAGE_INFO[village]
            for year in range(2018, 2026):
                writer.writerow([code, village, aliases, kind, commune, year, population[(village, year)], households[(village, year)]])


def crosswalk_file():
    with open(os.path.join(OUT, "chuyen-doi-don-vi.csv"), "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(["Cấp", "Đơn vị cũ", "Mã cũ", "Đơn vị mới", "Mã mới", "Loại thay đổi", "Ngày hiệu lực", "Căn cứ"])
        writer.writerow(["thôn", "Thôn Đông", "BY01", "Thôn Đông Tây", "BY11", "gộp", "01/01/2026", "Nghị quyết HĐND xã (giả định, dữ liệu mẫu)"])
        writer.writerow(["thôn", "Thôn Tây", "BY02", "Thôn Đông Tây", "BY11", "gộp", "01/01/2026", "Nghị quyết HĐND xã (giả định, dữ liệu mẫu)"])


def main():
    os.makedirs(OUT, exist_ok=True)
    rows, values, population, households, villages, commune = load()
    village_workbooks(values, population, villages, commune)
    tcvn3_csv(rows)
    count = incident_log(values, villages)
    villages_file(villages, population, households, commune)
    crosswalk_file()
    print(f"wrote {len(villages)} workbooks, {count} incidents")


if __name__ == "__main__":
    main()
