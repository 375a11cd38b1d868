import BinhYenAnalytics
import BinhYenCore
import Foundation
import Testing
@testable import BinhYenReport

/// The fast writers of the `summary` table write exactly what the product's CSV and JSON writers
/// write for the same table (one table definition, two renderings), whatever the threads.
struct SummaryExportTests {
    /// Villages with awkward names (separator, quote, line break, formula starts, U+2028) and
    /// every kind of empty field.
    static func engine() throws -> SummaryEngine {
        let names = ["Thôn Đông", "Xóm \"Mới\", 2", "-Ấp 3", "=SUM(A1)", "Tổ\n4", "Làng\u{2028}5", "@Bản", "Khu 8"]
        let villages = names.enumerated().map { index, name in
            CountGrid.Village(code: String(format: "%08d", 1001 + index), name: name, provinceCode: "01",
                              communeCode: index < 4 ? "00001" : "00002", communeName: index < 4 ? "Xã A" : nil,
                              commune: index < 4 ? 0 : 1, population: index == 7 ? nil : 500 + 100 * index)
        }
        let measures = [Measure(.crime), Measure(.traffic, .deaths), Measure(.fire, .damageVND)]
        var cells: [Int] = []
        for v in villages.indices {
            for m in measures.indices {
                for y in 0..<4 {
                    let value = (v * 7 + m * 3 + y * y) % 9
                    cells.append(v == 2 && y == 1 ? CountGrid.missing : (v == 5 && y == 3 && m == 0 ? CountGrid.incomplete : value))
                }
            }
        }
        let grid = try #require(CountGrid(years: [2022, 2023, 2024, 2025], measures: measures, villages: villages,
                                          communeCount: 2, cells: cells))
        return try SummaryEngine(grid: grid, options: SummaryOptions(pack: try RulePack.builtIn(id: RulePack.defaultID)))
    }

    static func write(_ engine: SummaryEngine, _ format: SummaryExport.Format, metadata: ExportMetadata? = nil,
                      threads: Int) throws -> String {
        var bytes: [UInt8] = []
        try SummaryExport.write(engine, format: format, metadata: metadata, threads: threads) { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func csvEqualsTheCSVWriter() throws {
        let engine = try Self.engine()
        let table = SummaryTable.fullTable(engine, rows: SummaryTable.rows(engine))
        let metadata = ExportMetadata([MetadataEntry("rule_pack", "ntm-2021-2025")])
        for excel in [false, true] {
            let expected = CSVWriter(excel: excel, metadata: metadata).render(table)
            for threads in [1, 3] {
                #expect(try Self.write(engine, .csv(excel: excel), metadata: metadata, threads: threads) == expected)
            }
        }
        #expect(table.rows.count == 24)
        let csv = try Self.write(engine, .csv(excel: false), threads: 2)
        #expect(csv.contains(",\"Xóm \"\"Mới\"\", 2\","))
        #expect(csv.contains(",'-Ấp 3,") && csv.contains(",'=SUM(A1),") && csv.contains(",\"Tổ\n4\","))
    }

    @Test func jsonEqualsTheJSONWriter() throws {
        let engine = try Self.engine()
        let table = SummaryTable.fullTable(engine, rows: SummaryTable.rows(engine))
        let expected = JSONWriter().render(table)
        for threads in [1, 2] {
            #expect(try Self.write(engine, .json, threads: threads) == expected)
        }
        let parsed = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 24)
        #expect(parsed?.first?["village_code"] as? String == "00001001")
    }

    @Test func anEmptyTableHasItsHeader() throws {
        let grid = try #require(CountGrid(years: [2024, 2025], measures: [], villages: [], communeCount: 0, cells: []))
        let engine = try SummaryEngine(grid: grid)
        #expect(try Self.write(engine, .json, threads: 2) == "[]\n")
        let csv = try Self.write(engine, .csv(excel: false), threads: 2)
        #expect(csv.hasPrefix("village_code,category,metric,province_code,commune_code,village_name,population,n_2024,n_2025,abs_change,"))
        #expect(csv.split(separator: "\n").count == 1)
    }

    @Test func compactTableForPeople() throws {
        let engine = try Self.engine()
        let table = SummaryTable.compactTable(engine, rows: SummaryTable.rows(engine), language: .vi)
        #expect(table.columns.map(\.key) == ["village", "measure", "prev", "curr", "pct_change", "verdict", "sen_slope", "mk_p",
                                             "direction", "rate_per_1000", "hotspot"])
        #expect(table.columns[2].header.vi == "2024" && table.columns[3].header.vi == "2025")
        let text = TerminalTableWriter(language: .vi).render(table)
        #expect(text.contains("Thôn Đông (00001001)"))
        #expect(text.contains("Phạm tội về trật tự xã hội"))
    }
}
