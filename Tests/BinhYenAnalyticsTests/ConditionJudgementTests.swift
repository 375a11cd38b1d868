import BinhYenCore
import BinhYenTestSupport
import Testing
@testable import BinhYenAnalytics

@Suite("Non-count conditions in the verdict")
struct ConditionJudgementTests {
    static let location = SourceLocation(file: "dieu-kien.csv", line: 2)

    /// One commune (with one village) whose crime goes `prev` → `curr` from 2024 to 2025, judged by the 5% rule.
    static func rows(_ prev: Int, _ curr: Int, level: UnitLevel? = nil) -> [VerdictRow] {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã Bình Yên")
        let village = builder.village("Thôn Đông", in: commune)
        builder.series(commune, Measure(.crime), from: 2024, [prev, curr])
        builder.series(village, Measure(.crime), from: 2024, [prev, curr])
        let pack = VerifierTests.pack([(Measure(.crime), VerifierTests.fivePercent)])
        return Verifier(pack: pack, options: VerifyOptions(level: level)).verify(builder.panel)
    }

    static func records(_ met: [ConditionKey: Bool], year: Int = 2025) -> [ConditionRecord] {
        met.map { ConditionRecord(commune: "Xã Bình Yên", year: year, key: $0.key, met: $0.value, value: $0.value ? "đạt" : "không đạt",
                                  source: location) }
    }

    static let allMet = Dictionary(uniqueKeysWithValues: ConditionKey.allCases.map { ($0, true) })

    @Test("order: count rules, count overall (unchanged), five condition rows, whole-indicator row")
    func orderAndCodes() throws {
        let count = Self.rows(20, 19)
        let rows = ConditionJudgement.apply(count, records: Self.records(Self.allMet))
        #expect(rows.map(\.ruleCode) == ["reduce_by_pct(5)", "all"] + ConditionKey.allCases.map { "condition(\($0.rawValue))" }
            + ["all_with_conditions"])
        #expect(Array(rows.prefix(2)) == count)
        #expect(rows.filter(\.isOverall).count == 2)
        #expect(rows.filter(\.isFullIndicator).count == 1)
        let complaint = try #require(rows.first { $0.condition == .massComplaints })
        #expect(complaint.verdict == .met)
        #expect(complaint.note?.code == .conditionsFile)
        #expect(complaint.note?.detail.vi == "theo tệp điều kiện dieu-kien.csv:2: “đạt”")
        #expect(complaint.dataSources == [Self.location])
        #expect(rows.last?.verdict == .met)
    }

    @Test("a condition not met makes the whole indicator not met while the count verdict stays met")
    func conditionNotMet() throws {
        var met = Self.allMet
        met[.massComplaints] = false
        let rows = ConditionJudgement.apply(Self.rows(20, 19), records: Self.records(met))
        #expect(rows.first { $0.ruleCode == "all" }?.verdict == .met)
        let full = try #require(rows.last)
        #expect(full.verdict == .notMet)
        #expect(full.note?.detail.vi == "không đạt: Khiếu kiện đông người kéo dài, vượt cấp trái pháp luật")
    }

    @Test("count rules not met and a condition missing: not met names the count rules; missing only: insufficient data")
    func precedence() throws {
        var partial = Self.allMet
        partial[.keyCommuneList] = nil
        let failing = ConditionJudgement.apply(Self.rows(21, 20), records: Self.records(partial))
        #expect(failing.last?.verdict == .notMet)
        #expect(failing.last?.note?.detail.en == "not met: the count rules")
        let missing = ConditionJudgement.apply(Self.rows(20, 19), records: Self.records(partial))
        let row = try #require(missing.first { $0.condition == .keyCommuneList })
        #expect(row.verdict == .insufficientData && row.note?.code == .conditionNotSupplied)
        #expect(missing.last?.verdict == .insufficientData)
        #expect(missing.last?.note?.detail.en == "insufficient data: List of key, complicated communes")
        // Records of another year do not count for 2025.
        let otherYear = ConditionJudgement.apply(Self.rows(20, 19), records: Self.records(Self.allMet, year: 2024))
        #expect(otherYear.filter { $0.condition != nil }.allSatisfy { $0.verdict == .insufficientData })
    }

    @Test("village rows get no conditions")
    func villagesUntouched() {
        let village = Self.rows(20, 19, level: .village)
        #expect(ConditionJudgement.apply(village, records: Self.records(Self.allMet)) == village)
    }
}
