import BinhYenStats
import Foundation
import Testing

/// Every golden field of the trend cases `trend_decline_no_ties`, `trend_with_ties` and
/// `trend_missing_year` and of `rate_per_1000_basic` (copied from the BinhYen golden set; see
/// Fixtures/golden/README.md), at the tolerance stated in each file (`case.tolerance` with its
/// `overrides` for `ols` and `mk_exact`).
struct TrendGoldenTests {
    struct ToleranceBlock: Decodable {
        var rel: Double
        var abs: Double
        var overrides: [String: Tolerance]?
        var base: Tolerance { Tolerance(relative: rel, absolute: abs) }
    }

    struct Header: Decodable {
        var tolerance: ToleranceBlock
    }

    struct TrendCase: Decodable {
        struct MK: Decodable {
            var S: Double
            var var_s: Double
            var z: Double
            var p: Double
            var tau_a: Double
            var tau_b: Double
            var h: Bool
            var trend: String
        }
        struct Exact: Decodable {
            var p_two_sided: Double
            var p_upper: Double
            var p_lower: Double
            var n_orderings: Int
        }
        struct Sen: Decodable {
            var slope: Double
            var ci95_lower: Double?
            var ci95_upper: Double?
            var ci95_lower_interpolated: Double?
            var ci95_upper_interpolated: Double?
            var C: Double
            var N_pairs: Int
            var rank_lower_1based: Int
            var rank_upper_1based: Int
            var intercept_conover_year0: Double
        }
        struct OLS: Decodable {
            var slope: Double
            var intercept: Double
            var slope_se: Double?
            var slope_t: Double?
            var slope_p: Double?
            var slope_ci95: [Double]?
            var r_squared: Double?
            var sigma: Double?
            var df_residual: Int
            var next_year: Int
            var pred_next: Double
            var pi95_next: [Double]?
        }
        struct Golden: Decodable {
            var n_used: Int
            var mk: MK
            var mk_exact: Exact
            var sen: Sen
            var ols: OLS
        }
        var `case`: Header
        var golden: Golden
    }

    /// (years, values) of a `year,count` CSV; an empty count is a missing year (absent, not zero).
    static func series(_ name: String) throws -> (years: [Int], values: [Double]) {
        let text = try #require(String(data: try FixtureSupport.data("golden/\(name).input.csv"), encoding: .utf8))
        var years: [Int] = []
        var values: [Double] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 2, let value = Double(fields[1]) else { continue }
            years.append(try #require(Int(fields[0])))
            values.append(value)
        }
        return (years, values)
    }

