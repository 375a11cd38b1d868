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
}
