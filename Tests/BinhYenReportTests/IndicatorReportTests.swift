import BinhYenAnalytics
import BinhYenCore
import Foundation
import Testing
@testable import BinhYenReport

@Suite("Indicator report")
struct IndicatorReportTests {
    static func document(language: Language) throws -> ReportDocument {
        let accounts = OutputTable(columns: [OutputColumn("file"), OutputColumn("rows_read")],
                                   rows: [[.text("data.csv"), .integer(8)]])
        let input = ReportInput(panel: ChartFixture.panel(), communePack: try ChartFixture.pack(),
                                villagePack: try RulePack.builtIn(id: "tt124-village"), options: VerifyOptions(),
                                inputs: ["data.csv"], accounts: accounts,
                                diagnostics: [Diagnostic(.warning, .duplicateRow, at: nil, .same("dup"))],
                                skippedInvalid: false, toolVersion: "9.9.9")
        return IndicatorReport.make(input, language: language)
    }

    @Test("HTML: self-contained, escaped, with checklist, not-assessed conditions, charts and sections")
    func html() throws {
        let html = HTMLReportRenderer(language: .vi).render(try Self.document(language: .vi))
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"vi\">"))
        // No external request of any kind: no src, href, url(), @import, and the only URL is the SVG namespace.
        for forbidden in ["src=", "href=", "url(", "@import", "<script", "<link", "<img", "<iframe", "https://"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        let urls = html.components(separatedBy: "http://").dropFirst()
        #expect(urls.allSatisfy { $0.hasPrefix("www.w3.org/2000/svg\"") })
        #expect(html.contains("default-src 'none'"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Thôn&#39; ]]&gt;"))
        #expect(html.contains("<h2>1. Kết luận chỉ tiêu 19.2</h2>"))
        #expect(html.components(separatedBy: ">Chưa đánh giá<").count - 1 == NonCountCondition.indicator19_2.count)
        #expect(html.contains("Phạm tội về TTXH: 20 → 19 vụ (−5,00%): đạt (giảm ≥ 5%)"))
        #expect(html.contains("<td class=\"good\">Đạt</td>"))
        // The panel has crime.cases only: its yearly chart, its monthly chart, its village small
        // multiples and the funnel plot of the villages.
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4)
        #expect(html.contains("kỳ thống kê 15/12–14/12"))
        #expect(html.contains("15/12/2024–14/12/2025"))
        #expect(html.contains("Tệp đầu vào: data.csv"))
        #expect(html.contains("0 lỗi, 1 cảnh báo, 0 ghi chú"))
        #expect(html.contains("CHƯA đối chiếu đủ với văn bản gốc"))
        #expect(html.contains("@page { size: A4; margin: 15mm; }"))
        #expect(!html.contains("<?xml"))
    }

    @Test("English report and its Markdown twin")
    func englishAndMarkdown() throws {
        let document = try Self.document(language: .en)
        let html = HTMLReportRenderer(language: .en).render(document)
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.components(separatedBy: ">Not assessed<").count - 1 == NonCountCondition.indicator19_2.count)
        let markdown = MarkdownReportRenderer(language: .en).render(document)
        #expect(markdown.hasPrefix("# Security and order report 2025 — Xã Thử\n"))
        #expect(markdown.contains("## 1. Indicator 19.2: conclusion"))
        #expect(markdown.contains("| Social-order crime"))
        #expect(markdown.contains("Not assessed"))
        #expect(markdown.contains("\\<script\\>alert"))
        #expect(!markdown.contains("<script>"))
        #expect(markdown.contains("- Most allowed to meet the rule in 2025: 19"))
    }

    @Test("the checklist lists every count rule, then the non-count conditions")
    func checklist() throws {
        var pack = try ChartFixture.pack()
        pack.rules = pack.rules.filter { $0.measure == ChartFixture.crime }
        let rows = Verifier(pack: pack).verify(ChartFixture.panel()).filter { !$0.isOverall }
        let table = IndicatorReport.checklist(rows, language: .vi, catalogue: .standard)
        #expect(table.rows.count == 1 + NonCountCondition.indicator19_2.count)
        #expect(table.columns.map(\.key) == ["condition", "requirement", "prev", "curr", "pct_change", "target_max", "verdict", "evidence"])
        #expect(table.rows[0][2] == .integer(20) && table.rows[0][3] == .integer(19) && table.rows[0][5] == .integer(19))
        #expect(table.rows[1][6].value == .text("Chưa đánh giá"))
        #expect(table.rows[1][2].value == .null(reason: nil))
    }
}

