import BinhYenCore
import BinhYenTestSupport
import Testing
@testable import BinhYenAnalytics

@Suite("Verifier")
struct VerifierTests {
    static let crime = Measure(.crime)
    static let fire = Measure(.fire)
    static let deaths = Measure(.laborAccident, .deaths)

    static func pack(_ rules: [(Measure, RuleTest)], level: RulePackLevel = .commune,
                     zeroBase: ZeroBasePolicy = .metIfZero) -> RulePack {
        RulePack(id: "test", title: .same("Test"), sources: ["Doc"], verified: true, level: level, zeroBase: zeroBase,
                 rules: rules.map { Rule(measure: $0.0, test: $0.1, label: .same($0.0.description)) }, origin: "test")
    }

    static let fivePercent: RuleTest = ReductionPercent(hundredths: 500).map(RuleTest.reduceByPercent) ?? .zero

    /// One commune with a `crime.cases` series prev → curr in 2024 → 2025, judged with `rule`.
    static func judgeCommune(_ prev: Int, _ curr: Int, test: RuleTest = fivePercent,
                             options: VerifyOptions = VerifyOptions()) -> VerdictRow? {
        var builder = PanelBuilder()
        let commune = builder.commune("Tịnh Châu", code: "21208")
        builder.series(commune, crime, from: 2024, [prev, curr])
        return Verifier(pack: pack([(crime, test)]), options: options).verify(builder.panel).first
    }

    @Test("5% rule boundaries: 20→19 met, 21→20 not met, 100→95 met, 7→6 met", arguments: [
        (20, 19, Verdict.met, 19, -5.0), (21, 20, .notMet, 19, -4.761904761904762), (100, 95, .met, 95, -5.0),
        (7, 6, .met, 6, -14.285714285714286), (3, 0, .met, 2, -100.0),
    ])
    func fivePercentBoundaries(prev: Int, curr: Int, verdict: Verdict, target: Int, pct: Double) throws {
        let row = try #require(Self.judgeCommune(prev, curr))
        #expect(row.verdict == verdict)
        #expect(row.note == nil)
        #expect(row.targetMax == target)
        #expect(row.change == curr - prev)
        let pctChange = try #require(row.pctChange)
        #expect(abs(pctChange - pct) < 1e-12)
        #expect(row.reductionPct == -pctChange)
        #expect(row.year == 2025 && row.prevYear == 2024)
        #expect(row.commune == "Tịnh Châu" && row.communeCode == "21208" && row.village == nil)
        #expect(row.ruleCode == "reduce_by_pct(5)")
        #expect(row.dataSources.count == 2)
    }

    /// Reference values from the golden case `yoy_change_basic` (R 4.2.2 `poisson.test`), rows a and h;
    /// the full fixture is in Tests/BinhYenStatsTests/Fixtures/golden. Tolerance 1e-10 as in the case.
    @Test("evidence carries the exact test: 20→19 p = 1, RR 0.95, not significant; 12→5 p = 0.1435")
    func comparison() throws {
        let a = try #require(Self.judgeCommune(20, 19)?.comparison)
        #expect(a.pExactTwoSided == 1)
        #expect(abs((a.rateRatio ?? 0) - 0.95) < 1e-12)
        #expect(abs(a.exactInterval.lower - 0.479685649409018) < 1e-10)
        #expect(Self.judgeCommune(20, 19)?.significant == false)
        let h = try #require(Self.judgeCommune(12, 5)?.comparison)
        #expect(abs(h.pExactTwoSided - 0.143463134765625) < 1e-12)
        let strong = try #require(Self.judgeCommune(30, 10))
        #expect(strong.significant == true)
        #expect((strong.comparison?.pExactTwoSided ?? 1) < 0.01)
    }

