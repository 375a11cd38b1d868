@testable import BinhYenStats
import Testing
import BinhYenTestSupport

/// The batched kernel of the `summary` table against the per-series implementations it must
/// equal (MannKendall, TheilSen, OLSTrend, TrendSummary), on random count series with many ties,
/// complete and with missing years; and the Poisson quantile table against PoissonDistribution.
struct GridTrendTests {

    /// Counts like the benchmark's: mostly small, often zero, sometimes large.
    static func series(_ n: Int, _ rng: inout SplitMix64) -> [Int] {
        let scale = [1, 2, 5, 40, 3000][Int(rng.next() % 5)]
        return (0..<n).map { _ in Int(rng.next() % UInt64(scale + 1)) * (rng.next() % 4 == 0 ? 0 : 1) }
    }

    func check(_ counts: [Int], years: [Int], kernel: GridTrendKernel, cache: inout GridTrendCache, complete: Bool) throws {
        let values = counts.map(Double.init)
        let trend = counts.withUnsafeBufferPointer { c in
            years.withUnsafeBufferPointer { y in
                complete ? kernel.evaluate(counts: c, cache: &cache) : kernel.evaluate(counts: c, years: y, cache: &cache)
            }
        }
        let mannKendall = MannKendall(values: values, exactUpTo: 10)
        #expect(trend.yearCount == counts.count)
        #expect(trend.mkS == mannKendall.s, "\(counts)")
        #expect(trend.mkVarianceS == mannKendall.varianceS, "\(counts)")
        #expect(trend.mkZ == mannKendall.z, "\(counts)")
        #expect(trend.mkP == mannKendall.p, "\(counts)")
        #expect(trend.mkPExact == mannKendall.exact?.pTwoSided, "\(counts)")
        guard counts.count >= 2 else {
            #expect(trend.olsSlope == nil && trend.senSlope == nil)
            return
        }
        let summary = try TrendSummary(years: years, values: values)
        #expect(trend.direction == summary.direction, "\(counts)")
        // The pairwise slopes are the same divisions: the median is bit-identical.
        #expect(trend.senSlope == summary.senSlope, "\(counts) \(years)")
        let ols = try #require(summary.olsSlope)
        let slope = try #require(trend.olsSlope)
        #expect(abs(slope - ols) <= 1e-12 * max(1, abs(ols)), "\(counts) \(years)")
    }

    @Test func equalsThePerSeriesMethodsOnCompleteSeries() throws {
        var rng = SplitMix64(seed: 20_250_101)
        for n in [2, 3, 4, 5, 8, 9, 10, 12] {
            let years = Array(2016..<(2016 + n))
            let kernel = try GridTrendKernel(years: years)
            var cache = GridTrendCache()
            for _ in 0..<300 {
                try check(Self.series(n, &rng), years: years, kernel: kernel, cache: &cache, complete: true)
            }
        }
    }

    @Test func equalsThePerSeriesMethodsWithGapsInTheYears() throws {
        var rng = SplitMix64(seed: 7)
        let grid = Array(2010...2025)
        let kernel = try GridTrendKernel(years: grid)
        var cache = GridTrendCache()
        for _ in 0..<400 {
            let years = grid.filter { _ in rng.next() % 3 != 0 }
            try check(Self.series(years.count, &rng), years: years, kernel: kernel, cache: &cache, complete: false)
        }
    }

    @Test func handComputedSeries() throws {
        let kernel = try GridTrendKernel(years: [2021, 2022, 2023, 2024])
        var cache = GridTrendCache()
        // 4, 3, 3, 1: S = −1−1−3... pairs: (3−4)−, (3−4)−, (1−4)−, (3−3)0, (1−3)−, (1−3)− → S = −5.
        let trend = [4, 3, 3, 1].withUnsafeBufferPointer { kernel.evaluate(counts: $0, cache: &cache) }
        #expect(trend.mkS == -5)
        // Var = [4·3·13 − 2·1·9]/18 = (156 − 18)/18.
        #expect(trend.mkVarianceS == 138.0 / 18)
        #expect(trend.mkZ == -4 / (138.0 / 18).squareRoot())
        // Slopes −1, −0.5, −1, 0, −1, −2: sorted −2, −1, −1, −1, −0.5, 0 → median −1.
        #expect(trend.senSlope == -1)
        // OLS: d = −1.5, −0.5, 0.5, 1.5; Σd·y = −6 − 1.5 + 1.5 + 1.5 = −4.5; Σd² = 5.
        #expect(trend.olsSlope == -0.9)
        // Constant series: slope exactly 0, z 0, p 1, no trend.
        let flat = [2, 2, 2, 2].withUnsafeBufferPointer { kernel.evaluate(counts: $0, cache: &cache) }
        #expect(flat.olsSlope == 0 && flat.senSlope == 0 && flat.mkZ == 0 && flat.mkP == 1 && flat.direction == .noTrend)
        // One year: no slopes; S = 0, p = 1.
        let single = [5].withUnsafeBufferPointer { c in [2024].withUnsafeBufferPointer { kernel.evaluate(counts: c, years: $0, cache: &cache) } }
        #expect(single.olsSlope == nil && single.senSlope == nil && single.mkS == 0 && single.mkP == 1)
    }

    @Test func rejectsBadSettings() {
        #expect(throws: TrendInputError.invalidAlpha) { try GridTrendKernel(years: [2020, 2021], alpha: 1) }
        #expect(throws: TrendInputError.yearsNotIncreasing(index: 1)) { try GridTrendKernel(years: [2021, 2021]) }
        #expect(throws: TrendInputError.self) { try GridTrendKernel(years: Array(1900...2000)) }
    }

    @Test func integerSelectionFindsEveryRank() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<500 {
            let count = 1 + Int(rng.next() % 60)
            let values = (0..<count).map { _ in Int(rng.next() % 9) - 4 }
            let sorted = values.sorted()
            for rank in [0, count / 2, count - 1] {
                var copy = values
                let selected = copy.withUnsafeMutableBufferPointer { Selection.selectInteger($0, rank: rank) }
                #expect(selected == sorted[rank], "\(values) rank \(rank)")
                var doubles = values.map(Double.init)
                let selectedDouble = doubles.withUnsafeMutableBufferPointer { Selection.select($0, rank: rank) }
                #expect(selectedDouble == Double(sorted[rank]))
            }
        }
    }

    @Test func poissonQuantileTableEqualsTheDirectQuantile() {
        let table = PoissonQuantileTable(probability: 0.999, maximumMean: 200)
        var rng = SplitMix64(seed: 3)
        var means: [Double] = [0, 1e-300, 1e-4, 0.0010005, 0.5, 1, 2.5, 10, 199.9, 200, 250, 5000]
        for _ in 0..<3000 { means.append(Double(rng.next() % 1_000_000) / 4000) }
        for mean in means {
            #expect(table.quantile(mean: mean) == PoissonDistribution.quantile(0.999, mean: mean), "mean \(mean)")
        }
        #expect(table.quantile(mean: -1) == nil)
        #expect(table.quantile(mean: .nan) == nil)
        // qpois(0.999, 5) = 13, qpois(0.999, 0.5) = 4 (R, scipy poisson.ppf).
        #expect(table.quantile(mean: 5) == 13)
        #expect(table.quantile(mean: 0.5) == 4)
        #expect(table.quantile(mean: 0) == 0)
    }
}
