import BinhYenAnalytics
import BinhYenCore
import BinhYenStats
import BinhYenTestSupport
import Testing
@testable import BinhYenReport

/// Tables of `ytd` and `alerts`: canonical snake_case fields, nulls for undefined values (never
/// 0 or NaN), localized compact tables and sentences.
@Suite("ytd and alerts reports")
struct DuringTheYearReportTests {
    static let crime = Measure(.crime)

    static func ytdRows(through month: Int, missingMarch: Bool = false) throws -> [YearToDateRow] {
        var pack = try RulePack.builtIn(id: RulePack.defaultID)
        pack.rules = pack.rules.filter { $0.measure == Self.crime }
        var builder = PanelBuilder()
        let commune = builder.commune("Tịnh Châu", code: "21208")
        builder.months(commune, Self.crime, 2024, [2, 1, 0, 3, 1, 2, 1, 0, 2, 1, 3, 4])
        builder.months(commune, Self.crime, 2025, [1, 2, missingMarch ? nil : 0] + Array(repeating: nil, count: 9))
        let options = YearToDateOptions(through: PeriodPoint(year: 2025, number: month))
        return YearToDateEngine(pack: pack, options: options).rows(builder.panel)
    }

    @Test func ytdFullTableFieldsAndNulls() throws {
        let table = YearToDateReport.fullTable(try Self.ytdRows(through: 3, missingMarch: true), language: .en)
        #expect(table.columns.map(\.key) == YearToDateReport.fieldKeys)
        #expect(table.columns.map(\.key).contains("p_meet") && table.columns.map(\.key).contains("headroom"))
        let row = try #require(table.rows.first)
        func cell(_ key: String) -> CellValue? {
            table.columns.firstIndex { $0.key == key }.map { row[$0].value }
        }
        if case .null = cell("ytd") {} else { Issue.record("ytd should be null") }
        if case .null = cell("p_meet") {} else { Issue.record("p_meet should be null") }
        #expect(cell("target_max") == .integer(19))
        #expect(cell("note") == .text("missing_months"))
        #expect(cell("rule") == .text("reduce_by_pct(5)"))
    }

    @Test func ytdSentencesInBothLanguages() throws {
        let row = try #require(try Self.ytdRows(through: 2).first)
        let vi = YearToDateReport.sentence(row, language: .vi)
        let en = YearToDateReport.sentence(row, language: .en)
        #expect(vi.hasPrefix("Phạm tội về TTXH: tháng 1–2/2025: 3 vụ (cùng kỳ 2024: 3); tối đa cả năm 19 (năm 2024: 20); còn được 16; khả năng đạt 0,"))
        #expect(en.hasPrefix("Social-order crime: months 1–2 of 2025: 3 cases (same months of 2024: 3); at most 19 for the year (2024: 20); headroom 16; P(meet) 0."))
        let compact = YearToDateReport.compactTable([row], language: .vi)
        #expect(compact.columns.map(\.header.vi).contains("Còn được"))
        #expect(compact.footnotes.last == YearToDateReport.modelStatement)
        #expect(YearToDateReport.title([row])?.vi.hasPrefix("Lũy kế tháng 1–2 năm 2025 so với cùng kỳ năm 2024") == true)
    }

    @Test func alertsTablesAndSentence() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã")
        for year in 2018...2021 { builder.months(commune, Self.crime, year, Array(repeating: 2, count: 12)) }
        builder.months(commune, Self.crime, 2022, [2, 2, 9, nil, 2, 2, 2, 2, 2, 2, 2, 2])
        let options = AlertOptions(method: .farringtonFlexible,
                                   farrington: FarringtonOptions(variant: .flexible, yearsBack: 3, halfWindow: 2),
                                   from: PeriodPoint(year: 2022, number: 1))
        let rows = try AlertsRunner(options: options).run(builder.panel)
        let full = AlertsReport.fullTable(rows, language: .en)
        #expect(full.columns.map(\.key) == AlertsReport.fieldKeys)
        let reasons = full.rows.map { $0[full.columns.firstIndex { $0.key == "reason" } ?? 0].value }
        #expect(reasons[2] == .text("above_threshold") && reasons[3] == .text("missing_observation"))
        let alarmIndex = try #require(full.columns.firstIndex { $0.key == "alarm" })
        #expect(full.rows[2][alarmIndex].value == .boolean(true))
        if case .null = full.rows[3][alarmIndex].value {} else { Issue.record("missing month: alarm should be null") }
        let march = try #require(rows.first { $0.period.number == 3 })
        #expect(AlertsReport.sentence(march, language: .vi).hasPrefix("Xã, Phạm tội về trật tự xã hội, 2022-03: 9 vụ, kỳ vọng "))
        #expect(AlertsReport.sentence(march, language: .en).hasSuffix(": above the threshold"))
        let compact = AlertsReport.compactTable(rows, language: .vi)
        #expect(compact.columns.map(\.header.vi) == ["Đơn vị", "Lĩnh vực", "Kỳ", "Thực tế", "Kỳ vọng", "Ngưỡng", "Điểm", "Cảnh báo", "Lý do"])
        #expect(AlertsReport.title(rows)?.en == "Monthly aberration alarms (Noufaily 2013, surveillance::farringtonFlexible), 2022-01 – 2022-12")
        #expect(AlertsReport.metadata(rows).map(\.key) == ["method", "subperiod_kind", "from", "to"])
    }
}
