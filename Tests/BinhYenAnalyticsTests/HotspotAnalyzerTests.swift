import BinhYenCore
import BinhYenStats
import BinhYenTestSupport
import Testing
@testable import BinhYenAnalytics

/// The `[watch]` table of rule packs and the hotspot engine on small hand-made panels.
@Suite("watch rule and hotspot analyzer")
struct HotspotAnalyzerTests {
    static let minimal = "id = \"t\"\ntitle_vi = \"T\"\ntitle_en = \"T\"\nsource = \"S\"\n"
    static let rule = "[[rule]]\nmeasure = \"crime.cases\"\ntest = \"decrease\"\n"

    @Test func watchTableIsOptionalAndShippedPacksStayValid() throws {
        let plain = try RulePack.parse(text: Self.minimal + Self.rule, name: "t.toml")
        #expect(plain.watch == nil)
        #expect(plain.effectiveWatch == .standard)
        let ntm = try RulePack.builtIn(id: RulePack.defaultID)
        #expect(ntm.watch == WatchRule(source: ntm.watch?.source))
        #expect(ntm.rules.count == 6)
        for id in RulePack.builtInIDs { _ = try RulePack.builtIn(id: id) }
    }

    @Test func watchTableKeys() throws {
        let text = Self.minimal + """
        [watch]
        source = "test"
        trend_test = "mann_kendall"
        trend_points = 2
        funnel_basis = "exact_p"
        funnel_alert_points = 0
        funnel_alarm_points = 3
        emerging_classes = ["new hot spot", "sporadic hot spot"]
        emerging_points = 1
        rule_failed_points = 0
        watch = 1
        warning = 3
        alarm = 5

        """ + Self.rule
        let pack = try RulePack.parse(text: text, name: "t.toml")
        let watch = try #require(pack.watch)
        #expect(pack.rules.count == 1, "rules may follow the [watch] table")
        #expect(watch.trendTest == .mannKendall && watch.trendPoints == 2 && watch.funnelBasis == .exactP)
        #expect(watch.funnelAlertPoints == 0 && watch.funnelAlarmPoints == 3 && watch.ruleFailedPoints == 0)
        #expect(watch.emergingClasses == [.newHotSpot, .sporadicHotSpot])
        #expect(watch.source == "test")
        #expect([0, 1, 2, 3, 4, 5, 9].map(watch.level(points:)) == [.none, .watch, .watch, .warning, .warning, .alarm, .alarm])
    }

    static let badWatch: [(String, Int, String)] = [
        ("[watch]\ncolour = 1\n", 6, "unknown key 'colour'"),
        ("[watch]\nwatch = 3\nwarning = 2\n", 5, "1 ≤ watch ≤ warning ≤ alarm"),
        ("[watch]\ntrend_points = 101\n", 6, "between 0 and 100"),
        ("[watch]\ntrend_points = 1.5\n", 6, "must be an integer"),
        ("[watch]\nemerging_classes = [\"hot hot spot\"]\n", 6, "emerging_classes takes only"),
        ("[watch]\ntrend_test = \"glm\"\n", 6, "invalid value 'glm' for 'trend_test'"),
        ("[watch]\n[watch]\n", 6, "duplicate table [watch]"),
        ("[limits]\n", 5, "[table] headers are not supported"),
        ("[watch\n", 5, "missing ']'"),
    ]