    @Test("zero base, default met_if_zero: 0→0 met (maintained_zero), 0→3 not met (new_cases)")
    func zeroBaseDefault() throws {
        let kept = try #require(Self.judgeCommune(0, 0))
        #expect(kept.verdict == .met)
        #expect(kept.note?.code == .maintainedZero)
        #expect(kept.pctChange == nil && kept.reductionPct == nil)
        #expect(kept.targetMax == 0)
        #expect(kept.comparison?.pExactTwoSided == 1)
        let new = try #require(Self.judgeCommune(0, 3))
        #expect(new.verdict == .notMet)
        #expect(new.note?.code == .newCases)
        #expect(new.pctChange == nil)
        #expect(new.change == 3)
        #expect(abs((new.comparison?.pExactTwoSided ?? 0) - 0.25) < 1e-12)
        #expect(new.comparison?.exactInterval.upper == nil)
    }

    @Test("zero base under not_applicable: 0→0 and 0→3 are not applicable (pack setting and option)")
    func zeroBaseNotApplicable() throws {
        for (prev, curr) in [(0, 0), (0, 3)] {
            let viaOption = try #require(Self.judgeCommune(prev, curr, options: VerifyOptions(zeroBase: .notApplicable)))
            #expect(viaOption.verdict == .notApplicable)
            #expect(viaOption.note?.code == .zeroBase)
            #expect(viaOption.targetMax == nil)
            var builder = PanelBuilder()
            let commune = builder.commune("X")
            builder.series(commune, Self.crime, from: 2024, [prev, curr])
            let rows = Verifier(pack: Self.pack([(Self.crime, .decrease(allowEqual: false))], zeroBase: .notApplicable))
                .verify(builder.panel)
            #expect(rows.first?.verdict == .notApplicable)
            #expect(rows.last?.verdict == .notApplicable)
            #expect(rows.last?.note?.code == .rulesNotApplicable)
        }
        // The option also overrides a pack that says not_applicable.
        var builder = PanelBuilder()
        let commune = builder.commune("X")
        builder.series(commune, Self.crime, from: 2024, [0, 3])
        let rows = Verifier(pack: Self.pack([(Self.crime, Self.fivePercent)], zeroBase: .notApplicable),
                            options: VerifyOptions(zeroBase: .metIfZero)).verify(builder.panel)
        #expect(rows.first?.verdict == .notMet)
    }

    @Test("decrease: strict by default, allow_equal accepts no change", arguments: [
        (5, 5, false, Verdict.notMet, 4), (5, 5, true, .met, 5), (5, 4, false, .met, 4), (5, 6, true, .notMet, 5),
        (1, 0, false, .met, 0), (0, 0, true, .met, 0), (0, 1, true, .notMet, 0),
    ])
    func decrease(prev: Int, curr: Int, allowEqual: Bool, verdict: Verdict, target: Int) throws {
        let row = try #require(Self.judgeCommune(prev, curr, test: .decrease(allowEqual: allowEqual)))
        #expect(row.verdict == verdict)
        #expect(row.targetMax == target)
        #expect(row.ruleCode == (allowEqual ? "decrease(allow_equal)" : "decrease"))
    }

