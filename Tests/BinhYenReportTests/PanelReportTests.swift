import BinhYenCore
import BinhYenTestSupport
import Testing
@testable import BinhYenReport

@Suite("Panel and diagnostics tables")
struct PanelReportTests {
    @Test("normalize table: canonical long rows with completeness, missing periods, population and sources")
    func panelTable() {
        var builder = PanelBuilder()
        let commune = builder.commune("Tịnh Châu", code: "21208")
        let village = builder.village("Thôn An Lộc", in: commune, code: "T01")
        builder.set(village, Measure(.traffic, .deaths), 2024, 2, excluded: 1)
        builder.set(village, Measure(.traffic, .deaths), 2025, 1, missing: [.month(12), .month(11)])
        builder.set(commune, Measure(.crime), 2025, 7)
        builder.population(village, 2024, 1520)
        let table = PanelReport.table(builder.panel)
        #expect(table.columns.map(\.key) == ["commune", "commune_code", "village", "village_code", "year", "category",
                                             "metric", "count", "excluded", "complete", "missing_periods", "population", "source"])
        let csv = CSVWriter().render(table)
        #expect(csv == """
            commune,commune_code,village,village_code,year,category,metric,count,excluded,complete,missing_periods,population,source
            Tịnh Châu,21208,,,2025,crime,cases,7,0,true,,,data.csv:3
            Tịnh Châu,21208,Thôn An Lộc,T01,2024,traffic,deaths,2,1,true,,1520,data.csv:1
            Tịnh Châu,21208,Thôn An Lộc,T01,2025,traffic,deaths,1,0,false,M11 M12,,data.csv:2

            """)
        let vi = TerminalTableWriter(language: .vi).render(table)
        #expect(vi.contains("1.520"))
        #expect(vi.contains("không"))
    }

    @Test("check table: severity, code, file[sheet], line, column, message in the chosen language")
    func diagnosticsTable() {
        let diagnostics = [
            Diagnostic(.error, .negativeCount, at: SourceLocation(file: "a.xlsx", sheet: "Năm 2024", line: 7, column: 3),
                       LocalizedText(vi: "số âm: -2", en: "negative count: -2")),
            Diagnostic(.warning, .duplicateRow, at: nil, LocalizedText(vi: "dòng trùng", en: "duplicate row")),
        ]
        let table = DiagnosticsReport.table(diagnostics, language: .vi)
        #expect(table.columns.map(\.key) == ["severity", "code", "file", "line", "column", "message"])
        #expect(CSVWriter().render(table) == """
            severity,code,file,line,column,message
            error,negative_count,a.xlsx[Năm 2024],7,3,số âm: -2
            warning,duplicate_row,,,,dòng trùng

            """)
        let json = JSONWriter().render(DiagnosticsReport.table(diagnostics, language: .en))
        #expect(json.contains("{\"severity\": \"error\", \"code\": \"negative_count\", \"file\": \"a.xlsx[Năm 2024]\", \"line\": 7, \"column\": 3, \"message\": \"negative count: -2\"}"))
        #expect(json.contains("\"line\": null, \"column\": null"))
    }
}
