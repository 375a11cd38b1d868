import BinhYenStats
import Testing
import BinhYenTestSupport

/// Edge cases of OLS, Mann–Kendall, Theil–Sen and their summary (METHODS §5): short and constant
/// series, exact straight lines, gaps, exact small-n p-values, input errors, and the batched OLS
/// path against the per-series one.
struct TrendEdgeCaseTests {
    @Test func emptyAndSingleValueSeries() throws {
        for (years, values) in [([Int](), [Double]()), ([2020], [4.0])] {
            let summary = try TrendSummary(years: years, values: values)
            #expect(summary.yearCount == values.count)
            #expect(summary.olsSlope == nil && summary.olsStandardError == nil && summary.olsPValue == nil)
            #expect(summary.ols.prediction == nil && summary.ols.interceptYear0 == nil)
            #expect(summary.mkS == 0 && summary.mkVarianceS == 0 && summary.mkZ == 0 && summary.mkP == 1)
            #expect(summary.mannKendall.isDegenerate && summary.mkTauB == nil && summary.mannKendall.tauA == nil)
            #expect(summary.mkPExact == 1 && summary.mannKendall.exact?.orderings == 1)
            #expect(summary.senSlope == nil && summary.senLower == nil && summary.theilSen.interceptYear0 == nil)
            #expect(summary.direction == .noTrend)
            #expect(summary.notes.contains(.fewerThanTwoValues))
        }
        #expect(try OLSTrend(years: [2020], values: [4]).nextYear == 2021)
        #expect(try OLSTrend(years: [], values: []).nextYear == nil)
    }

    @Test func twoYearsGiveSlopesButNoStandardErrors() throws {
        let summary = try TrendSummary(years: [2019, 2022], values: [9, 3])
        #expect(summary.olsSlope == -2 && summary.senSlope == -2)
        #expect(summary.ols.prediction == 1)
        #expect(summary.ols.rSquared == 1)
        #expect(summary.olsStandardError == nil && summary.olsPValue == nil && summary.ols.slopeInterval == nil)
        #expect(summary.ols.predictionInterval == nil && summary.ols.residualStandardError == nil)
        #expect(summary.notes.contains(.fewerThanThreeValues))
        #expect(summary.theilSen.interval == nil && summary.notes.contains(.senIntervalUnavailable))
        #expect(summary.mkS == -1 && summary.mkPExact == 1)
    }

    @Test func constantSeriesIsFlaggedNotNaN() throws {
        for level in [0.0, 7.0] {
            let years = Array(2016...2025)
            let summary = try TrendSummary(years: years, values: Array(repeating: level, count: 10))
            let ols = summary.ols
            #expect(ols.slope == 0 && ols.standardError == 0)
            #expect(ols.tStatistic == nil && ols.pValue == nil && ols.rSquared == nil)
            #expect(ols.interceptYear0 == level && ols.prediction == level)
            #expect(ols.slopeInterval == NumericInterval(lower: 0, upper: 0))
            #expect(ols.predictionInterval == NumericInterval(lower: level, upper: level))
            #expect(summary.mannKendall.isDegenerate && summary.mkZ == 0 && summary.mkP == 1 && summary.mkVarianceS == 0)
            #expect(summary.mkTauB == nil && summary.mannKendall.tauA == 0)
            #expect(summary.mkPExact == 1)
            #expect(summary.senSlope == 0 && summary.theilSen.interval == NumericInterval(lower: 0, upper: 0))
            #expect(summary.direction == .noTrend)
            #expect(summary.notes.contains(.constantSeries))
        }
    }

    @Test func exactStraightLineHasNoTestStatistic() throws {
        let ols = try OLSTrend(years: [2020, 2021, 2022, 2023], values: [2, 4, 6, 8])
        #expect(ols.slope == 2 && ols.standardError == 0 && ols.rSquared == 1)
        #expect(ols.tStatistic == nil && ols.pValue == nil)
        #expect(ols.notes == [.perfectLinearFit])
        #expect(ols.prediction == 10)
    }

    @Test func smallSampleExactPValues() throws {
        // METHODS §5.2: n = 3 cannot reach p < 1/3, n = 4 not below 1/12.
        let three = MannKendall(values: [5, 3, 1])
        #expect(three.exact?.pTwoSided == 1.0 / 3 && three.exact?.pLower == 1.0 / 6 && three.exact?.pUpper == 1)
        let four = MannKendall(values: [1, 2, 3, 4])
        #expect(four.exact?.pTwoSided == 1.0 / 12 && four.exact?.orderings == 24)
        // Ties: the orderings of {1, 1, 2} are 112 (S = 2), 121 (S = 0), 211 (S = −2).
        let tied = MannKendall(values: [1, 1, 2])
        #expect(tied.s == 2 && tied.exact?.orderings == 3)
        #expect(tied.exact?.pTwoSided == 2.0 / 3 && tied.exact?.pUpper == 1.0 / 3 && tied.exact?.pLower == 1)
        // S = 0 gives p = 1.
        #expect(MannKendall(values: [1, 3, 2]).exact?.pTwoSided == 1)
        // Exact limit: default 10, capped at 20.
        #expect(MannKendall(values: (1...11).map(Double.init)).exact == nil)
        #expect(MannKendall(values: (1...21).map(Double.init), exactUpTo: 50).exact == nil)
        let twenty = MannKendall(values: (1...20).map(Double.init), exactUpTo: 50)
        #expect(twenty.exact?.orderings == 2_432_902_008_176_640_000)
        #expect(twenty.exact?.pTwoSided == 2 / 2_432_902_008_176_640_000.0)
    }

