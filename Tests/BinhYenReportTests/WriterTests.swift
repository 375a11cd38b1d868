import BinhYenCore
import Foundation
import Testing
@testable import BinhYenReport

@Suite("Writers")
struct WriterTests {
    static let table = OutputTable(
        title: LocalizedText(vi: "Tiêu đề", en: "Title"),
        columns: [OutputColumn("name", LocalizedText(vi: "Tên", en: "Name")),
                  OutputColumn("count", LocalizedText(vi: "Số vụ", en: "Count")),
                  OutputColumn("pct", LocalizedText(vi: "Tỷ lệ", en: "Share"))],
        rows: [[.text("Thôn A"), .integer(1234), .percent(-3.5609756097560976, signed: true)],
               [.text("a,b \"q\""), .integer(-5), .percent(nil, reason: LocalizedText(vi: "x", en: "x"))]])

    @Test("CSV: header keys, RFC quoting, full-precision numbers, empty nulls, LF")
    func csvDefault() {
        let csv = CSVWriter().render(Self.table)
        #expect(csv == "name,count,pct\nThôn A,1234,-3.5609756097560976\n\"a,b \"\"q\"\"\",-5,\n")
    }

    @Test("CSV --excel: UTF-8 BOM, ';' separator, CRLF, '.' decimals kept")
    func csvExcel() {
        let csv = CSVWriter(excel: true).render(Self.table)
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(csv == "\u{FEFF}name;count;pct\r\nThôn A;1234;-3.5609756097560976\r\n\"a,b \"\"q\"\"\";-5;\r\n")
        // With ';' as separator a comma needs no quotes, a semicolon does.
        let semicolon = OutputTable(columns: [OutputColumn("t")], rows: [[.text("x;y")], [.text("x,y")]])
        #expect(CSVWriter(excel: true).render(semicolon) == "\u{FEFF}t\r\n\"x;y\"\r\nx,y\r\n")
    }

    @Test("CSV formula injection: text starting with = + - @ tab CR gets a leading quote", arguments: [
        ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"),
        ("\tx", "'\tx"), ("\rx", "\"'\rx\""), ("a=b", "a=b"), ("", ""),
    ])
    func formulaInjection(input: String, expected: String) {
        let table = OutputTable(columns: [OutputColumn("t")], rows: [[.text(input)]])
        #expect(CSVWriter().render(table) == "t\n\(expected)\n")
    }

    @Test("CSV numbers are never prefixed: a negative integer stays a number")
    func negativeNumbersNotPrefixed() {
        let table = OutputTable(columns: [OutputColumn("n"), OutputColumn("d")], rows: [[.integer(-3), .decimal(-0.5, digits: 2)]])
        #expect(CSVWriter().render(table) == "n,d\n-3,-0.5\n")
    }

    @Test("JSON: flat records, numbers as numbers, null for nil/NaN/inf, escapes")
    func json() {
        let table = OutputTable(
            columns: ["s", "i", "d", "p", "b", "n", "nan", "inf"].map { OutputColumn($0) },
            rows: [[.text("q\"\\\n\r\t\u{08}\u{0C}\u{01}\u{2028}é"), .integer(-7), .decimal(0.95, digits: 2),
                    .pValue(1e-05), .boolean(true), .null(), OutputCell(.decimal(.nan, digits: 2)),
                    OutputCell(.percent(-.infinity, digits: 2))]])
        let json = JSONWriter().render(table)
        #expect(json == "[\n  {\"s\": \"q\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u2028é\", \"i\": -7, \"d\": 0.95, \"p\": 1e-05, \"b\": true, \"n\": null, \"nan\": null, \"inf\": null}\n]\n")
        // The output is valid JSON that Foundation reads back to the same values.
        let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(parsed?.first?["s"] as? String == "q\"\\\n\r\t\u{08}\u{0C}\u{01}\u{2028}é")
        #expect(parsed?.first?["d"] as? Double == 0.95)
        #expect(parsed?.first?["p"] as? Double == 1e-05)
        #expect(parsed?.first?["n"] is NSNull)
    }

    @Test("JSON numbers use the shortest round-trip form", arguments: [
        (-4.761904761904762, "-4.761904761904762"), (5.0, "5.0"), (-0.0, "0.0"), (0.1 + 0.2, "0.30000000000000004"),
        (1e21, "1e+21"), (0.874629312380421, "0.874629312380421"),
    ])
    func jsonNumbers(value: Double, text: String) {
        #expect(JSONWriter.value(of: .decimal(value, digits: 2)) == text)
    }

    @Test("JSON of an empty table is an empty array")
    func jsonEmpty() {
        #expect(JSONWriter().render(OutputTable(columns: [OutputColumn("a")])) == "[]\n")
    }

