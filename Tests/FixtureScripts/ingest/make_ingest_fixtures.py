#!/usr/bin/env python3
"""Test fixtures of BinhYenIngest: workbooks written by three programs, legacy-encoded text,
and hostile files. Writes Tests/BinhYenIngestTests/Fixtures/.

Needs: openpyxl, xlsxwriter (pip install openpyxl xlsxwriter); glibc `iconv` (TCVN5712-1 and
WINDOWS-1258 converters, an implementation independent of BinhYen's tables); optionally
LibreOffice (`soffice`) to write the same workbook a third way (skipped when absent).

Every workbook holds the same numbers, so that the tests can require identical panels:
  Xã Bình Yên, villages Thôn Đông, Thôn Tây, Xóm Bến; months 1–2 of 2024 and 2025;
  crime.cases, traffic.cases/deaths/injuries, fire.cases (see EXPECTED below).
"""
import datetime
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "BinhYenIngestTests", "Fixtures"))

VILLAGES = ["Thôn Đông", "Thôn Tây", "Xóm Bến"]
# (year, village, month) -> (crime, traffic cases, traffic deaths, traffic injuries, fire)
EXPECTED = {}
for y in (2024, 2025):
    for v, name in enumerate(VILLAGES):
        for m in (1, 2):
            k = (y - 2024) * 7 + v * 3 + m
            EXPECTED[(y, name, m)] = (k % 4, k % 3, 1 if k % 5 == 0 else 0, k % 3 + (k % 2), 1 if k % 6 == 0 else 0)

TITLE = "BÁO CÁO TÌNH HÌNH AN NINH, TRẬT TỰ"
SUBTITLE = "Xã Bình Yên (dữ liệu mẫu)"


