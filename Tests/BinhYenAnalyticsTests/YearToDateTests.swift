import BinhYenCore
import BinhYenTestSupport
import Testing
@testable import BinhYenAnalytics

/// `YearToDateEngine` on small panels whose numbers are worked out by hand (targets, headroom)
/// or with the stated formulas in R (P(meet): `pnbinom`; script in each test's comment).
@Suite("year to date")
struct YearToDateTests {
    static let crime = Measure(.crime)
    static let evil = Measure(.socialEvil)
    static let fivePercent: RuleTest = ReductionPercent(hundredths: 500).map(RuleTest.reduceByPercent) ?? .zero

    static func pack(_ rules: [(Measure, RuleTest)], zeroBase: ZeroBasePolicy = .metIfZero) -> RulePack {
        RulePack(id: "test", title: .same("Test"), sources: ["Doc"], verified: true, level: .commune, zeroBase: zeroBase,
                 rules: rules.map { Rule(measure: $0.0, test: $0.1, label: .same($0.0.description)) }, origin: "test")
    }

    static let monthsA2023: [Int?] = [1, 0, 2, 0, 1, 3, 0, 1, 0, 2, 1, 1]      // 12
    static let monthsA2024: [Int?] = [2, 1, 0, 3, 1, 2, 1, 0, 2, 1, 3, 4]      // 20
    static let monthsB2024: [Int?] = [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0]      // 4

    /// Commune "Xã" with villages A (2024 complete, 2025 months 1–3) and B (2024 complete,
    /// 2025 months 1–2, month 3 missing).
    static func panel(withHistory2023: Bool = false) -> (Panel, commune: Int, a: Int, b: Int) {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã")
        let a = builder.village("A", in: commune)
        let b = builder.village("B", in: commune)
        if withHistory2023 { builder.months(a, crime, 2023, monthsA2023) }
        builder.months(a, crime, 2024, monthsA2024)
        builder.months(a, crime, 2025, [1, 2, 0] + Array(repeating: nil, count: 9))
        builder.months(b, crime, 2024, monthsB2024)
        builder.months(b, crime, 2025, [0, 1] + Array(repeating: nil, count: 10))
        return (builder.panel, commune, a, b)
    }

    static func rows(_ panel: Panel, through month: Int, year: Int = 2025, rules: [(Measure, RuleTest)] = [(crime, fivePercent)],
                     zeroBase: ZeroBasePolicy = .metIfZero) -> [YearToDateRow] {
        YearToDateEngine(pack: pack(rules, zeroBase: zeroBase),
                         options: YearToDateOptions(through: PeriodPoint(year: year, number: month))).rows(panel)
    }

    @Test("through the first month: ytd, same month last year, target ⌊19·prev/20⌋, headroom")
    func firstMonth() throws {
        let (panel, _, _, _) = Self.panel()
        let rows = Self.rows(panel, through: 1)
        #expect(rows.map(\.unitName) == ["Xã", "A", "B"])
        let commune = rows[0]
        #expect(commune.ytd == 1 && commune.ytdPrev == 3 && commune.ytdChange == -2)
        #expect(commune.prev == 24 && commune.targetMax == 22 && commune.headroom == 21 && commune.lost == false)
        let a = rows[1]
        #expect(a.ytd == 1 && a.ytdPrev == 2 && a.prev == 20 && a.targetMax == 19 && a.headroom == 18)
        #expect(abs((a.ytdPctChange ?? 0) - -50) < 1e-12)
        // One history year (2024, total 20): shares (c + ½)/26, Π = 2.5/26, φ = 1 (not estimable),
        // level gamma(shape 1 + 0.5·20 + 0.5 = 11.5, rate Π + 0.5): R ~ NB(size 11.5, mean 11.5·23.5/15.5).
        // R: pnbinom(18, size = 11.5, mu = 11.5*23.5/15.5) = 0.602419596028404; qnbinom(c(.025,.975)) = 6, 32.
        #expect(abs((a.expectedRemaining ?? 0) - 11.5 * 23.5 / 15.5) < 1e-12)
        #expect(abs((a.pMeet ?? 0) - 0.602419596028404) < 1e-12)
        #expect(a.totalLow == 7 && a.totalHigh == 33)
        #expect(a.dispersion == 1 && a.historyYears == 1)
        #expect(abs((a.elapsedShare ?? 0) - 2.5 / 26) < 1e-15)
    }

    @Test("a missing month makes the year to date missing (village and commune), never zero")
    func missingMonth() throws {
        let (panel, _, _, _) = Self.panel()
        let rows = Self.rows(panel, through: 3)
        let b = try #require(rows.first { $0.unitName == "B" })
        #expect(b.ytd == nil && b.headroom == nil && b.pMeet == nil && b.lost == nil)
        #expect(b.targetMax == 3)
        #expect(b.notes.map(\.code) == [.missingMonths])
        #expect(b.notes.first?.detail.en == "2025: no data for month 3")
        let commune = try #require(rows.first { $0.unitName == "Xã" })
        #expect(commune.ytd == nil && commune.notes.map(\.code).contains(.missingMonths))
        let a = try #require(rows.first { $0.unitName == "A" })
        #expect(a.ytd == 3 && a.headroom == 16)
    }

