import BinhYenCore
import BinhYenStats
import BinhYenTestSupport
import Testing
@testable import BinhYenAnalytics

/// `AlertsRunner` and `SubperiodCounts` over panels: timelines, village sums, missing months,
/// history checks with advice, weekly data. The numbers of the detectors themselves are checked
/// against R in the Stats and CLI golden tests.
@Suite("alerts runner")
struct AlertsRunnerTests {
    static let crime = Measure(.crime)

    /// A commune with two villages and `years` of monthly crime counts (village A: `2 + month % 3`,
    /// village B: 1 per month), starting 2018.
    static func panel(years: Int, missing: (village: Int, year: Int, month: Int)? = nil) -> (Panel, Int, Int, Int) {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã")
        let a = builder.village("A", in: commune)
        let b = builder.village("B", in: commune)
        for year in 2018..<(2018 + years) {
            var countsA: [Int?] = (1...12).map { 2 + $0 % 3 }
            var countsB: [Int?] = Array(repeating: 1, count: 12)
            if let missing, missing.year == year {
                if missing.village == 0 { countsA[missing.month - 1] = nil } else { countsB[missing.month - 1] = nil }
            }
            builder.months(a, crime, year, countsA)
            builder.months(b, crime, year, countsB)
        }
        return (builder.panel, commune, a, b)
    }

    @Test func communeMonthsAreTheVillageSumsAndMissingWhenAVillageMisses() {
        let (panel, commune, _, _) = Self.panel(years: 2, missing: (village: 1, year: 2019, month: 4))
        let counts = SubperiodCounts(panel: panel, kind: .month)
        #expect(counts.counts(unit: commune, measure: Self.crime, year: 2018)[1] == 4)   // A: 2 + 1 % 3 = 3, B: 1
        let year2019 = counts.counts(unit: commune, measure: Self.crime, year: 2019)
        #expect(year2019[4] == nil && year2019[5] == 2 + 5 % 3 + 1)
        #expect(counts.timeline.count == 24 && counts.timeline.first == PeriodPoint(year: 2018, number: 1))
        let series = counts.series(unit: commune, measure: Self.crime, timeline: counts.timeline)
        #expect(series[15] == nil && series.compactMap { $0 }.count == 23)
    }

    @Test func defaultFarringtonRangeStartsAfterFreqTimesBPlusW() throws {
        let (panel, _, _, _) = Self.panel(years: 4)
        let runner = AlertsRunner(options: AlertOptions(method: .farringtonFlexible,
                                                        farrington: FarringtonOptions(variant: .flexible, yearsBack: 3, halfWindow: 2)))
        let plan = try runner.plan(panel)
        #expect(plan.monitored == 38..<48)
        #expect(plan.timeline[38] == PeriodPoint(year: 2021, number: 3))
        let rows = try runner.run(panel)
        #expect(rows.count == 3 * 10)
        #expect(rows.first?.period.label(.month) == "2021-03" && rows.first?.index == 39)
        #expect(rows.allSatisfy { $0.reason != .noFit && $0.expected != nil })
    }