    @Test func senIntervalNeedsEnoughYears() throws {
        // METHODS §5.3: n ≤ 4 without ties → ranks outside 1…N at 95% (scipy would clip to [−2, −1]).
        let three = try TheilSen(years: [2023, 2024, 2025], values: [5, 3, 1])
        #expect(three.slope == -2 && three.interval == nil && three.notes == [.senIntervalUnavailable])
        #expect(three.rankLower < 1)
        let four = try TheilSen(years: [2022, 2023, 2024, 2025], values: [9, 5, 4, 1])
        #expect(four.interval == nil)
        // A lower confidence level brings the ranks inside.
        let eighty = try TheilSen(years: [2020, 2021, 2022, 2023, 2024, 2025], values: [9, 5, 4, 1, 2, 0], confidence: 0.8)
        #expect(eighty.interval != nil && eighty.notes.isEmpty)
    }

    @Test func gapsUseActualYears() throws {
        // 2018 missing: the slope between 2017 and 2019 spans two years.
        let sen = try TheilSen(years: [2017, 2019], values: [10, 6])
        #expect(sen.slope == -2)
        let expectedIntercept: Double = 8 + 2 * 2018
        #expect(sen.interceptYear0 == expectedIntercept)
        let ols = try OLSTrend(years: [2016, 2017, 2019], values: [1, 2, 4])
        #expect(ols.slope == 1 && ols.nextYear == 2020)
        // Mann–Kendall ignores the gap.
        let summary = try TrendSummary(years: [2016, 2017, 2019], values: [1, 2, 4])
        #expect(summary.mkS == 3 && summary.yearCount == 3)
    }

    @Test func invalidInputThrows() {
        #expect(throws: TrendInputError.lengthMismatch(years: 2, values: 3)) {
            try TrendSummary(years: [2020, 2021], values: [1, 2, 3])
        }
        #expect(throws: TrendInputError.yearsNotIncreasing(index: 2)) {
            try TrendSummary(years: [2020, 2021, 2021], values: [1, 2, 3])
        }
        #expect(throws: TrendInputError.nonFiniteValue(index: 1)) {
            try TrendSummary(years: [2020, 2021], values: [1, .nan])
        }
        #expect(throws: TrendInputError.invalidConfidence) { try TrendAnalyzer(confidence: 1) }
        #expect(throws: TrendInputError.invalidAlpha) { try TrendAnalyzer(alpha: 0) }
        #expect(throws: TrendInputError.invalidConfidence) { try OLSTrend(years: [1], values: [1], confidence: 0) }
        #expect(throws: TrendInputError.invalidConfidence) { try TheilSen(years: [1], values: [1], confidence: .nan) }
    }

    @Test func exactLimitOfTheAnalyzer() throws {
        let analyzer = try TrendAnalyzer(exactMannKendallUpTo: 5)
        let summary = try analyzer.summarize(years: Array(2015...2020), values: [8, 6, 7, 4, 3, 1])
        #expect(summary.mkPExact == nil && summary.notes.contains(.exactPNotComputed))
        // Normal p decides then: S = −13, Var = 28.33, z = −2.25, p = 0.024 < 0.05.
        #expect(summary.mkS == -13 && summary.direction == .decreasing)
        #expect(analyzer.exactMannKendallUpTo == 5 && analyzer.confidence == 0.95 && analyzer.alpha == 0.05)
    }

    @Test func batchedOLSEqualsPerSeries() throws {
        var generator = SplitMix64(seed: 2026)
        for years in [Array(2016...2025), [2010, 2011, 2013, 2014, 2018], Array(2000...2002)] {
            let n = years.count
            let seriesCount = 300
            var counts: [Double] = []
            for series in 0..<seriesCount {
                let constant = series % 17 == 0
                let base = Double(generator.next() % 40)
                for t in 0..<n {
                    counts.append(constant ? base : Double(generator.next() % 25) + base * Double(t % 3))
                }
            }
            let batch = try OLSTrend.batched(years: years, counts: counts, seriesCount: seriesCount)
            let standardErrors = try #require(batch.standardErrors)
            #expect(batch.slopes.count == seriesCount)
            for series in 0..<seriesCount {
                let values = Array(counts[(series * n)..<((series + 1) * n)])
                let single = try OLSTrend(years: years, values: values)
                let slope = try #require(single.slope)
                let se = try #require(single.standardError)
                let scale = max(abs(slope), 1e-300)
                #expect(abs(batch.slopes[series] - slope) <= 1e-13 * max(scale, 1), "slope \(series)")
                #expect(abs(standardErrors[series] - se) <= 1e-12 * max(se, 1e-12), "se \(series): \(standardErrors[series]) vs \(se)")
                if series % 17 == 0 { #expect(batch.slopes[series] == 0 && standardErrors[series] == 0) }
            }
        }
        let two = try OLSTrend.batched(years: [2020, 2022], counts: [1, 5, 3, 3], seriesCount: 2)
        #expect(two.slopes == [2, 0] && two.standardErrors == nil)
        #expect(try OLSTrend.batched(years: [2020, 2021, 2022], counts: [], seriesCount: 0).slopes.isEmpty)
        #expect(throws: TrendInputError.lengthMismatch(years: 3, values: 4)) {
            try OLSTrend.batched(years: [2020, 2021, 2022], counts: [1, 2, 3, 4], seriesCount: 1)
        }
        #expect(throws: TrendInputError.fewerThanTwoYears) { try OLSTrend.batched(years: [2020], counts: [1], seriesCount: 1) }
        #expect(throws: TrendInputError.invalidSeriesCount) { try OLSTrend.batched(years: [2020], counts: [], seriesCount: -1) }
        #expect(throws: TrendInputError.yearsNotIncreasing(index: 1)) {
            try OLSTrend.batched(years: [2020, 2020], counts: [1, 2], seriesCount: 1)
        }
    }
}

