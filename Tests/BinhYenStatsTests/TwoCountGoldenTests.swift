import BinhYenStats
import Testing

/// Every field of every row of the golden case `yoy_change_basic`
/// (copied from the BinhYen golden set; see Fixtures/golden/README.md).
struct TwoCountGoldenTests {
    struct Case: Decodable {
        struct ToleranceBlock: Decodable {
            var rel: Double
            var abs: Double
            var overrides: [String: Tolerance]
        }
        struct Header: Decodable {
            var tolerance: ToleranceBlock
        }
        struct Row: Decodable {
            var id: String
            var prev: Int
            var curr: Int
            var exposure_prev: Double
            var exposure_curr: Double
            var p0: Double
            var p_exact_two_sided: Double
            var p_exact_less: Double
            var p_exact_greater: Double
            var rate_ratio: Double?
            var rr_ci_exact: [Double?]
            var rr_ci_exact_upper_is_infinite: Bool
            var p_midp_two_sided: Double?
            var p_midp_lower_tail: Double?
            var p_midp_upper_tail: Double?
            var rr_median_unbiased: Double?
            var rr_ci_midp: [Double?]?
            var rr_ci_midp_upper_is_infinite: Bool?
            var rr_ci_wald_log: [Double?]?
        }
        struct Golden: Decodable {
            var rows: [Row]
        }
        var `case`: Header
        var golden: Golden
    }

    let fixture: Case

    init() throws {
        fixture = try FixtureSupport.decode(Case.self, from: "golden/yoy_change_basic.expected.json")
    }

    @Test func coversAllEightRows() {
        #expect(fixture.golden.rows.map(\.id) == ["a", "b", "c", "d", "e", "f", "g", "h"])
    }

    @Test(arguments: ["a", "b", "c", "d", "e", "f", "g", "h"])
    func reproducesGoldenRow(_ id: String) throws {
        let row = try #require(fixture.golden.rows.first { $0.id == id })
        let header = fixture.case.tolerance
        let base = Tolerance(relative: header.rel, absolute: header.abs)
        let midp = try #require(header.overrides["rr_ci_midp"])
        let median = try #require(header.overrides["rr_median_unbiased"])

        let result = TwoCountComparison(
            previous: row.prev, current: row.curr,
            exposurePrevious: row.exposure_prev, exposureCurrent: row.exposure_curr
        )
        #expect(result.previous == row.prev)
        #expect(result.current == row.curr)
        expectClose(result.p0, row.p0, base, "\(id) p0")
        expectClose(result.pExactTwoSided, row.p_exact_two_sided, base, "\(id) p_exact_two_sided")
        expectClose(result.pExactLess, row.p_exact_less, base, "\(id) p_exact_less")
        expectClose(result.pExactGreater, row.p_exact_greater, base, "\(id) p_exact_greater")
        expectClose(result.rateRatio, row.rate_ratio, base, "\(id) rate_ratio")

        #expect(row.rr_ci_exact.count == 2)
        expectClose(result.exactInterval.lower, row.rr_ci_exact[0], base, "\(id) rr_ci_exact lower")
        expectClose(result.exactInterval.upper, row.rr_ci_exact[1], base, "\(id) rr_ci_exact upper")
        #expect((result.exactInterval.upper == nil) == row.rr_ci_exact_upper_is_infinite)

        expectClose(result.pMidpTwoSided, row.p_midp_two_sided, base, "\(id) p_midp_two_sided")
        expectClose(result.pMidpLower, row.p_midp_lower_tail, base, "\(id) p_midp_lower_tail")
        expectClose(result.pMidpUpper, row.p_midp_upper_tail, base, "\(id) p_midp_upper_tail")
        expectClose(result.medianUnbiasedRatio, row.rr_median_unbiased, median, "\(id) rr_median_unbiased")

        if let expectedMidp = row.rr_ci_midp {
            let interval = try #require(result.midpInterval)
            expectClose(interval.lower, expectedMidp[0], midp, "\(id) rr_ci_midp lower")
            expectClose(interval.upper, expectedMidp[1], midp, "\(id) rr_ci_midp upper")
            #expect((interval.upper == nil) == (row.rr_ci_midp_upper_is_infinite == true))
        } else {
            #expect(result.midpInterval == nil)
            #expect(row.rr_ci_midp_upper_is_infinite == nil)
        }

        if let expectedWald = row.rr_ci_wald_log {
            let interval = try #require(result.waldInterval)
            expectClose(interval.lower, expectedWald[0], base, "\(id) rr_ci_wald_log lower")
            expectClose(interval.upper, expectedWald[1], base, "\(id) rr_ci_wald_log upper")
        } else {
            #expect(result.waldInterval == nil)
        }
    }

    /// The null conventions of rows e, f, g spelled out (independently of the JSON decoding).
    @Test func edgeCaseConventions() {
        let none = TwoCountComparison(previous: 0, current: 0)
        #expect(none.pExactTwoSided == 1 && none.pExactLess == 1 && none.pExactGreater == 1)
        #expect(none.exactInterval == RatioInterval(lower: 0, upper: nil))
        #expect(none.pMidpTwoSided == nil && none.midpInterval == nil && none.medianUnbiasedRatio == nil)
        #expect(none.rateRatio == nil && none.waldInterval == nil)

        let fromZero = TwoCountComparison(previous: 0, current: 3)
        #expect(fromZero.rateRatio == nil && fromZero.medianUnbiasedRatio == nil && fromZero.waldInterval == nil)
        #expect(fromZero.exactInterval.upper == nil && fromZero.midpInterval?.upper == nil)
        #expect(abs(fromZero.pExactTwoSided - 0.25) < 1e-15)

        let toZero = TwoCountComparison(previous: 3, current: 0)
        #expect(toZero.rateRatio == 0 && toZero.medianUnbiasedRatio == 0 && toZero.waldInterval == nil)
        #expect(toZero.exactInterval.lower == 0 && toZero.midpInterval?.lower == 0)
    }

    @Test func inputValidation() {
        #expect(TwoCountComparison.inputProblem(previous: -1, current: 2) == .negativeCount)
        #expect(TwoCountComparison.inputProblem(previous: 1, current: 2, exposurePrevious: 0) == .invalidExposure)
        #expect(TwoCountComparison.inputProblem(previous: 1, current: 2, exposureCurrent: .infinity) == .invalidExposure)
        #expect(TwoCountComparison.inputProblem(previous: 1, current: 2, exposurePrevious: 1e300, exposureCurrent: 1e-300) == .extremeExposureRatio)
        #expect(TwoCountComparison.inputProblem(previous: 1, current: 2, confidence: 1) == .invalidConfidence)
        #expect(TwoCountComparison.inputProblem(previous: Int.max, current: 1) == .countOverflow)
        #expect(TwoCountComparison.inputProblem(previous: 20, current: 19) == nil)
    }
}