@Suite("Export metadata")
struct ExportMetadataTests {
    static let metadata = ExportMetadata([MetadataEntry("tool", "binhyen"), MetadataEntry("rule_pack", "ntm-2021-2025"),
                                          MetadataEntry("year", "2025"), MetadataEntry("rule_pack", "tt124-village"),
                                          MetadataEntry("note", "a\nb")])

    @Test("comment lines: one per key, later values replace earlier ones in place, no line breaks")
    func comments() {
        #expect(Self.metadata.commentLines() == ["# tool: binhyen", "# rule_pack: tt124-village", "# year: 2025", "# note: a b"])
    }

    @Test("CSV with comment lines: BOM first, then comments, then the header")
    func csv() {
        let table = OutputTable(columns: [OutputColumn("a")], rows: [[.integer(1)]])
        #expect(CSVWriter(metadata: Self.metadata).render(table) == "# tool: binhyen\n# rule_pack: tt124-village\n# year: 2025\n# note: a b\na\n1\n")
        let excel = CSVWriter(excel: true, metadata: ExportMetadata([MetadataEntry("year", "2025")])).render(table)
        #expect(excel == "\u{FEFF}# year: 2025\r\na\r\n1\r\n")
        #expect(CSVWriter().render(table) == "a\n1\n")
    }

    @Test("sidecar JSON: one object of strings, keys in order")
    func sidecar() throws {
        let json = Self.metadata.sidecarJSON()
        #expect(json == "{\"tool\": \"binhyen\", \"rule_pack\": \"tt124-village\", \"year\": \"2025\", \"note\": \"a\\nb\"}\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
        #expect(object["note"] == "a\nb")
    }

    @Test("verify and normalize tables carry period, rule pack and year")
    func tables() throws {
        let rows = Verifier(pack: try ChartFixture.pack()).verify(ChartFixture.panel())
        #expect(VerifyReport.fullTable(rows, language: .vi).metadata ==
                [MetadataEntry("period", "statistical"), MetadataEntry("rule_pack", "ntm-2021-2025"),
                 MetadataEntry("year", "2025"), MetadataEntry("prev_year", "2024")])
        #expect(PanelReport.table(ChartFixture.panel()).metadata == [MetadataEntry("period", "statistical")])
    }
}

@Suite("Markup escaping")
struct MarkupTextTests {
    @Test("entities for & < > \" ' and no XML-invalid control characters")
    func escaping() {
        #expect(MarkupText.escaped("<a href='x'>\"&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;")
        #expect(MarkupText.escaped("a\u{01}b\u{1B}c\td") == "a\u{FFFD}b\u{FFFD}c\td")
        #expect(MarkupText.escaped("Thôn Hoà") == "Thôn Hoà")
    }

    @Test("HTML tables escape cells, headers and captions")
    func htmlTable() {
        let table = OutputTable(title: .same("<b>"), columns: [OutputColumn("n", .same("<i>")), OutputColumn("c")],
                                rows: [[.text("<script>"), .integer(1234)]], footnotes: [.same("&")])
        let html = HTMLTableWriter(language: .vi).render(table)
        #expect(html == """
        <table>
        <caption>&lt;b&gt;</caption>
        <thead><tr><th scope="col">&lt;i&gt;</th><th class="num" scope="col">c</th></tr></thead>
        <tbody>
        <tr><td>&lt;script&gt;</td><td class="num">1.234</td></tr>
        </tbody>
        </table>
        <ul class="notes">
        <li>&amp;</li>
        </ul>

        """)
    }
}
