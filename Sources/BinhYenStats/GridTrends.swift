/// The trend fields of the `summary` table for one series of whole-number counts: OLS slope,
/// Theil–Sen slope, Mann–Kendall `S`, `Var(S)`, `z`, normal and exact p, and the direction.
///
/// The same definitions as ``OLSTrend``, ``TheilSen`` and ``MannKendall`` (METHODS §5), computed
/// by ``GridTrendKernel`` without the intervals, standard errors and intercepts that the table
/// does not show.
public struct GridTrend: Sendable, Hashable {
    /// Number of years with a value.
    public var yearCount: Int
    /// OLS slope in counts per year (exactly 0 for a constant series); nil for fewer than 2 years.
    public var olsSlope: Double?
    /// Theil–Sen slope: the median of the pairwise slopes `(n_j − n_i)/(y_j − y_i)`, `i < j`
    /// (mean of the two middle ones for an even number of pairs); nil for fewer than 2 years.
    public var senSlope: Double?
    /// Mann–Kendall `S = Σ_{i<j} sgn(n_j − n_i)`.
    public var mkS: Int
    /// Tie-corrected `Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)]/18`.
    public var mkVarianceS: Double
    /// Continuity-corrected `z` (0 when `S = 0` or `Var(S) = 0`).
    public var mkZ: Double
    /// Two-sided normal p `2Φ(−|z|)` (1 when `S = 0` or `Var(S) = 0`).
    public var mkP: Double
    /// Exact two-sided permutation p conditional on ties (``MannKendall/Exact``); nil above the
    /// kernel's exact limit.
    public var mkPExact: Double?
    /// Increasing or decreasing when the exact p (else the normal p) is below α, as
    /// ``TrendSummary/direction``.
    public var direction: TrendDirection
}

/// Computes ``GridTrend`` for very many short series of whole-number counts, e.g. 600,000
/// village series of 10 years, at a few hundred nanoseconds a series.
///
/// Per series: `S` and the tie sizes from `O(n²)` integer comparisons; `Var(S)`, `z`, the normal
/// p (``NormalDistribution/cdf(_:)``) and the exact p (the q-multinomial distribution of
/// ``MannKendall``) depend only on `n`, `S` and the tie pattern, so they are computed once per
/// distinct combination and kept in a ``GridTrendCache`` (a few thousand entries for 10-year
/// series; longer series are computed every time); the Theil–Sen median by selection (not sorting) among the `n(n−1)/2` slopes in a stack
/// buffer; the OLS slope in closed form with centred years. No heap allocation per series
/// (series up to ``maximumCount`` values).
///
/// Agreement (tests): `S`, `Var(S)`, `z`, the p-values and the direction are those of
/// ``MannKendall`` and ``TrendSummary`` (the normal p to ~1e-16); the slopes equal ``TheilSen`` and
/// ``OLSTrend`` to within a few ulps (the pairwise slopes are the same divisions; OLS sums are
/// exact for counts below 2^40 on consecutive years). Conventions for degenerate series follow
/// ``MannKendall`` (pymannkendall): constant series or `n ≤ 1` give `z = 0`, `p = 1`.
public struct GridTrendKernel: Sendable {
    /// Longest series accepted (stack buffers of `n(n−1)/2` slopes).
    public static let maximumCount = 64
    /// Significance level of ``GridTrend/direction``.
    public let alpha: Double
    /// Largest `n` for which the exact p is computed (SPEC: 10).
    public let exactUpTo: Int

    /// A kernel deciding directions at `alpha`, with exact p-values for `n ≤ exactMannKendallUpTo`
    /// (at most 10, so that cache keys stay exact).
    ///
    /// - Throws: ``TrendInputError/invalidAlpha`` when `alpha` is not strictly between 0 and 1.
    public init(alpha: Double = 0.05, exactMannKendallUpTo: Int = 10) throws(TrendInputError) {
        guard alpha > 0 && alpha < 1 else { throw .invalidAlpha }
        self.alpha = alpha
        exactUpTo = max(0, min(exactMannKendallUpTo, 10))
    }

    /// The trend of `counts` (whole numbers ≥ 0, below 2^50) observed in strictly increasing
    /// `years` of the same length (at most ``maximumCount``). Undefined fields are nil; the caller
    /// validates the input (this is the inner loop of a table of hundreds of thousands of rows).
    public func evaluate(counts: UnsafeBufferPointer<Int>, years: UnsafeBufferPointer<Int>,
                         cache: inout GridTrendCache) -> GridTrend {
        let n = min(counts.count, years.count, Self.maximumCount)
        // Mann–Kendall S and, per value, how many values equal it (tie sizes).
        var statistic = 0
        var tieKey = 0
        var isConstant = true
        for i in 0..<n {
            let reference = counts[i]
            var equal = 0
            for j in 0..<n {
                let other = counts[j]
                equal &+= other == reference ? 1 : 0
                if j > i { statistic &+= (other > reference ? 1 : 0) &- (other < reference ? 1 : 0) }
            }
            if equal != n { isConstant = false }
            // Σ over values of 11^t encodes the multiset of tie sizes: a group of size t adds
            // t·11^t, and t·(groups of size t) ≤ n ≤ 10 < 11 keeps the base-11 digits apart.
            if equal > 1 { tieKey &+= GridTrendCache.power(equal) }
        }
        let mannKendall = cache.mannKendall(count: n, statistic: statistic, tieKey: tieKey, counts: counts, kernel: self)
        var olsSlope: Double?
        var senSlope: Double?
        if n >= 2 {
            olsSlope = isConstant ? 0 : Self.olsSlope(counts: counts, years: years, n: n)
            senSlope = Self.senSlope(counts: counts, years: years, n: n)
        }
        return GridTrend(
            yearCount: n, olsSlope: olsSlope, senSlope: senSlope, mkS: statistic,
            mkVarianceS: mannKendall.varianceS, mkZ: mannKendall.z, mkP: mannKendall.p, mkPExact: mannKendall.exactP,
            direction: TrendDirection(statistic: statistic, pValue: mannKendall.exactP ?? mannKendall.p, alpha: alpha))
    }

