import BinhYenCore
import Testing
@testable import BinhYenIngest

@Suite("Count and period cells")
struct ValueParsingTests {
    private func value(_ text: String) -> Int? {
        if case .value(let value, _) = CountParser.read(text) { return value }
        return nil
    }

    private func repaired(_ text: String) -> Bool {
        if case .value(_, let repair) = CountParser.read(text) { return repair != nil }
        return false
    }

    private func code(_ text: String) -> DiagnosticCode? {
        if case .invalid(let code, _) = CountParser.read(text) { return code }
        return nil
    }

    @Test(arguments: [
        ("02", 2), ("007", 7), ("3.954", 3954), ("1.234.567", 1_234_567), ("1,234", 1234), ("12,345,678", 12_345_678),
        ("3.0", 3), ("3,00", 3), ("1.234,00", 1234), ("1,234.0", 1234), ("02 vụ", 2), ("3 người", 3), ("5 cases", 5),
        ("4 Vụ việc", 4), ("１２", 12), ("1.000.000.000.000", 1_000_000_000_000),
    ])
    func repairsAreReadAndNoted(text: String, expected: Int) {
        #expect(value(text) == expected)
        #expect(repaired(text))
    }

    @Test func plainAndTrimmedNumbersNeedNoRepair() {
        #expect(value(" 2") == 2)
        #expect(value("0") == 0)
        #expect(!repaired("1 "))
        #expect(CountParser.read("") == .empty)
        #expect(CountParser.read("   ") == .empty)
    }

    @Test(arguments: [
        ("-1", DiagnosticCode.negativeCount), ("−3", .negativeCount), ("-02 vụ", .negativeCount),
        ("2.5", .fractionalCount), ("2,5", .fractionalCount), ("1.234,5", .fractionalCount), ("0.500", .fractionalCount),
        ("abc", .nonNumericCount), ("x", .nonNumericCount), ("3 con", .nonNumericCount), ("1e3", .nonNumericCount),
        ("5%", .nonNumericCount), ("-", .nonNumericCount), ("1.2.3", .nonNumericCount), ("3.000", .nonNumericCount),
        ("1000000000001", .countTooLarge), ("99999999999999999999", .countTooLarge),
    ])
    func invalidCountsAreRejected(text: String, expected: DiagnosticCode) {
        #expect(code(text) == expected)
    }

    @Test func ambiguousGroupingNamesBothReadings() {
        guard case .invalid(_, let message) = CountParser.read("3.000") else { Issue.record("accepted"); return }
        #expect(message.en.contains("3 or 3000"))
        #expect(message.vi.contains("3 hoặc 3000"))
    }

    @Test func notAvailableMarkersAreMissing() {
        #expect(CountParser.read("NA") == .notAvailable("NA"))
        #expect(CountParser.read("n/a") == .notAvailable("n/a"))
        #expect(CountParser.read("#N/A") == .notAvailable("#N/A"))
        #expect(CountParser.read("Không có số liệu") == .notAvailable("Không có số liệu"))
    }

    @Test(arguments: [
        ("Tháng 3", PeriodField.month, 3), ("T03", .month, 3), ("thang 12", .month, 12), ("Jan", .month, 1), ("march", .month, 3),
        ("Quý II", .quarter, 2), ("Q4", .quarter, 4), ("quy 1", .quarter, 1), ("Tuần 5", .week, 5), ("W05", .week, 5),
        ("Năm 2024", .year, 2024), ("2024", .year, 2024),
    ])
    func periodCells(text: String, field: PeriodField, expected: Int) {
        #expect(PeriodParser.read(text, as: field) == .success(expected))
    }

    @Test func periodCellsOutOfRange() {
        #expect(PeriodParser.read("13", as: .month) == .failure(.outOfRange(13)))
        #expect(PeriodParser.read("0", as: .month) == .failure(.outOfRange(0)))
        #expect(PeriodParser.read("Quý V", as: .quarter) == .failure(.outOfRange(5)))
        #expect(PeriodParser.read("Quý năm", as: .quarter) == .failure(.notANumber))
        #expect(PeriodParser.read("5", as: .quarter) == .failure(.outOfRange(5)))
        #expect(PeriodParser.read("54", as: .week) == .failure(.outOfRange(54)))
        #expect(PeriodParser.read("1899", as: .year) == .failure(.outOfRange(1899)))
        #expect(PeriodParser.read("hai nghìn", as: .year) == .failure(.notANumber))
    }
}