    @Test func tooShortHistoryNamesTheLongestSettingThatWorks() throws {
        let (panel, _, _, _) = Self.panel(years: 3)
        let options = AlertOptions(method: .farrington, farrington: FarringtonOptions(variant: .original, yearsBack: 3, halfWindow: 2))
        #expect(throws: AlertsError.self) { try AlertsRunner(options: options).run(panel) }
        do {
            _ = try AlertsRunner(options: options).plan(panel)
        } catch .historyTooShort(let shortfall) {
            // Judged at the last month (index 35): 35 earlier months, 38 needed.
            #expect(shortfall.available == 35 && shortfall.needed == 38)
            #expect(shortfall.longestYearsBack == 2 && shortfall.longestHalfWindow == nil && shortfall.earliestStart == nil)
            #expect(shortfall.message.en.contains("Longest setting that works: --b 2 (keeping w = 2)."))
            #expect(shortfall.message.vi.contains("--b 2 (giữ w = 2)"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        var ranged = options
        ranged.from = PeriodPoint(year: 2019, number: 6)
        do {
            _ = try AlertsRunner(options: ranged).plan(Self.panel(years: 5).0)
        } catch .historyTooShort(let shortfall) {
            // From 2019-06 (17 earlier months): b = 1 works with w = 2, and monitoring can start at 2021-03.
            #expect(shortfall.available == 17 && shortfall.longestYearsBack == 1)
            #expect(shortfall.earliestStart == PeriodPoint(year: 2021, number: 3))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func missingMonthIsNotJudgedAndLeftOutOfTheReference() throws {
        let (panel, _, _, _) = Self.panel(years: 5, missing: (village: 0, year: 2021, month: 5))
        var options = AlertOptions(method: .farringtonFlexible,
                                   farrington: FarringtonOptions(variant: .flexible, yearsBack: 3, halfWindow: 2))
        options.level = .village
        let rows = try AlertsRunner(options: options).run(panel).filter { $0.village == "A" }
        let may = try #require(rows.first { $0.period == PeriodPoint(year: 2021, number: 5) })
        #expect(may.observed == nil && may.alarm == nil && may.reason == .missingObservation && may.expected != nil)
        // Next year's May has one reference value fewer (2021-05 missing): 3·5 − 1 = 14 (pastExcluded = w).
        let nextMay = try #require(rows.first { $0.period == PeriodPoint(year: 2022, number: 5) })
        #expect(nextMay.baselineSize == 14)
    }

    @Test func chartsNeedHistoryAndUseItsMean() throws {
        let (panel, _, _, _) = Self.panel(years: 2)
        var options = AlertOptions(method: .poissonCUSUM)
        options.level = .commune
        let rows = try AlertsRunner(options: options).run(panel)
        // Default range: the last year; μ0 = mean of 2018 = (2+3+4)·4/12 + 1 = 4.
        #expect(rows.count == 12 && rows.first?.period == PeriodPoint(year: 2019, number: 1))
        #expect(rows.allSatisfy { $0.expected == 4 && $0.scoreLimit == 4 })
        options.from = PeriodPoint(year: 2018, number: 1)
        #expect(throws: AlertsError.noBaseline(first: PeriodPoint(year: 2018, number: 1), kind: .month)) {
            try AlertsRunner(options: options).run(panel)
        }
        options.from = PeriodPoint(year: 2030, number: 1)
        #expect(throws: AlertsError.rangeOutsideData(first: PeriodPoint(year: 2018, number: 1),
                                                     last: PeriodPoint(year: 2019, number: 12), kind: .month)) {
            try AlertsRunner(options: options).run(panel)
        }
    }

    @Test func weeklyDataGiveAWeeklyTimeline() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã")
        for year in 2020...2023 { builder.weeks(commune, Self.crime, year, (1...52).map { $0 % 4 }) }
        let panel = builder.panel
        #expect(SubperiodCounts.kind(of: panel) == .week)
        let runner = AlertsRunner(options: AlertOptions(method: .farrington,
                                                        farrington: FarringtonOptions(variant: .original, yearsBack: 2, halfWindow: 3)))
        let plan = try runner.plan(panel)
        #expect(plan.kind == .week && plan.timeline.count == 208 && plan.monitored == 107..<208)
        let rows = try runner.run(panel)
        #expect(rows.first?.period.label(.week) == "2022-W04")
        #expect(rows.count == 101)
    }

    @Test func moneyIsNotMonitoredUnlessNamed() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã")
        let damage = Measure(.fire, .damageVND)
        for year in 2018...2019 {
            builder.months(commune, Self.crime, year, Array(repeating: 2, count: 12))
            builder.months(commune, damage, year, Array(repeating: 1_000_000, count: 12))
        }
        let rows = try AlertsRunner(options: AlertOptions(method: .poissonEWMA)).run(builder.panel)
        #expect(Set(rows.map(\.measure)) == [Self.crime])
        let named = try AlertsRunner(options: AlertOptions(method: .poissonEWMA, measures: [damage])).run(builder.panel)
        #expect(named.count == 12)
    }
}