    /// `Σ d_t·n_t / Σ d_t²` with `d_t = y_t − ȳ` (``OLSTrend``'s centred form).
    private static func olsSlope(counts: UnsafeBufferPointer<Int>, years: UnsafeBufferPointer<Int>, n: Int) -> Double {
        var yearSum = 0.0
        for t in 0..<n { yearSum += Double(years[t]) }
        let meanYear = yearSum / Double(n)
        var sxx = 0.0
        var sxy = 0.0
        for t in 0..<n {
            let d = Double(years[t]) - meanYear
            sxx += d * d
            sxy += d * Double(counts[t])
        }
        return sxy / sxx
    }

    /// Median of the pairwise slopes by selection in a stack buffer.
    private static func senSlope(counts: UnsafeBufferPointer<Int>, years: UnsafeBufferPointer<Int>, n: Int) -> Double {
        let pairs = n * (n - 1) / 2
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: pairs) { slopes in
            var index = 0
            for i in 0..<n {
                let countI = counts[i]
                let yearI = years[i]
                for j in (i + 1)..<n {
                    slopes.initializeElement(at: index, to: Double(counts[j] - countI) / Double(years[j] - yearI))
                    index += 1
                }
            }
            let middle = pairs / 2
            let upper = Selection.select(slopes, rank: middle)
            guard pairs % 2 == 0 else { return upper }
            // After selection every element left of `middle` is ≤ the median: the lower middle is their maximum.
            var lower = slopes[0]
            for k in 1..<middle where slopes[k] > lower { lower = slopes[k] }
            return (lower + upper) / 2
        }
    }
}

/// The Mann–Kendall quantities that depend only on `n`, `S` and the tie pattern, remembered per
/// combination. One cache per thread (it is a value; copies do not share entries).
public struct GridTrendCache: Sendable {
    struct Entry: Sendable {
        var varianceS: Double
        var z: Double
        var p: Double
        var exactP: Double?
    }

    private var entries: [Int: Entry] = [:]

    /// An empty cache.
    public init() {}

    /// Number of distinct (n, S, tie pattern) combinations seen.
    public var count: Int { entries.count }

    /// `11^t` (the digit of tie size `t` in the key of a series of at most 10 values; longer
    /// series are not cached, so their keys may wrap).
    static func power(_ t: Int) -> Int {
        var value = 1
        for _ in 0..<min(t, 16) { value &*= 11 }
        return value
    }

    mutating func mannKendall(count n: Int, statistic: Int, tieKey: Int, counts: UnsafeBufferPointer<Int>,
                              kernel: GridTrendKernel) -> Entry {
        let exactKey = n <= 10
        let key = exactKey ? (tieKey &* 64 &+ n) &* 4096 &+ (statistic &+ 2048) : 0
        if exactKey, let known = entries[key] { return known }
        let entry = withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { sorted -> Entry in
            for i in 0..<n { sorted.initializeElement(at: i, to: Double(counts[i])) }
            SmallSort.sort(sorted)
            let sortedValues = UnsafeBufferPointer(sorted)
            let varianceS = TieSummary(sortedValues: sortedValues).varianceOfS(count: n)
            var z = 0.0
            var p = 1.0
            if varianceS > 0 && statistic != 0 {
                z = Double(statistic > 0 ? statistic - 1 : statistic + 1) / varianceS.squareRoot()
                p = min(1, 2 * NormalDistribution.cdf(-abs(z)))
            }
            let exactP = n <= kernel.exactUpTo
                ? ExactKendallDistribution.tails(sortedValues: sortedValues, statistic: statistic).pTwoSided : nil
            return Entry(varianceS: varianceS, z: z, p: p, exactP: exactP)
        }
        if exactKey { entries[key] = entry }
        return entry
    }
}

/// Selection of the k-th smallest element in place (Hoare's quickselect with a median-of-three
/// pivot), for the Theil–Sen median.
enum Selection {
    /// Rearranges `values` so that `values[rank]` is the element of that rank in ascending
    /// order, everything before it ≤ it and everything after it ≥ it; returns it.
    static func select(_ values: UnsafeMutableBufferPointer<Double>, rank: Int) -> Double {
        var low = 0
        var high = values.count - 1
        while high > low {
            if high - low < 12 {
                insertionSort(values, low, high)
                break
            }
            let middle = low + (high - low) / 2
            if values[middle] < values[low] { values.swapAt(middle, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[middle] { values.swapAt(high, middle) }
            let pivot = values[middle]
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j {
                high = j
            } else if rank >= i {
                low = i
            } else {
                break
            }
        }
        return values[rank]
    }

    private static func insertionSort(_ values: UnsafeMutableBufferPointer<Double>, _ low: Int, _ high: Int) {
        var i = low + 1
        while i <= high {
            let value = values[i]
            var j = i - 1
            while j >= low && values[j] > value {
                values[j + 1] = values[j]
                j -= 1
            }
            values[j + 1] = value
            i += 1
        }
    }
}