    @Test("number styles: vi −3,56% and 1.234; en -3.56% and 1,234")
    func numberStyles() {
        #expect(NumberStyle.percent(-3.5609756, language: .vi) == "\u{2212}3,56%")
        #expect(NumberStyle.percent(-3.5609756, language: .en) == "-3.56%")
        #expect(NumberStyle.percent(10.674, language: .vi, signed: true) == "+10,67%")
        #expect(NumberStyle.integer(1234, language: .vi) == "1.234")
        #expect(NumberStyle.integer(1234, language: .en) == "1,234")
        #expect(NumberStyle.integer(-1234567, language: .vi) == "\u{2212}1.234.567")
        #expect(NumberStyle.integer(2024, language: .vi, grouped: false) == "2024")
        #expect(NumberStyle.integer(3, language: .en, signed: true) == "+3")
        #expect(NumberStyle.integer(0, language: .en, signed: true) == "0")
        #expect(NumberStyle.decimal(-0.001, digits: 2, language: .vi) == "0,00")
        #expect(NumberStyle.decimal(1234.5, digits: 1, language: .vi) == "1.234,5")
        #expect(NumberStyle.pValue(1, language: .vi) == "1,00")
        #expect(NumberStyle.pValue(0.0042, language: .en) == "0.004")
        #expect(NumberStyle.pValue(0.00001, language: .vi) == "< 0,001")
        #expect(NumberStyle.decimal(.nan, digits: 2, language: .en) == nil)
    }

    @Test("display width: NFC and NFD Vietnamese alike, CJK wide, ZWJ zero")
    func displayWidth() {
        let nfc = "Thôn Đông"
        let nfd = nfc.decomposedStringWithCanonicalMapping
        #expect(nfd.unicodeScalars.count == 11)
        #expect(nfc.unicodeScalars.count == 9)
        #expect(DisplayWidth.of(nfc) == 9)
        #expect(DisplayWidth.of(nfd) == 9)
        #expect(DisplayWidth.of("東京") == 4)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("ＡＢ") == 4)
        #expect(DisplayWidth.of("a\u{200D}b") == 2)
        #expect(DisplayWidth.of("Nghệ") == 4)
        #expect(DisplayWidth.of("Nghệ".decomposedStringWithCanonicalMapping) == 4)
    }

    @Test("terminal table aligns NFD, NFC and CJK names by display width")
    func terminalAlignment() {
        let nfd = "Thôn Đông".decomposedStringWithCanonicalMapping
        let table = OutputTable(columns: [OutputColumn("unit", LocalizedText(vi: "Đơn vị", en: "Unit")),
                                          OutputColumn("n", LocalizedText(vi: "Số", en: "N"))],
                                rows: [[.text("Thôn Đông"), .integer(1234)], [.text(nfd), .integer(5)], [.text("東京"), .integer(-12)]])
        let text = TerminalTableWriter(language: .vi).render(table)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Đơn vị        Số")
        #expect(lines[1] == "─────────  ─────")
        #expect(lines[2] == "Thôn Đông  1.234")
        #expect(lines[3] == nfd + "      5")
        #expect(lines[4] == "東京         \u{2212}12")
        #expect(lines.dropLast().allSatisfy { DisplayWidth.of($0) <= 16 })
        #expect(!text.contains("\u{1B}"))
    }

    @Test("terminal colour only when asked; control characters from data are neutralised")
    func terminalColour() {
        let table = OutputTable(columns: [OutputColumn("v")],
                                rows: [[.text("đạt", tone: .good)], [.text("x\u{1B}[2Jy\nz")]])
        let plain = TerminalTableWriter(language: .vi).render(table)
        #expect(!plain.contains("\u{1B}"))
        #expect(plain.contains("x [2Jy z"))
        let coloured = TerminalTableWriter(language: .vi, color: true).render(table)
        #expect(coloured.contains("\u{1B}[32mđạt"))
        #expect(coloured.contains("\u{1B}[1mv"))
    }

    @Test("Markdown: escaped cells, right-aligned numbers, vi number style, title and notes")
    func markdown() {
        let table = OutputTable(title: LocalizedText(vi: "Năm 2025", en: "Year 2025"),
                                columns: [OutputColumn("unit", LocalizedText(vi: "Đơn vị", en: "Unit")),
                                          OutputColumn("pct", LocalizedText(vi: "Tỷ lệ", en: "Pct"))],
                                rows: [[.text("A|B*"), .percent(-3.5609, signed: true)], [.text("x\ny"), .null()]],
                                footnotes: [LocalizedText(vi: "Ghi chú", en: "Note")])
        let md = MarkdownWriter(language: .vi).render(table)
        #expect(md == """
            **Năm 2025**

            | Đơn vị |  Tỷ lệ |
            | :----- | -----: |
            | A\\|B\\* | \u{2212}3,56% |
            | x<br>y |      – |

            - Ghi chú

            """)
    }
}
