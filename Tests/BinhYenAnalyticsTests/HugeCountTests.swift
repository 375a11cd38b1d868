import BinhYenCore
import BinhYenStats
import Testing
@testable import BinhYenAnalytics

/// Issue 9 "huge counts": counts near `Int.max` (reachable by summing many 10¹²-sized rows with
/// `--on-conflict sum`) never trap; the 5% test and the verdict stay exact.
@Suite("Huge counts")
struct HugeCountTests {
    static func row(previous: Int, current: Int, population: Int? = 1_000) throws -> SummaryRow {
        let village = CountGrid.Village(code: "1", name: "Thôn Đông", commune: 0, population: population)
        let grid = try #require(CountGrid(years: [2024, 2025], measures: [Measure(.crime)], villages: [village],
                                          communeCount: 1, cells: [previous, current]))
        let engine = try SummaryEngine(grid: grid, options: SummaryOptions(pack: try RulePack.builtIn(id: RulePack.defaultID)))
        var cache = GridTrendCache()
        return try #require(engine.row(village: 0, measure: 0, cache: &cache))
    }

    @Test func fivePercentTestIsExactNearIntMax() throws {
        // 20·curr and 19·prev are both far above Int.max; 19·prev/20 = 8.76·10¹⁸ − 0.05.
        let previous = Int.max - 6
        let largestMeeting = Int(19 * Int128(previous) / 20)
        let met = try Self.row(previous: previous, current: largestMeeting)
        #expect(met.meetsFivePercent == true)
        #expect(met.verdict == .met)
        #expect(met.absoluteChange == largestMeeting - previous)
        let notMet = try Self.row(previous: previous, current: largestMeeting + 1)
        #expect(notMet.meetsFivePercent == false)
        #expect(notMet.verdict == .notMet)
    }

    @Test func percentChangeAndRatesOfHugeCountsAreFinite() throws {
        let row = try Self.row(previous: 1 << 61, current: 1 << 62)
        #expect(row.percentChange == 100)
        #expect(row.meetsFivePercent == false)
        #expect(row.ratePer1000 == 1000 * Double(1 << 62) / 1000)
        // One village: its expected count is its own count, too large for an exact funnel limit.
        #expect(row.expected == Double(1 << 62))
        #expect(row.upperControlLimit == nil)
        #expect(row.hotspot == nil)
    }
}
