import BinhYenCore
import BinhYenStats
import BinhYenTestSupport
import Testing
@testable import BinhYenAnalytics

/// The `summary` rows computed by hand (bench/SPEC.md definitions), the panel-to-grid conversion,
/// and the cases the benchmark does not have: missing and incomplete years, zero bases, money,
/// villages without population, verdicts.
@Suite("Summary engine")
struct SummaryEngineTests {
    static let crime = Measure(.crime)
    static let fire = Measure(.fire)
    static let damage = Measure(.traffic, .damageVND)

    /// Commune "Tịnh Châu" (21208) with villages A (1000 residents) and B (3000), commune "Khác" with C.
    static func panel() -> Panel {
        var builder = PanelBuilder()
        let commune = builder.commune("Tịnh Châu", code: "21208")
        let other = builder.commune("Khác", code: "21209")
        let a = builder.village("Thôn A", in: commune, code: "21208002")
        let b = builder.village("Thôn B", in: commune, code: "21208001")
        let c = builder.village("Thôn C", in: other)
        builder.series(a, crime, from: 2021, [4, 6, 5, 10, 8])
        builder.series(b, crime, from: 2021, [2, 2, 2, 0, 0])
        builder.series(c, crime, from: 2021, [1, 3, 2, 2, 5])
        builder.series(a, fire, from: 2021, [1, 0, 0, 1, 2])
        builder.set(b, fire, 2021, 1)
        builder.set(b, fire, 2023, 0)
        builder.set(b, fire, 2025, 1)
        builder.set(b, fire, 2024, 3, missing: [.month(5)])
        builder.series(a, damage, from: 2024, [5_000_000, 2_000_000])
        for year in 2021...2025 {
            builder.population(a, year, 1000 + year - 2021)
            builder.population(b, year, 3000)
        }
        return builder.panel
    }

    static func rows() throws -> (CountGrid, [SummaryRow]) {
        let grid = try #require(CountGrid(panel: panel()))
        let pack = try RulePack.builtIn(id: RulePack.defaultID)
        let engine = try SummaryEngine(grid: grid, options: SummaryOptions(pack: pack))
        var cache = GridTrendCache()
        var rows: [SummaryRow] = []
        for v in grid.villages.indices {
            for m in grid.measures.indices {
                if let row = engine.row(village: v, measure: m, cache: &cache) { rows.append(row) }
            }
        }
        return (grid, rows)
    }

    static func row(_ rows: [SummaryRow], _ grid: CountGrid, _ village: String, _ measure: Measure) throws -> SummaryRow {
        try #require(rows.first { grid.villages[$0.village].name == village && grid.measures[$0.measure] == measure })
    }

    /// `--village`: a selected village's expected count pools its whole commune (peers), as
    /// in the full table: A has 1004 of 4004 residents and the commune had 8 crimes in 2025.
    @Test func selectedVillageKeepsItsCommunePeers() throws {
        let (fullGrid, fullRows) = try Self.rows()
        let full = try Self.row(fullRows, fullGrid, "Thôn A", Self.crime)
        let alone = try #require(fullGrid.filtered(commune: nil, village: "Thôn A", category: nil))
        var cache = GridTrendCache()
        let withPeers = try #require(try SummaryEngine(grid: alone, peers: fullGrid).row(village: 0, measure: 0, cache: &cache))
        #expect(withPeers.expected == full.expected)
        #expect(withPeers.expected == 1004.0 * 8.0 / 4004.0)
        #expect(withPeers.upperControlLimit == full.upperControlLimit)
        let isolated = try #require(try SummaryEngine(grid: alone).row(village: 0, measure: 0, cache: &cache))
        #expect(isolated.expected == 8)   // without peers the village is its own commune
    }

    @Test func gridFromAPanel() throws {
        let grid = try #require(CountGrid(panel: Self.panel()))
        #expect(grid.years == [2021, 2022, 2023, 2024, 2025])
        #expect(grid.measures == [Self.crime, Self.fire, Self.damage])
        // Sorted by code; the village without a code last.
        #expect(grid.villages.map(\.name) == ["Thôn B", "Thôn A", "Thôn C"])
        #expect(grid.villages.map(\.communeCode) == ["21208", "21208", "21209"])
        #expect(grid.villages.map(\.communeName) == ["Tịnh Châu", "Tịnh Châu", "Khác"])
        #expect(grid.villages[0].commune == grid.villages[1].commune && grid.villages[2].commune != grid.villages[0].commune)
        #expect(grid.villages.map(\.population) == [3000, 1004, nil])
        // Thôn B fire: 2022 missing, 2024 incomplete.
        let fire = grid.offset(village: 0, measure: 1)
        #expect(Array(grid.cells[fire..<(fire + 5)]) == [1, CountGrid.missing, 0, CountGrid.incomplete, 1])
        #expect(!grid.hasSeries(village: 2, measure: 1))
    }