    @Test("zero rule: met only when curr = 0; the previous year is not needed")
    func zeroRule() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("X")
        let a = builder.village("Thôn A", in: commune)
        let b = builder.village("Thôn B", in: commune)
        builder.set(a, Self.deaths, 2025, 0)           // no 2024 value
        builder.series(b, Self.deaths, from: 2024, [0, 1])
        let rows = Verifier(pack: Self.pack([(Self.deaths, .zero)], level: .village)).verify(builder.panel)
        #expect(rows.map(\.verdict) == [.met, .met, .notMet, .notMet])
        #expect(rows[0].prev == nil && rows[0].curr == 0 && rows[0].targetMax == 0)
        #expect(rows[0].comparison == nil)
        #expect(rows[2].village == "Thôn B" && rows[2].commune == "X" && rows[2].unitKind == .village)
    }

    @Test("force-majeure exclusions change the verdict both ways")
    func exclusions() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("X")
        builder.set(commune, Self.crime, 2024, 20)
        builder.set(commune, Self.crime, 2025, 20, excluded: 1)   // judged 19: met
        builder.set(commune, Self.fire, 2024, 20, excluded: 2)    // judged 18
        builder.set(commune, Self.fire, 2025, 17)                 // 20·17 = 340 ≤ 19·18 = 342: met
        let rows = Verifier(pack: Self.pack([(Self.crime, Self.fivePercent), (Self.fire, Self.fivePercent)]))
            .verify(builder.panel)
        #expect(rows[0].verdict == .met)
        #expect(rows[0].curr == 19 && rows[0].currExcluded == 1 && rows[0].prev == 20 && rows[0].prevExcluded == 0)
        #expect(rows[0].comparison?.current == 19)
        #expect(rows[1].verdict == .met)
        #expect(rows[1].prev == 18 && rows[1].targetMax == 17)

        var strict = PanelBuilder()
        let other = strict.commune("Y")
        strict.set(other, Self.crime, 2024, 20, excluded: 2)     // judged 18: target 17
        strict.set(other, Self.crime, 2025, 18)                  // not met, although 20 → 18 raw is −10%
        let row = try #require(Verifier(pack: Self.pack([(Self.crime, Self.fivePercent)])).verify(strict.panel).first)
        #expect(row.verdict == .notMet)
        #expect(row.pctChange == 0)
    }

    @Test("excluded larger than the count is invalid data, not a verdict")
    func invalidExclusion() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("X")
        builder.set(commune, Self.crime, 2024, 3, excluded: 4)
        builder.set(commune, Self.crime, 2025, 2)
        let row = try #require(Verifier(pack: Self.pack([(Self.crime, Self.fivePercent)])).verify(builder.panel).first)
        #expect(row.verdict == .insufficientData)
        #expect(row.note?.code == .invalidValue)
    }

    @Test("missing or incomplete year gives insufficient_data naming the gap")
    func insufficient() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("X")
        builder.set(commune, Self.crime, 2024, 10)
        builder.set(commune, Self.crime, 2025, 5, missing: [.month(11), .month(12)])
        builder.set(commune, Self.fire, 2025, 1)
        let rows = Verifier(pack: Self.pack([(Self.crime, Self.fivePercent), (Self.fire, .decrease(allowEqual: false))]))
            .verify(builder.panel)
        #expect(rows[0].verdict == .insufficientData)
        #expect(rows[0].note?.code == .incompleteYear)
        #expect(rows[0].note?.detail.vi == "năm 2025 chưa đủ kỳ: thiếu tháng 11, tháng 12")
        #expect(rows[0].note?.detail.en == "2025 incomplete: missing month 11, month 12")
        #expect(rows[0].targetMax == nil)
        #expect(rows[1].verdict == .insufficientData)
        #expect(rows[1].note?.code == .missingYear)
        #expect(rows[1].note?.detail.vi == "không có số liệu năm 2024")
        #expect(rows[1].curr == 1 && rows[1].prev == nil)
        #expect(rows[2].verdict == .insufficientData)
        #expect(rows[2].note?.code == .rulesInsufficient)
    }

    @Test("commune totals are the sum of its villages, complete only if every village is")
    func communeFromVillages() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("Tịnh Châu")
        let a = builder.village("Thôn An Lộc", in: commune)
        let b = builder.village("Thôn Trung", in: commune)
        let c = builder.village("Thôn Đông", in: commune)
        builder.series(a, Self.crime, from: 2024, [8, 7])
        builder.series(b, Self.crime, from: 2024, [7, 6])
        builder.set(c, Self.crime, 2024, 5, excluded: 1)
        builder.set(c, Self.crime, 2025, 4)
        builder.series(a, Self.fire, from: 2024, [1, 0])
        builder.set(b, Self.fire, 2024, 2)                                 // Thôn Trung has no 2025 fire value
        builder.series(c, Self.fire, from: 2024, [0, 0])
        builder.series(a, Self.deaths, from: 2024, [0, 0])
        builder.series(b, Self.deaths, from: 2024, [0, 0])
        builder.set(c, Self.deaths, 2024, 0)
        builder.set(c, Self.deaths, 2025, 0, missing: [.month(12)])
        let rows = Verifier(pack: Self.pack([(Self.crime, Self.fivePercent), (Self.fire, .decrease(allowEqual: false)),
                                             (Self.deaths, .zero)])).verify(builder.panel)
        #expect(rows.count == 4)
        #expect(rows[0].prev == 19 && rows[0].prevExcluded == 1 && rows[0].curr == 17)
        #expect(rows[0].verdict == .met)                                   // 20·17 = 340 ≤ 19·19 = 361
        #expect(rows[0].dataSources.count == 6)
        #expect(rows[1].verdict == .insufficientData)
        #expect(rows[1].note?.code == .missingYear)
        #expect(rows[1].note?.detail.en == "2025: no data for Thôn Trung")
        #expect(rows[2].verdict == .insufficientData)
        #expect(rows[2].note?.code == .incompleteYear)
        #expect(rows[2].note?.detail.vi == "năm 2025 chưa đủ kỳ: Thôn Đông (thiếu tháng 12)")
        #expect(rows[3].verdict == .insufficientData)

        // A commune row given in the input wins over the village sum.
        builder.set(commune, Self.fire, 2024, 3)
        builder.set(commune, Self.fire, 2025, 2)
        let withOwn = Verifier(pack: Self.pack([(Self.fire, .decrease(allowEqual: false))])).verify(builder.panel)
        #expect(withOwn[0].verdict == .met && withOwn[0].prev == 3 && withOwn[0].curr == 2)
    }

    @Test("overall row: met only when no rule fails or lacks data; not_met dominates")
    func overall() throws {
        var builder = PanelBuilder()
        let good = builder.commune("Good")
        let bad = builder.commune("Bad")
        for unit in [good, bad] { builder.series(unit, Self.crime, from: 2024, [20, 19]) }
        builder.series(good, Self.fire, from: 2024, [2, 1])
        builder.series(bad, Self.fire, from: 2024, [2, 2])
        let rows = Verifier(pack: Self.pack([(Self.crime, Self.fivePercent), (Self.fire, .decrease(allowEqual: false))]))
            .verify(builder.panel)
        #expect(rows.count == 6)
        #expect(rows[2].isOverall && rows[2].verdict == .met && rows[2].note == nil)
        #expect(rows[2].ruleCode == "all" && rows[2].measure == nil && rows[2].prev == nil)
        #expect(rows[2].ruleSources == ["Doc"])
        #expect(rows[5].verdict == .notMet)
        #expect(rows[5].note?.code == .rulesNotMet)
        #expect(rows[5].note?.detail.en == "not met: fire.cases")
    }

    @Test("a pack without rules gives one not-applicable overall row per commune")
    func emptyPack() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("X")
        builder.series(commune, Self.crime, from: 2024, [1, 2])
        let rows = Verifier(pack: try RulePack.builtIn(id: "ntm-2026-2030-template")).verify(builder.panel)
        #expect(rows.count == 1)
        #expect(rows[0].verdict == .notApplicable)
        #expect(rows[0].note?.code == .noRules)
    }

    @Test("rates: exact integer test on rates with population exposures")
    func rates() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("X")
        builder.series(commune, Self.crime, from: 2024, [20, 19])
        builder.population(commune, 2024, 1000)
        builder.population(commune, 2025, 900)
        let options = VerifyOptions(useRates: true)
        let row = try #require(Verifier(pack: Self.pack([(Self.crime, Self.fivePercent)]), options: options)
            .verify(builder.panel).first)
        // 10000·19·1000 = 1.9e8 > 9500·20·900 = 1.71e8: the rate rose, not met.
        #expect(row.verdict == .notMet)
        #expect(row.targetMax == 17)
        #expect(row.prevExposure == 1000 && row.currExposure == 900)
        #expect(abs((row.pctChange ?? 0) - 100 * (19.0 / 900 / (20.0 / 1000) - 1)) < 1e-12)
        #expect(row.comparison?.exposureCurrent == 900)
        #expect(abs((row.comparison?.p0 ?? 0) - 900.0 / 1900) < 1e-15)

        // Equal populations reproduce the count verdict; the commune population sums its villages.
        var summed = PanelBuilder()
        let c = summed.commune("Y")
        let v1 = summed.village("A", in: c)
        let v2 = summed.village("B", in: c)
        summed.series(v1, Self.crime, from: 2024, [10, 10])
        summed.series(v2, Self.crime, from: 2024, [10, 9])
        for v in [v1, v2] { for y in [2024, 2025] { summed.population(v, y, 500) } }
        let communeRow = try #require(Verifier(pack: Self.pack([(Self.crime, Self.fivePercent)]), options: options)
            .verify(summed.panel).first)
        #expect(communeRow.verdict == .met)
        #expect(communeRow.prevExposure == 1000)

        // A missing population is insufficient data.
        summed.panel.population[v2]?[2025] = nil
        let missing = try #require(Verifier(pack: Self.pack([(Self.crime, Self.fivePercent)]), options: options)
            .verify(summed.panel).first)
        #expect(missing.verdict == .insufficientData)
        #expect(missing.note?.code == .missingPopulation)
        #expect(missing.note?.detail.en == "no population for 2025 (needed to compare rates)")
    }

    @Test("exact arithmetic does not overflow with huge counts and populations")
    func hugeValues() {
        let test = Self.fivePercent
        let big = 4_000_000_000_000_000
        #expect(test.isMet(previous: big, current: big / 20 * 19, exposurePrevious: 90_000_000, exposureCurrent: 90_000_000))
        #expect(!test.isMet(previous: big, current: big / 20 * 19 + 1, exposurePrevious: 90_000_000, exposureCurrent: 90_000_000))
        #expect(test.targetMax(previous: big, exposurePrevious: 90_000_000, exposureCurrent: 90_000_000, zeroBase: .metIfZero)
                == big / 20 * 19)
        #expect(RuleTest.decrease(allowEqual: false).targetMax(previous: Int.max, zeroBase: .metIfZero) == Int.max - 1)
        #expect(ExactProduct.compare([Int.max, Int.max, Int.max], [Int.max, Int.max, Int.max]) == 0)
        #expect(ExactProduct.compare([Int.max, Int.max, 2], [Int.max, Int.max, 3]) == -1)
    }

    @Test("targetMax for p = 5 is ⌊19·prev/20⌋ for every prev up to 500")
    func targetMaxFormula() {
        for prev in 1...500 {
            #expect(Self.fivePercent.targetMax(previous: prev, zeroBase: .metIfZero) == 19 * prev / 20)
            let p = ReductionPercent(hundredths: 250).map(RuleTest.reduceByPercent)
            #expect(p?.targetMax(previous: prev, zeroBase: .metIfZero) == 39 * prev / 40)
        }
    }

    @Test("levels: village pack judges villages, `all` judges communes then their villages; year defaults to the latest")
    func levels() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("X")
        let a = builder.village("A", in: commune)
        let b = builder.village("B", in: commune)
        builder.series(a, Self.crime, from: 2023, [5, 4, 3])
        builder.series(b, Self.crime, from: 2023, [5, 5, 5])
        let pack = Self.pack([(Self.crime, .decrease(allowEqual: false))], level: .village)
        let villageRows = Verifier(pack: pack).verify(builder.panel)
        #expect(villageRows.map(\.unitName) == ["A", "A", "B", "B"])
        #expect(villageRows.allSatisfy { $0.year == 2025 })
        let allRows = Verifier(pack: pack, options: VerifyOptions(year: 2024, level: .all)).verify(builder.panel)
        #expect(allRows.map(\.unitKind) == [.commune, .commune, .village, .village, .village, .village])
        #expect(allRows[0].prev == 10 && allRows[0].curr == 9 && allRows[0].verdict == .met)
        #expect(Verifier(pack: pack).verify(Panel()).isEmpty)
    }

    @Test("shipped default pack on a commune: six rule rows and an overall row")
    func defaultPackEndToEnd() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("Tịnh Châu")
        let measures = [Measure(.crime), Measure(.socialEvil), Measure(.traffic), Measure(.traffic, .deaths),
                        Measure(.traffic, .injuries), Measure(.fire)]
        for measure in measures { builder.series(commune, measure, from: 2024, [20, 19]) }
        let rows = Verifier(pack: try RulePack.builtIn(id: RulePack.defaultID)).verify(builder.panel)
        #expect(rows.count == 7)
        #expect(rows.allSatisfy { $0.verdict == .met })
        #expect(rows[0].ruleSources.first?.contains("wording unverified") == true)
        #expect(rows[0].label.vi == "Phạm tội về TTXH")
        #expect(rows[6].rulePackID == "ntm-2021-2025")
    }
}
