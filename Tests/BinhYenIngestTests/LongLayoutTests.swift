import BinhYenCore
import Testing
@testable import BinhYenIngest

@Suite("Long layout")
struct LongLayoutTests {
    static let vietnamese = """
    Xã,Mã xã,Thôn,Năm,Tháng,Lĩnh vực,Chỉ tiêu,Số lượng,Bất khả kháng,Dân số,Số hộ,Ghi chú
    Xã Bình Yên,,Thôn Đông,2024,1,Phạm tội về trật tự xã hội,số vụ,2,,1850,474,
    Xã Bình Yên,,Thôn Đông,2024,1,Tai nạn giao thông,số người chết,1,,1850,474,
    Xã Bình Yên,,Thôn Đông,2024,1,Tai nạn giao thông,số người bị thương,3,,1850,474,
    Xã Bình Yên,,Thôn Đông,2024,2,Tai nạn giao thông,số vụ,4,1,1850,474,đất sạt
    Xã Bình Yên,,Thôn Tây,2024,1,"Cháy, nổ",số vụ,1,,900,200,

    """

    @Test func vietnameseHeadingsAndCells() {
        let result = ingest(Self.vietnamese)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.accounts.first?.layout == "long")
        #expect(result.accounts.first?.rowsRead == 5)
        #expect(result.accounts.first?.accepted == 5)
        let crime = result.years("Thôn Đông", Measure(.crime))
        #expect(crime?[2024]?.count == 2)
        #expect(crime?[2024]?.months == [1: 2])
        #expect(crime?[2024]?.completeness == .incomplete(missing: (2...12).map { Subperiod.month($0) }))
        #expect(result.years("Thôn Đông", Measure(.traffic, .deaths))?[2024]?.count == 1)
        #expect(result.years("Thôn Đông", Measure(.traffic, .injuries))?[2024]?.count == 3)
        let traffic = result.years("Thôn Đông", Measure(.traffic))?[2024]
        #expect(traffic?.count == 4)
        #expect(traffic?.excluded == 1)
        #expect(traffic?.sources.first == SourceLocation(file: "input.csv", line: 5, column: 8, columnName: "Số lượng"))
        #expect(result.years("Thôn Tây", Measure(.fire))?[2024]?.count == 1)
        guard let east = result.unit("Thôn Đông") else { Issue.record("no village"); return }
        #expect(result.panel.population[east]?[2024] == 1850)
        #expect(result.panel.households[east]?[2024] == 474)
        #expect(result.panel.units[east].parent == result.unit("Xã Bình Yên", kind: .commune))
    }

    /// The canonical panel of `normalize` read back: `missing_periods` keeps a yearly count
    /// incomplete; `complete` and `source` are known columns; a bad period is a warning.
    @Test func normalizedPanelKeepsItsIncompleteYears() {
        let result = ingest("""
        commune,commune_code,village,village_code,year,category,metric,count,excluded,complete,missing_periods,population,source
        X,,Thôn A,,2024,crime,cases,5,0,false,M11 M12,,in.csv:2:7 (Số lượng)
        X,,Thôn A,,2025,crime,cases,7,0,true,,,in.csv:3:7 (Số lượng)
        X,,Thôn B,,2025,crime,cases,1,0,false,M13,,in.csv:4:7 (Số lượng)

        """)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(!result.diagnostics.contains { $0.code == .unknownHeading })
        let a = result.years("Thôn A", Measure(.crime))
        #expect(a?[2024]?.count == 5)
        #expect(a?[2024]?.completeness == .incomplete(missing: [.month(11), .month(12)]))
        #expect(a?[2025]?.completeness == .complete)
        #expect(result.diagnostics.contains { $0.code == .invalidPeriod && $0.location?.line == 4 })
        #expect(result.years("Thôn B", Measure(.crime))?[2025]?.completeness == .complete)
    }

    @Test func subperiodCodesReadBack() {
        for subperiod in [Subperiod.year, .quarter(4), .month(5), .month(12), .week(53)] {
            #expect(Subperiod(code: subperiod.description) == subperiod)
        }
        #expect(Subperiod(code: "m5") == .month(5))
        #expect(Subperiod(code: "M13") == nil)
        #expect(Subperiod(code: "Q0") == nil)
        #expect(Subperiod(code: "X1") == nil)
        #expect(Subperiod(code: "") == nil)
    }
}