def fixed_zip_times(path):
    """Rewrites a ZIP with fixed timestamps so that re-running gives identical bytes."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)


def wide_openpyxl(path):
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for year in (2024, 2025):
        ws = wb.create_sheet(f"Năm {year}")
        ws["A1"] = TITLE
        ws.merge_cells("A1:H1")
        ws["A1"].font = Font(bold=True)
        ws["A2"] = SUBTITLE
        ws.merge_cells("A2:H2")
        # Two heading rows: STT, Thôn, Tháng merged vertically; TNGT over three sub-headings.
        for col, text in (("A", "STT"), ("B", "Thôn"), ("C", "Tháng"), ("D", "Tội phạm TTXH"), ("H", "Cháy, nổ")):
            ws[f"{col}4"] = text
            ws.merge_cells(f"{col}4:{col}5")
        ws["E4"] = "TNGT"
        ws.merge_cells("E4:G4")
        ws["E5"], ws["F5"], ws["G5"] = "Số vụ", "Người chết", "Bị thương"
        row = 6
        for v, name in enumerate(VILLAGES):
            if year == 2025 and v == 0:
                # Rich text: "Thôn " in bold, "Đông" plain.
                ws[f"B{row}"] = CellRichText([TextBlock(InlineFont(b=True), "Thôn "), "Đông"])
            else:
                ws[f"B{row}"] = name
            ws.merge_cells(f"B{row}:B{row + 1}")
            ws[f"B{row}"].alignment = Alignment(vertical="center")
            ws[f"A{row}"] = v + 1
            ws.merge_cells(f"A{row}:A{row + 1}")
            for m in (1, 2):
                values = EXPECTED[(year, name, m)]
                ws[f"C{row}"] = m
                ws[f"D{row}"], ws[f"E{row}"], ws[f"F{row}"], ws[f"G{row}"], ws[f"H{row}"] = values
                row += 1
            if v == 0:
                row += 1  # an empty row between villages
        ws[f"B{row}"] = "Cộng"
        ws[f"D{row}"] = f"=SUM(D6:D{row - 1})"
    hidden = wb.create_sheet("Danh mục")
    hidden["A1"] = "Danh mục lĩnh vực"
    hidden.sheet_state = "hidden"
    wb.save(path)
    fixed_zip_times(path)


def wide_xlsxwriter(path):
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    wb.set_properties({"created": datetime.datetime(2025, 1, 1)})
    bold = wb.add_format({"bold": True})
    center = wb.add_format({"valign": "vcenter"})
    for year in (2024, 2025):
        ws = wb.add_worksheet(f"Năm {year}")
        ws.merge_range("A1:H1", TITLE, bold)
        ws.merge_range("A2:H2", SUBTITLE)
        for col, text in (("A", "STT"), ("B", "Thôn"), ("C", "Tháng"), ("D", "Tội phạm TTXH"), ("H", "Cháy, nổ")):
            ws.merge_range(f"{col}4:{col}5", text)
        ws.merge_range("E4:G4", "TNGT")
        ws.write_row("E5", ["Số vụ", "Người chết", "Bị thương"])
        row = 6
        for v, name in enumerate(VILLAGES):
            if year == 2025 and v == 0:
                ws.merge_range(f"B{row}:B{row + 1}", "", center)
                ws.write_rich_string(f"B{row}", bold, "Thôn ", "Đông", center)
            else:
                ws.merge_range(f"B{row}:B{row + 1}", name, center)
            ws.merge_range(f"A{row}:A{row + 1}", v + 1, center)
            for m in (1, 2):
                ws.write_row(f"C{row}", [m, *EXPECTED[(year, name, m)]])
                row += 1
            if v == 0:
                row += 1
        ws.write(f"B{row}", "Cộng")
        ws.write_formula(f"D{row}", f"=SUM(D6:D{row - 1})")
    hidden = wb.add_worksheet("Danh mục")
    hidden.write("A1", "Danh mục lĩnh vực")
    hidden.hide()
    wb.close()
    fixed_zip_times(path)


def wide_libreoffice(source, path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("LibreOffice not found: wide-libreoffice.xlsx not written", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        # Round trip through ODS so that LibreOffice writes the XLSX itself.
        subprocess.run([soffice, "--headless", "--convert-to", "ods", "--outdir", tmp, source], check=True, capture_output=True)
        ods = os.path.join(tmp, os.path.splitext(os.path.basename(source))[0] + ".ods")
        subprocess.run([soffice, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", tmp, ods],
                       check=True, capture_output=True)
        shutil.copy(os.path.join(tmp, os.path.splitext(os.path.basename(source))[0] + ".xlsx"), path)
    fixed_zip_times(path)


INCIDENTS = [
    # date, village, category, deaths, injuries, damage, force majeure
    (datetime.date(2024, 1, 14), "Thôn Đông", "TNGT", 0, 1, 2_000_000, "không"),
    (datetime.date(2024, 1, 15), "Thôn Đông", "TNGT", 1, 0, 0, "không"),   # statistical month 2
    (datetime.date(2024, 12, 14), "Thôn Tây", "Cháy, nổ", 0, 0, 50_000_000, "có"),
    (datetime.date(2024, 12, 15), "Thôn Tây", "Cháy, nổ", 0, 1, 0, "không"),  # statistical 2025 month 1
    (datetime.date(2025, 11, 15), "Xóm Bến", "Tai nạn giao thông", 0, 2, 0, "x"),
    (datetime.date(2025, 11, 16), "Xóm Bến", "Tai nạn giao thông", 0, 0, 0, ""),
]


def incidents_xlsxwriter(path, date1904):
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"date_1904": date1904})
    wb.set_properties({"created": datetime.datetime(2025, 1, 1)})
    ws = wb.add_worksheet("Vụ việc")
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.merge_range("A1:H1", "DANH SÁCH VỤ VIỆC")
    ws.write_row("A3", ["STT", "Ngày xảy ra", "Thôn", "Lĩnh vực", "Người chết", "Bị thương", "Thiệt hại (đồng)", "Bất khả kháng"])
    for i, (date, village, category, deaths, injuries, damage, flag) in enumerate(INCIDENTS):
        row = 3 + i
        ws.write_number(row, 0, i + 1)
        ws.write_datetime(row, 1, datetime.datetime(date.year, date.month, date.day), date_format)
        ws.write_row(row, 2, [village, category, deaths, injuries, damage])
        if flag in ("có", "x"):
            ws.write_boolean(row, 7, True)
        elif flag == "không":
            ws.write_boolean(row, 7, False)
    wb.close()
    fixed_zip_times(path)


def incidents_csv(path):
    """The same incidents as text, dates in three notations (dd/mm/yyyy, yyyy-mm-dd, Excel serial)."""
    lines = ["STT,Ngày xảy ra,Thôn,Lĩnh vực,Người chết,Bị thương,Thiệt hại (đồng),Bất khả kháng"]
    for i, (date, village, category, deaths, injuries, damage, flag) in enumerate(INCIDENTS):
        if i % 3 == 0:
            written = date.strftime("%d/%m/%Y")
        elif i % 3 == 1:
            written = date.isoformat()
        else:
            written = str((date - datetime.date(1899, 12, 30)).days)
        lines.append(f'{i + 1},{written},{village},"{category}",{deaths},{injuries},{damage},{flag}')
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


# Every Vietnamese letter with every tone, lower and upper case.
VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]


def letters():
    out = []
    for v in VOWELS:
        for t in TONES:
            out.append(unicodedata.normalize("NFC", v + t))
    out.append("đ")
    lower = out
    upper = [c.upper() for c in lower]
    return lower, upper


# VNI Windows from xvnkb vni.h (Đào Hải Lâm, VISC, 2002): base letter + mark bytes (cp1252 glyphs).
VNI_ROWS = {
    "a": ["a", "aù", "aø", "aû", "aõ", "aï"], "â": ["aâ", "aá", "aà", "aå", "aã", "aä"], "ă": ["aê", "aé", "aè", "aú", "aü", "aë"],
    "e": ["e", "eù", "eø", "eû", "eõ", "eï"], "ê": ["eâ", "eá", "eà", "eå", "eã", "eä"],
    "o": ["o", "où", "oø", "oû", "oõ", "oï"], "ô": ["oâ", "oá", "oà", "oå", "oã", "oä"], "ơ": ["ô", "ôù", "ôø", "ôû", "ôõ", "ôï"],
    "u": ["u", "uù", "uø", "uû", "uõ", "uï"], "ư": ["ö", "öù", "öø", "öû", "öõ", "öï"],
    "i": ["i", "í", "ì", "æ", "ó", "ò"], "y": ["y", "yù", "yø", "yû", "yõ", "î"],
}


def vni_encode(text):
    table = {}
    for base, row in VNI_ROWS.items():
        for tone, seq in zip(TONES, row):
            table[unicodedata.normalize("NFC", base + tone)] = seq
            table[unicodedata.normalize("NFC", (base + tone).upper())] = seq.upper()
    table["đ"] = "ñ"
    table["Đ"] = "Ñ"
    return "".join(table.get(c, c) for c in text).encode("cp1252")


def iconv(text, encoding):
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", encoding], input=text.encode("utf-8"), check=True,
                          capture_output=True).stdout


def legacy_files():
    lower, upper = letters()
    os.makedirs(os.path.join(OUT, "legacy"), exist_ok=True)
    # One letter per line; TCVN3 (ABC) has no capitals with tones outside its VN1 extension, so
    # its file holds lower case and the capitals glibc can write (others decomposed by iconv).
    expected_lower = "\n".join(lower) + "\n"
    expected_all = "\n".join(lower + upper) + "\n"
    with open(os.path.join(OUT, "legacy", "letters.utf8.txt"), "w", encoding="utf-8") as f:
        f.write(expected_all)
    with open(os.path.join(OUT, "legacy", "letters.tcvn3.txt"), "wb") as f:
        f.write(iconv(expected_lower, "TCVN5712-1"))
    with open(os.path.join(OUT, "legacy", "letters-upper.tcvn3.txt"), "wb") as f:
        f.write(iconv("\n".join(upper) + "\n", "TCVN5712-1"))
    with open(os.path.join(OUT, "legacy", "letters.cp1258.txt"), "wb") as f:
        f.write(iconv(expected_all, "WINDOWS-1258"))
    with open(os.path.join(OUT, "legacy", "letters.vni.txt"), "wb") as f:
        f.write(vni_encode(expected_all))
    # A small report in each encoding, for detection.
    report = ("Xã,Thôn,Năm,Tội phạm TTXH,TNGT - số vụ,\"Cháy, nổ\"\r\n"
              "Xã Bình Yên,Thôn Đông,2024,3,1,0\r\n"
              "Xã Bình Yên,Xóm Bến,2024,2,0,1\r\n"
              "Xã Bình Yên,Thôn Phú Thủy,2024,1,2,0\r\n"
              "Xã Bình Yên,Làng Hòa Mỹ,2024,0,1,1\r\n")
    with open(os.path.join(OUT, "legacy", "report.utf8.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(report)
    with open(os.path.join(OUT, "legacy", "report.tcvn3.csv"), "wb") as f:
        f.write(iconv(report, "TCVN5712-1"))
    with open(os.path.join(OUT, "legacy", "report.cp1258.csv"), "wb") as f:
        f.write(iconv(report, "WINDOWS-1258"))
    with open(os.path.join(OUT, "legacy", "report.vni.csv"), "wb") as f:
        f.write(vni_encode(report))


def minimal_workbook(sheet_xml, shared_strings=None):
    """A bare OOXML package around one worksheet part (for hostile and edge cases)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name, text):
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
        put("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        put("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        put("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Năm 2024" sheetId="1" r:id="rId1"/></sheets></workbook>')
        rels = ('<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>')
        if shared_strings is not None:
            rels += '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            put("xl/sharedStrings.xml", shared_strings)
        put("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rels + '</Relationships>')
        put("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


SHEET_HEAD = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = '</sheetData></worksheet>'


def inline_strings():
    """Inline strings (t="inlineStr"), a namespace prefix, `_x000D_` escapes and character references."""
    rows = ('<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Thôn</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>Tội phạm TTXH</x:t></x:is></x:c></x:row>'
            '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:r><x:t>Thôn </x:t></x:r><x:r><x:t>&#x110;ông</x:t></x:r><x:rPh><x:t>PHONETIC</x:t></x:rPh></x:is></x:c><x:c r="B2"><x:v>3</x:v></x:c></x:row>'
            '<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>Xóm_x0020_Bến</x:t></x:is></x:c><x:c r="B3"><x:v>4</x:v></x:c></x:row>')
    xml = ('<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
           + rows + '</x:sheetData></x:worksheet>')
    return minimal_workbook(xml)


def billion_laughs():
    entities = '<!ENTITY lol "lol">' + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    sst = ('<?xml version="1.0"?><!DOCTYPE lolz [' + entities + ']>'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    sheet = SHEET_HEAD + '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + SHEET_TAIL
    return minimal_workbook(sheet, shared_strings=sst)


def external_entity():
    sst = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>')
    sheet = SHEET_HEAD + '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + SHEET_TAIL
    return minimal_workbook(sheet, shared_strings=sst)


def deep_nesting(depth=200):
    sheet = SHEET_HEAD + '<row r="1"><c r="A1"><v>1</v></c></row>' + SHEET_TAIL
    sheet = sheet.replace("<sheetData>", "<sheetData>" + "<x>" * depth + "</x>" * depth)
    return minimal_workbook(sheet)


def zip_bomb(size=1 << 30):
    """A worksheet part of 1 GiB of spaces inside a valid element, deflated to about 1 MB."""
    buffer = io.BytesIO()
    base = minimal_workbook(SHEET_HEAD + SHEET_TAIL)
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                continue
            z.writestr(info, src.read(info.filename))
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w") as part:
            part.write(SHEET_HEAD.encode())
            chunk = b" " * (1 << 20)
            for _ in range(size >> 20):
                part.write(chunk)
            part.write(SHEET_TAIL.encode())
    return buffer.getvalue()


def lying_sizes(data):
    """The same ZIP with every declared uncompressed size of the sheet part set to 1 KiB."""
    raw = bytearray(data)
    name = b"xl/worksheets/sheet1.xml"
    i = 0
    while True:
        i = raw.find(name, i + 1)
        if i < 0:
            break
        # Local header (PK\3\4): sizes at +18/+22 from the signature, name at +30.
        if raw[i - 30:i - 26] == b"PK\x03\x04":
            raw[i - 30 + 22:i - 30 + 26] = (1024).to_bytes(4, "little")
        # Central directory (PK\1\2): uncompressed size at +24, name at +46.
        if raw[i - 46:i - 42] == b"PK\x01\x02":
            raw[i - 46 + 24:i - 46 + 28] = (1024).to_bytes(4, "little")
    return bytes(raw)


def many_entries(count=60):
    buffer = io.BytesIO()
    base = minimal_workbook(SHEET_HEAD + SHEET_TAIL)
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info, src.read(info.filename))
        for k in range(count):
            z.writestr(zipfile.ZipInfo(f"xl/media/image{k}.bin", date_time=(2025, 1, 1, 0, 0, 0)), b"x")
    return buffer.getvalue()


def instruction_sheets(path, with_table):
    """A workbook whose first sheet is instructions (no table), and a data sheet when `with_table`."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Hướng dẫn"
    wb.active["A1"] = "Hướng dẫn điền biểu mẫu"
    wb.active["A2"] = "Ghi số vụ theo tháng; để trống nếu chưa có số liệu."
    second = wb.create_sheet("Ghi chú" if not with_table else "Năm 2024")
    if with_table:
        second.append(["Thôn", "Tháng", "Tội phạm TTXH"])
        second.append(["Thôn Đông", 1, 2])
    else:
        second["A1"] = "Không có số liệu"
    wb.save(path)
    fixed_zip_times(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    wide_openpyxl(os.path.join(OUT, "wide-openpyxl.xlsx"))
    wide_xlsxwriter(os.path.join(OUT, "wide-xlsxwriter.xlsx"))
    wide_libreoffice(os.path.join(OUT, "wide-openpyxl.xlsx"), os.path.join(OUT, "wide-libreoffice.xlsx"))
    incidents_xlsxwriter(os.path.join(OUT, "incidents-xlsxwriter.xlsx"), date1904=False)
    incidents_xlsxwriter(os.path.join(OUT, "incidents-1904.xlsx"), date1904=True)
    incidents_csv(os.path.join(OUT, "incidents.csv"))
    instruction_sheets(os.path.join(OUT, "instructions-and-table.xlsx"), with_table=True)
    instruction_sheets(os.path.join(OUT, "instructions-only.xlsx"), with_table=False)
    legacy_files()
    hostile = os.path.join(OUT, "hostile")
    os.makedirs(hostile, exist_ok=True)
    with open(os.path.join(OUT, "inline-strings.xlsx"), "wb") as f:
        f.write(inline_strings())
    with open(os.path.join(hostile, "billion-laughs.xlsx"), "wb") as f:
        f.write(billion_laughs())
    with open(os.path.join(hostile, "undeclared-entity.xlsx"), "wb") as f:
        f.write(external_entity())
    with open(os.path.join(hostile, "deep-nesting.xlsx"), "wb") as f:
        f.write(deep_nesting())
    bomb = zip_bomb()
    with open(os.path.join(hostile, "zip-bomb.xlsx"), "wb") as f:
        f.write(bomb)
    with open(os.path.join(hostile, "zip-bomb-lying-sizes.xlsx"), "wb") as f:
        f.write(lying_sizes(bomb))
    with open(os.path.join(hostile, "many-entries.xlsx"), "wb") as f:
        f.write(many_entries())


if __name__ == "__main__":
    main()