    @Test("two history years: dispersion from the year × month table, moment-matched NB")
    func overdispersedHistory() throws {
        let (panel, _, _, _) = Self.panel(withHistory2023: true)
        let a = try #require(Self.rows(panel, through: 3).first { $0.unitName == "A" })
        // R (see the suite comment): X² = 12.444…, df 11, φ = 1.1313131313131313, Π = 0.19736842105263158,
        // m = 13.235849056603772, NB size 9.2339449541284431, P(meet) = pnbinom(16, …) = 0.74330379057532725,
        // interval 3 + qnbinom(c(.025, .975)) = 7, 29.
        #expect(abs((a.dispersion ?? 0) - 1.1313131313131313) < 1e-14)
        #expect(abs((a.elapsedShare ?? 0) - 0.19736842105263158) < 1e-15)
        #expect(abs((a.expectedRemaining ?? 0) - 13.235849056603772) < 1e-12)
        #expect(abs((a.pMeet ?? 0) - 0.74330379057532725) < 1e-10)
        #expect(a.totalLow == 7 && a.totalHigh == 29)
        #expect(a.historyYears == 2)
    }

    @Test("through the last month: the outcome is known (P(meet) 0 or 1, no remaining months)")
    func lastMonth() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã")
        let a = builder.village("A", in: commune)
        builder.months(a, Self.crime, 2023, Self.monthsA2023)     // 12
        builder.months(a, Self.crime, 2024, Self.monthsA2024)     // 20 > ⌊19·12/20⌋ = 11
        let rows = Self.rows(builder.panel, through: 12, year: 2024)
        let village = try #require(rows.first { $0.unitName == "A" })
        #expect(village.ytd == 20 && village.targetMax == 11 && village.headroom == -9 && village.lost == true)
        #expect(village.pMeet == 0 && village.expectedRemaining == 0 && village.totalLow == 20 && village.totalHigh == 20)
        #expect(village.notes.map(\.code).contains(.yearComplete) && village.notes.map(\.code).contains(.alreadyLost))
        let decrease = Self.rows(builder.panel, through: 12, year: 2024, rules: [(Self.crime, .decrease(allowEqual: false))])
        #expect(decrease.first { $0.unitName == "A" }?.targetMax == 11)
    }

    @Test("zero base: met_if_zero targets 0 (a case loses it); not_applicable has no target")
    func zeroBase() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã")
        builder.months(commune, Self.evil, 2024, Array(repeating: 0, count: 12))
        builder.months(commune, Self.evil, 2025, [0, 1] + Array(repeating: nil, count: 10))
        let rule: [(Measure, RuleTest)] = [(Self.evil, .decrease(allowEqual: false))]
        let met = try #require(Self.rows(builder.panel, through: 2, rules: rule).first)
        #expect(met.targetMax == 0 && met.headroom == -1 && met.lost == true && met.pMeet == 0)
        #expect(met.notes.map(\.code) == [.zeroBaseTargetZero, .alreadyLost])
        let notApplicable = try #require(Self.rows(builder.panel, through: 2, rules: rule, zeroBase: .notApplicable).first)
        #expect(notApplicable.targetMax == nil && notApplicable.headroom == nil && notApplicable.pMeet == nil)
        #expect(notApplicable.ytd == 1 && notApplicable.expectedRemaining != nil)
        #expect(notApplicable.notes.map(\.code) == [.zeroBase])
    }

    @Test("an incomplete previous year gives no target; exclusions are used only when they fit the months")
    func previousYearAndExclusions() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã")
        builder.months(commune, Self.crime, 2024, [2, 1, 0, 3, 1, 2, 1, 0, 2, 1, 3, nil])
        builder.months(commune, Self.crime, 2025, [4, 1, 1] + Array(repeating: nil, count: 9), excluded: 1)
        let row = try #require(Self.rows(builder.panel, through: 3).first)
        #expect(row.prev == nil && row.targetMax == nil && row.pMeet == nil)
        #expect(row.notes.map(\.code) == [.previousYearUnavailable, .noSeasonalHistory])
        #expect(row.ytd == 5)   // 6 raw, 1 force majeure within months 1–3
        #expect(row.ytdPrev == 3)
        // Through month 2 the exclusion cannot be placed (month 3 has data): raw count.
        let early = try #require(Self.rows(builder.panel, through: 2).first)
        #expect(early.ytd == 5 && early.notes.map(\.code).contains(.exclusionsNotAttributed))
    }
}