    @Test(arguments: badWatch)
    func badWatchTables(text: String, line: Int, fragment: String) {
        do {
            _ = try RulePack.parse(text: Self.minimal + text, name: "w.toml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.en.contains(fragment), "\(error.message.en)")
            #expect(!error.message.vi.isEmpty)
        }
    }

    /// Four villages in a row (A–B–C–D) over 2018–2025; C rises every year.
    static func panel() -> (Panel, [(Int, Int)]) {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã Thử")
        let names = ["Thôn A", "Thôn B", "Thôn C", "Thôn D"]
        let villages = names.map { builder.village($0, in: commune) }
        let series = [[2, 1, 2, 1, 2, 1, 2, 1], [1, 2, 1, 2, 1, 2, 1, 2], [1, 2, 3, 5, 7, 9, 12, 16], [2, 2, 1, 1, 2, 2, 1, 1]]
        for (village, counts) in zip(villages, series) {
            builder.series(village, Measure(.crime), from: 2018, counts)
            for year in 2018...2024 { builder.population(village, year, 1000) }
        }
        return (builder.panel, [(villages[0], villages[1]), (villages[1], villages[2]), (villages[2], villages[3])])
    }

    @Test func risingVillageIsOnTopWithItsReasons() throws {
        let (panel, edges) = Self.panel()
        let pack = try RulePack.parse(text: Self.minimal + Self.rule, name: "t.toml")
        let rows = HotspotAnalyzer(pack: pack).analyze(panel, edges: edges)
        #expect(rows.count == 4)
        let top = try #require(rows.first)
        #expect(top.village == "Thôn C")
        #expect(top.watch == .alarm)
        #expect(top.year == 2025 && top.count == 16)
        // 2025 has no population: 2024's is carried forward and said so.
        #expect(top.population == 1000 && top.populationYear == 2024)
        #expect(top.notes.contains(.populationCarriedForward(year: 2025, from: 2024)))
        let kinds = top.findings.map { finding -> String in
            switch finding.reason {
            case .risingTrendMannKendall: return "trend"
            case .risingTrendCountModel: return "model"
            case .funnelHigh(_, let outer, _, _, _, _, _, _): return outer ? "funnel-alarm" : "funnel-alert"
            case .emergingHotSpot: return "emerging"
            case .ruleNotMet: return "rule"
            }
        }
        #expect(kinds.contains("trend") && kinds.contains("model") && kinds.contains("funnel-alarm") && kinds.contains("rule"))
        #expect(top.findings.filter { if case .risingTrendCountModel = $0.reason { return true } else { return false } }.allSatisfy { $0.points == 0 }, "trend points once")
        #expect(top.points == top.findings.reduce(0) { $0 + $1.points })
        // Rate per 1,000 with its exact interval, and a pooled target of 20 per 1,000 residents.
        #expect(top.rate?.ratePer1000 == 16)
        #expect(abs((top.targetRatePer1000 ?? 0) - 1000.0 * 20 / 4000) < 1e-12)
        #expect(top.gi?.z != nil && top.giYears == Array(2018...2025))
        #expect(top.emerging != nil)
        #expect(top.notes.contains { if case .emergingTooShort(8, _) = $0 { return true } else { return false } })
        let levels = rows.map(\.watch)
        #expect(levels == levels.sorted(by: >))
    }

    @Test func withoutAdjacencyAndWithMissingData() throws {
        var (panel, _) = Self.panel()
        let village = try #require(panel.units.firstIndex { $0.name == "Thôn D" })
        panel.series[SeriesKey(unit: village, measure: Measure(.crime))]?[2025] =
            YearValue(count: 3, completeness: .incomplete(missing: [.month(12)]))
        panel.population[village] = nil
        let pack = try RulePack.parse(text: Self.minimal + Self.rule, name: "t.toml")
        let rows = HotspotAnalyzer(pack: pack, options: HotspotOptions(targetRatePer1000: 2)).analyze(panel, edges: nil)
        let d = try #require(rows.first { $0.village == "Thôn D" })
        #expect(d.count == nil && d.rate == nil && d.funnel == nil && d.gi == nil && d.emerging == nil)
        #expect(d.notes.contains(.missingCount(year: 2025)))
        #expect(d.notes.contains(.missingPopulation(year: 2025)))
        #expect(d.notes.contains(.noAdjacency))
        let a = try #require(rows.first { $0.village == "Thôn A" })
        #expect(a.targetGiven && a.targetRatePer1000 == 2)
        #expect(abs((a.funnel?.expected ?? 0) - 2) < 1e-12)
    }

    @Test func rateVariableAndGiWithoutSelf() throws {
        var (panel, edges) = Self.panel()
        let d = try #require(panel.units.firstIndex { $0.name == "Thôn D" })
        edges.removeAll { $0.0 == d || $0.1 == d }
        let pack = try RulePack.parse(text: Self.minimal + Self.rule, name: "t.toml")
        let options = HotspotOptions(variable: .rate, variant: .gi)
        let rows = HotspotAnalyzer(pack: pack, options: options).analyze(panel, edges: edges)
        let island = try #require(rows.first { $0.village == "Thôn D" })
        #expect(island.gi?.z == nil && island.gi?.problem == .island)
        #expect(island.notes.contains(.island))
        #expect(rows.allSatisfy { $0.variable == .rate && $0.variant == .gi })
    }
}