    @Test(arguments: ["trend_decline_no_ties", "trend_with_ties", "trend_missing_year"])
    func reproducesGoldenTrend(_ name: String) throws {
        let fixture = try FixtureSupport.decode(TrendCase.self, from: "golden/\(name).expected.json")
        let golden = fixture.golden
        let base = fixture.case.tolerance.base
        let olsTolerance = try #require(fixture.case.tolerance.overrides?["ols"])
        let exactTolerance = try #require(fixture.case.tolerance.overrides?["mk_exact"])
        let (years, values) = try Self.series(name)
        let summary = try TrendAnalyzer.standard.summarize(years: years, values: values)

        #expect(summary.yearCount == golden.n_used)
        let mk = summary.mannKendall
        #expect(Double(mk.s) == golden.mk.S)
        expectClose(mk.varianceS, golden.mk.var_s, base, "\(name) mk.var_s")
        expectClose(mk.z, golden.mk.z, base, "\(name) mk.z")
        expectClose(mk.p, golden.mk.p, base, "\(name) mk.p")
        expectClose(mk.tauA, golden.mk.tau_a, base, "\(name) mk.tau_a")
        expectClose(mk.tauB, golden.mk.tau_b, base, "\(name) mk.tau_b")
        #expect((mk.normalDirection() != .noTrend) == golden.mk.h)
        #expect(mk.normalDirection().rawValue == golden.mk.trend)
        #expect(!mk.isDegenerate)

        let exact = try #require(mk.exact)
        expectClose(exact.pTwoSided, golden.mk_exact.p_two_sided, exactTolerance, "\(name) mk_exact.p_two_sided")
        expectClose(exact.pUpper, golden.mk_exact.p_upper, exactTolerance, "\(name) mk_exact.p_upper")
        expectClose(exact.pLower, golden.mk_exact.p_lower, exactTolerance, "\(name) mk_exact.p_lower")
        #expect(exact.orderings == golden.mk_exact.n_orderings)

        let sen = summary.theilSen
        expectClose(sen.slope, golden.sen.slope, base, "\(name) sen.slope")
        expectClose(sen.interval?.lower, golden.sen.ci95_lower, base, "\(name) sen.ci95_lower")
        expectClose(sen.interval?.upper, golden.sen.ci95_upper, base, "\(name) sen.ci95_upper")
        expectClose(sen.interpolatedInterval?.lower, golden.sen.ci95_lower_interpolated, base, "\(name) sen.lower_interpolated")
        expectClose(sen.interpolatedInterval?.upper, golden.sen.ci95_upper_interpolated, base, "\(name) sen.upper_interpolated")
        expectClose(sen.criticalC, golden.sen.C, base, "\(name) sen.C")
        #expect(sen.pairCount == golden.sen.N_pairs)
        #expect(sen.rankLower == golden.sen.rank_lower_1based)
        #expect(sen.rankUpper == golden.sen.rank_upper_1based)
        expectClose(sen.interceptYear0, golden.sen.intercept_conover_year0, base, "\(name) sen.intercept")

        let ols = summary.ols
        expectClose(ols.slope, golden.ols.slope, olsTolerance, "\(name) ols.slope")
        expectClose(ols.interceptYear0, golden.ols.intercept, olsTolerance, "\(name) ols.intercept")
        expectClose(ols.standardError, golden.ols.slope_se, olsTolerance, "\(name) ols.se")
        expectClose(ols.tStatistic, golden.ols.slope_t, olsTolerance, "\(name) ols.t")
        expectClose(ols.pValue, golden.ols.slope_p, olsTolerance, "\(name) ols.p")
        expectClose(ols.slopeInterval?.lower, golden.ols.slope_ci95?[0], olsTolerance, "\(name) ols.ci.lower")
        expectClose(ols.slopeInterval?.upper, golden.ols.slope_ci95?[1], olsTolerance, "\(name) ols.ci.upper")
        expectClose(ols.rSquared, golden.ols.r_squared, olsTolerance, "\(name) ols.r2")
        expectClose(ols.residualStandardError, golden.ols.sigma, olsTolerance, "\(name) ols.sigma")
        #expect(ols.degreesOfFreedom == golden.ols.df_residual)
        #expect(ols.nextYear == golden.ols.next_year)
        expectClose(ols.prediction, golden.ols.pred_next, olsTolerance, "\(name) ols.pred_next")
        expectClose(ols.predictionInterval?.lower, golden.ols.pi95_next?[0], olsTolerance, "\(name) ols.pi.lower")
        expectClose(ols.predictionInterval?.upper, golden.ols.pi95_next?[1], olsTolerance, "\(name) ols.pi.upper")

        // SPEC field accessors map to the same values.
        #expect(summary.mkS == mk.s)
        #expect(summary.mkPExact == exact.pTwoSided)
        #expect(summary.senLower == sen.interval?.lower)
        #expect(summary.olsPValue == ols.pValue)
        #expect(summary.notes.isEmpty)
    }

    @Test func goldenDirections() throws {
        // Exact p (n ≤ 10) decides the summary direction; all three golden series are significant.
        let expected = ["trend_decline_no_ties": TrendDirection.decreasing, "trend_with_ties": .increasing,
                        "trend_missing_year": .decreasing]
        for (name, direction) in expected {
            let (years, values) = try Self.series(name)
            #expect(try TrendSummary(years: years, values: values).direction == direction, "\(name)")
        }
    }

    struct RateCase: Decodable {
        struct Row: Decodable {
            var village: String
            var count: Int
            var population: Double
            var rate_per_1000: Double
            var ci95: [Double]
            var ci99: [Double]
        }
        struct Golden: Decodable {
            var rows: [Row]
        }
        var `case`: Header
        var golden: Golden
    }

    @Test func reproducesGoldenRates() throws {
        let fixture = try FixtureSupport.decode(RateCase.self, from: "golden/rate_per_1000_basic.expected.json")
        let tolerance = fixture.case.tolerance.base
        #expect(fixture.golden.rows.count == 5)
        for row in fixture.golden.rows {
            let rate95 = RateEstimate(count: row.count, population: row.population)
            let rate99 = RateEstimate(count: row.count, population: row.population, confidence: 0.99)
            #expect(rate95.reason == nil)
            expectClose(rate95.ratePer1000, row.rate_per_1000, tolerance, "\(row.village) rate")
            expectClose(rate95.lower, row.ci95[0], tolerance, "\(row.village) ci95 lower")
            expectClose(rate95.upper, row.ci95[1], tolerance, "\(row.village) ci95 upper")
            expectClose(rate99.lower, row.ci99[0], tolerance, "\(row.village) ci99 lower")
            expectClose(rate99.upper, row.ci99[1], tolerance, "\(row.village) ci99 upper")
        }
    }
}