    @Test func aCompleteSeriesByHand() throws {
        let (grid, rows) = try Self.rows()
        let a = try Self.row(rows, grid, "Thôn A", Self.crime)
        #expect(a.previous == 10 && a.current == 8 && a.absoluteChange == -2)
        #expect(a.percentChange == -20)
        #expect(a.meetsFivePercent == true)  // 20·8 = 160 ≤ 19·10 = 190
        #expect(a.verdict == .met)
        // 4 6 5 10 8: S = +1+1+1+1 −1+1+1 +1+1 −1 = 6; no ties: Var = 5·4·15/18.
        #expect(a.trend.mkS == 6)
        #expect(a.trend.mkVarianceS == 300.0 / 18)
        #expect(a.trend.mkZ == 5 / (300.0 / 18).squareRoot())
        // OLS: Σ(y−2023)·n = −8 −6 +0 +10 +16 = 12, Σ(y−2023)² = 10.
        #expect(a.trend.olsSlope == 1.2)
        // Pairwise slopes 2, 0.5, 2, 1, −1, 2, 2/3, 5, 1.5, −2 → median (1 + 1.5)/2.
        #expect(a.trend.senSlope == 1.25)
        #expect(a.ratePer1000 == 1000 * 8 / 1004.0)
        // Commune Tịnh Châu, crime 2025: C = 8 + 0, P = 1004 + 3000.
        #expect(a.expected == 1004.0 * 8 / 4004)
        #expect(a.upperControlLimit == PoissonDistribution.quantile(0.999, mean: 1004.0 * 8 / 4004))
        #expect(a.hotspot == (8 > (a.upperControlLimit ?? 0)))
        #expect(a.notes == [])
    }

    @Test func zeroBaseAndMissingAndIncompleteYears() throws {
        let (grid, rows) = try Self.rows()
        let b = try Self.row(rows, grid, "Thôn B", Self.crime)
        // 0 → 0: no percent change (zero base), 5% test and verdict met.
        #expect(b.percentChange == nil && b.notes.contains(.zeroBase))
        #expect(b.meetsFivePercent == true && b.verdict == .met)
        #expect(b.expected == 3000.0 * 8 / 4004 && b.hotspot == false)
        let fire = try Self.row(rows, grid, "Thôn B", Self.fire)
        // 2024 incomplete: no change; the trend uses 2021, 2023, 2025 (1, 0, 1).
        #expect(fire.previous == nil && fire.current == 1 && fire.absoluteChange == nil && fire.meetsFivePercent == nil)
        #expect(fire.verdict == .insufficientData)
        #expect(fire.notes.contains(.missingYear) && fire.notes.contains(.incompleteYear))
        #expect(fire.trend.yearCount == 3 && fire.trend.mkS == 0 && fire.trend.senSlope == 0)
    }

    @Test func moneyAndMissingPopulation() throws {
        let (grid, rows) = try Self.rows()
        let damage = try Self.row(rows, grid, "Thôn A", Self.damage)
        #expect(damage.ratePer1000 == 1000 * 2_000_000 / 1004.0)
        #expect(damage.expected == nil && damage.upperControlLimit == nil && damage.hotspot == nil)
        #expect(damage.notes.contains(.notACount))
        #expect(damage.verdict == nil)  // the pack has no rule for money
        #expect(damage.trend.yearCount == 2 && damage.notes.contains(.missingYear))
        let c = try Self.row(rows, grid, "Thôn C", Self.crime)
        #expect(c.ratePer1000 == nil && c.expected == nil && c.notes.contains(.missingPopulation))
        #expect(c.percentChange == 150 && c.verdict == .notMet)
        // Every present series has a row, none for absent ones.
        #expect(rows.count == 6)
    }

    @Test func filtersKeepCodesAndRenumberCommunes() throws {
        let grid = try #require(CountGrid(panel: Self.panel()))
        let one = try #require(grid.filtered(commune: "21209", village: nil, category: nil))
        #expect(one.villages.map(\.name) == ["Thôn C"] && one.communeCount == 1 && one.villages[0].commune == 0)
        let byName = try #require(grid.filtered(commune: nil, village: "thon a", category: .crime))
        #expect(byName.villages.map(\.name) == ["Thôn A"] && byName.measures == [Self.crime])
        #expect(byName.count(village: 0, measure: 0, year: 4) == 8)
    }
}
