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
    /// The years of a complete series, ascending.
    public let years: [Int]
    /// Significance level of ``GridTrend/direction``.
    public let alpha: Double
    /// Largest `n` for which the exact p is computed (SPEC: 10).
    public let exactUpTo: Int
    /// `y − ȳ` of the grid years and `Σ(y − ȳ)²`.
    private let centredYears: [Double]
    private let sumOfSquares: Double
    /// `L/(y_j − y_i)` for the pairs `i < j` in order, with `L` the least common multiple of the
    /// year differences: `(n_j − n_i)·L/(y_j − y_i)` is then an exact integer key of the slope
    /// `(n_j − n_i)/(y_j − y_i)`, so the Theil–Sen median is selected among integers and only
    /// the chosen slope is divided. Empty when `L` exceeds 2^24.
    private let pairMultipliers: [Int]
    private let commonMultiple: Int

    /// A kernel for series observed in `years` (complete series; ``evaluate(counts:years:cache:)``
    /// takes any subset), deciding directions at `alpha`, with exact p-values for
    /// `n ≤ exactMannKendallUpTo` (at most 10, so that cache keys stay exact).
    ///
    /// - Throws: ``TrendInputError/invalidAlpha`` when `alpha` is not strictly between 0 and 1,
    ///   ``TrendInputError/yearsNotIncreasing(index:)``, or ``TrendInputError/lengthMismatch(years:values:)``
    ///   when there are more than ``maximumCount`` years.
    public init(years: [Int], alpha: Double = 0.05, exactMannKendallUpTo: Int = 10) throws(TrendInputError) {
        guard alpha > 0 && alpha < 1 else { throw .invalidAlpha }
        guard years.count <= Self.maximumCount else { throw .lengthMismatch(years: years.count, values: Self.maximumCount) }
        for index in years.indices.dropFirst() where years[index] <= years[index - 1] { throw .yearsNotIncreasing(index: index) }
        self.years = years
        self.alpha = alpha
        exactUpTo = max(0, min(exactMannKendallUpTo, 10))
        let mean = years.reduce(0.0) { $0 + Double($1) } / Double(max(1, years.count))
        centredYears = years.map { Double($0) - mean }
        sumOfSquares = centredYears.reduce(0) { $0 + $1 * $1 }
        var multiple = 1
        for i in years.indices {
            for j in years.indices where j > i {
                let delta = years[j] - years[i]
                multiple = multiple / Self.gcd(multiple, delta) * delta
                if multiple > 1 << 24 { break }
            }
            if multiple > 1 << 24 { break }
        }
        if multiple > 1 << 24 {
            commonMultiple = 0
            pairMultipliers = []
        } else {
            commonMultiple = multiple
            var multipliers: [Int] = []
            for i in years.indices {
                for j in years.indices where j > i { multipliers.append(multiple / (years[j] - years[i])) }
            }
            pairMultipliers = multipliers
        }
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    /// The trend of a complete series: `counts[t]` observed in `years[t]` (whole numbers ≥ 0,
    /// below 2^50). The caller validates (this is the inner loop of a table of hundreds of
    /// thousands of rows); extra counts are ignored.
    public func evaluate(counts: UnsafeBufferPointer<Int>, cache: inout GridTrendCache) -> GridTrend {
        years.withUnsafeBufferPointer { years in
            let n = min(counts.count, years.count)
            let series = UnsafeBufferPointer(rebasing: counts[0..<n])
            let (statistic, tieKey, largest, isConstant) = Self.scan(series)
            var olsSlope: Double?
            var senSlope: Double?
            if n >= 2 {
                olsSlope = isConstant ? 0 : centredYears.withUnsafeBufferPointer { d in
                    var sxy = 0.0
                    for t in 0..<n { sxy += d[t] * Double(series[t]) }
                    return sxy / sumOfSquares
                }
                if commonMultiple > 0 && largest < 1 << 26 {
                    senSlope = pairMultipliers.withUnsafeBufferPointer { Self.integerSenSlope(series, multipliers: $0, commonMultiple: commonMultiple) }
                } else {
                    senSlope = Self.senSlope(counts: series, years: years, n: n)
                }
            }
            return finish(n: n, statistic: statistic, tieKey: tieKey, counts: series, ols: olsSlope, sen: senSlope, cache: &cache)
        }
    }

    /// The trend of `counts` (whole numbers ≥ 0, below 2^50) observed in strictly increasing
    /// `years` of the same length (any years, e.g. the grid's years with values; at most
    /// ``maximumCount``). Undefined fields are nil; the caller validates the input.
    public func evaluate(counts: UnsafeBufferPointer<Int>, years: UnsafeBufferPointer<Int>,
                         cache: inout GridTrendCache) -> GridTrend {
        let n = min(counts.count, years.count, Self.maximumCount)
        let series = UnsafeBufferPointer(rebasing: counts[0..<n])
        let (statistic, tieKey, _, isConstant) = Self.scan(series)
        var olsSlope: Double?
        var senSlope: Double?
        if n >= 2 {
            olsSlope = isConstant ? 0 : Self.olsSlope(counts: series, years: years, n: n)
            senSlope = Self.senSlope(counts: series, years: years, n: n)
        }
        return finish(n: n, statistic: statistic, tieKey: tieKey, counts: series, ols: olsSlope, sen: senSlope, cache: &cache)
    }

    /// Mann–Kendall `S`, the tie-pattern key, the largest value and whether all values are equal,
    /// in `O(n²)` branch-free integer operations (faster than sorting 10 values).
    @inline(__always)
    private static func scan(_ counts: UnsafeBufferPointer<Int>) -> (statistic: Int, tieKey: Int, largest: Int, isConstant: Bool) {
        let n = counts.count
        guard n > 0 else { return (0, 0, 0, true) }
        // How many values equal each one: its tie size t. Σ over values of 11^t = Σ over groups
        // of t·11^t encodes the multiset of tie sizes (t·groups of size t ≤ n ≤ 10 < 11 keeps
        // the base-11 digits apart).
        var tieKey = 0
        var firstEqual = 0
        GridTrendCache.powers.withUnsafeBufferPointer { powers in
            var i = 0
            while i < n {
                let reference = counts[i]
                var equal = 0
                var j = 0
                while j < n {
                    equal &+= Branchless.isZero(counts[j] &- reference)
                    j &+= 1
                }
                tieKey &+= powers[min(equal, 16)]
                if i == 0 { firstEqual = equal }
                i &+= 1
            }
        }
        var statistic = 0
        var largest = 0
        var i = 0
        while i < n {
            let reference = counts[i]
            largest = max(largest, reference)
            var j = i + 1
            while j < n {
                statistic &+= Branchless.sign(counts[j] &- reference)
                j &+= 1
            }
            i &+= 1
        }
        return (statistic, tieKey, largest, firstEqual == n)
    }

    private func finish(n: Int, statistic: Int, tieKey: Int, counts: UnsafeBufferPointer<Int>, ols: Double?, sen: Double?,
                        cache: inout GridTrendCache) -> GridTrend {
        let mannKendall = cache.mannKendall(count: n, statistic: statistic, tieKey: tieKey, counts: counts, kernel: self)
        return GridTrend(
            yearCount: n, olsSlope: ols, senSlope: sen, mkS: statistic,
            mkVarianceS: mannKendall.varianceS, mkZ: mannKendall.z, mkP: mannKendall.p, mkPExact: mannKendall.exactP,
            direction: TrendDirection(statistic: statistic, pValue: mannKendall.exactP ?? mannKendall.p, alpha: alpha))
    }

    /// `Σ d_t·(n_t − n̄) / Σ d_t²` with `d_t = y_t − ȳ`: ``OLSTrend``'s centred form (with years
    /// that are not consecutive, ȳ is not exact and centring the counts too keeps the digits).
    private static func olsSlope(counts: UnsafeBufferPointer<Int>, years: UnsafeBufferPointer<Int>, n: Int) -> Double {
        var yearSum = 0.0
        var countSum = 0.0
        for t in 0..<n {
            yearSum += Double(years[t])
            countSum += Double(counts[t])
        }
        let meanYear = yearSum / Double(n)
        let meanCount = countSum / Double(n)
        var sxx = 0.0
        var sxy = 0.0
        for t in 0..<n {
            let d = Double(years[t]) - meanYear
            sxx += d * d
            sxy += d * (Double(counts[t]) - meanCount)
        }
        return sxy / sxx
    }

    /// The Theil–Sen median selected among the exact integer keys `(n_j − n_i)·L/(y_j − y_i)`;
    /// only the chosen key (two for an even number of pairs) is divided, as `key/L`, which is the
    /// correctly rounded `(n_j − n_i)/(y_j − y_i)`.
    private static func integerSenSlope(_ counts: UnsafeBufferPointer<Int>, multipliers: UnsafeBufferPointer<Int>,
                                        commonMultiple: Int) -> Double {
        let n = counts.count
        let pairs = n * (n - 1) / 2
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: pairs) { keys in
            var index = 0
            for i in 0..<n {
                let countI = counts[i]
                for j in (i + 1)..<n {
                    keys.initializeElement(at: index, to: (counts[j] - countI) &* multipliers[index])
                    index += 1
                }
            }
            let divisor = Double(commonMultiple)
            let middle = pairs / 2
            guard pairs % 2 == 0 else { return Double(Selection.selectInteger(keys, rank: middle)) / divisor }
            // Two middle keys: select each in its own copy (the selection reorders).
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: pairs) { copy in
                _ = copy.initialize(fromContentsOf: keys)
                let lower = Double(Selection.selectInteger(copy, rank: middle - 1)) / divisor
                let upper = Double(Selection.selectInteger(keys, rank: middle)) / divisor
                return (lower + upper) / 2
            }
        }
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
/// combination in an open-addressing table (a lookup costs a multiplication and a comparison).
/// One cache per thread (it is a value; copies do not share entries).
public struct GridTrendCache: Sendable {
    struct Entry: Sendable {
        var varianceS: Double
        var z: Double
        var p: Double
        var exactP: Double?
    }

    private static let empty = Int.min
    private var keys: [Int]
    private var entries: [Entry]
    /// Number of distinct (n, S, tie pattern) combinations seen.
    public private(set) var count = 0

    /// An empty cache.
    public init() {
        keys = [Int](repeating: Self.empty, count: 1024)
        entries = [Entry](repeating: Entry(varianceS: 0, z: 0, p: 1, exactP: nil), count: 1024)
    }

    /// `11^t` (the digit of tie size `t` in the key of a series of at most 10 values; longer
    /// series are not cached, so their keys may wrap).
    @inline(__always)
    static func power(_ t: Int) -> Int {
        powers[min(t, 16)]
    }

    static let powers: [Int] = (0...16).map { t in
        var value = 1
        for _ in 0..<t { value &*= 11 }
        return value
    }

    @inline(__always)
    private func slot(of key: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15) >> 40) & (keys.count - 1)
    }

    mutating func mannKendall(count n: Int, statistic: Int, tieKey: Int, counts: UnsafeBufferPointer<Int>,
                              kernel: GridTrendKernel) -> Entry {
        let cacheable = n <= 10
        let key = (tieKey &* 64 &+ n) &* 4096 &+ (statistic &+ 2048)
        var at = 0
        if cacheable {
            at = slot(of: key)
            while keys[at] != Self.empty {
                if keys[at] == key { return entries[at] }
                at = (at + 1) & (keys.count - 1)
            }
        }
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
        if cacheable {
            keys[at] = key
            entries[at] = entry
            count += 1
            if count * 2 > keys.count { grow() }
        }
        return entry
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldEntries = entries
        keys = [Int](repeating: Self.empty, count: oldKeys.count * 2)
        entries = [Entry](repeating: Entry(varianceS: 0, z: 0, p: 1, exactP: nil), count: oldKeys.count * 2)
        for (index, key) in oldKeys.enumerated() where key != Self.empty {
            var at = slot(of: key)
            while keys[at] != Self.empty { at = (at + 1) & (keys.count - 1) }
            keys[at] = key
            entries[at] = oldEntries[index]
        }
    }
}

/// Integer tests as arithmetic (0 or 1, or the sign), so that hot loops over unpredictable data
/// compile without branches.
enum Branchless {
    /// −1, 0 or 1 (for `|x| < 2^63`).
    @inline(__always)
    static func sign(_ x: Int) -> Int { (x >> 63) &- ((0 &- x) >> 63) }

    /// 1 when `x < 0`, else 0.
    @inline(__always)
    static func isNegative(_ x: Int) -> Int { Int(bitPattern: UInt(bitPattern: x) >> 63) }

    /// 1 when `x == 0`, else 0.
    @inline(__always)
    static func isZero(_ x: Int) -> Int { ((x | (0 &- x)) >> 63) &+ 1 }
}

/// Selection of the k-th smallest element in place, for the Theil–Sen median.
enum Selection {
    /// The element of rank `rank` (0-based, ascending) of `values`, which are reordered.
    ///
    /// Three-way selection without branches on the data: count the elements below and equal to
    /// a pivot (first 0 — with sparse counts the median slope is most often exactly 0 — then the
    /// median of the first, middle and last element), stop when the rank falls among the equal
    /// ones, else keep the side that holds it. About 3× faster than quickselect on 45 slopes,
    /// whose comparisons are unpredictable. Values must differ by less than 2^62.
    static func selectInteger(_ values: UnsafeMutableBufferPointer<Int>, rank: Int) -> Int {
        var count = values.count
        var k = rank
        var pivot = 0
        while true {
            var less = 0
            var equal = 0
            var i = 0
            while i < count {
                let difference = values[i] &- pivot
                less &+= Branchless.isNegative(difference)
                equal &+= Branchless.isZero(difference)
                i &+= 1
            }
            if k >= less && k < less &+ equal { return pivot }
            var kept = 0
            i = 0
            if k < less {
                while i < count {
                    let value = values[i]
                    values[kept] = value
                    kept &+= Branchless.isNegative(value &- pivot)
                    i &+= 1
                }
            } else {
                while i < count {
                    let value = values[i]
                    values[kept] = value
                    kept &+= Branchless.isNegative(pivot &- value)
                    i &+= 1
                }
                k &-= less &+ equal
            }
            count = kept
            let (a, b, c) = (values[0], values[count >> 1], values[count - 1])
            pivot = max(min(a, b), min(max(a, b), c))
        }
    }

    // Hoare's quickselect with a median-of-three pivot (the general path, on real slopes).

    /// Rearranges `values` so that `values[rank]` is the element of that rank in ascending
    /// order, everything before it ≤ it and everything after it ≥ it; returns it.
    static func select<T: Comparable>(_ values: UnsafeMutableBufferPointer<T>, rank: Int) -> T {
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

    private static func insertionSort<T: Comparable>(_ values: UnsafeMutableBufferPointer<T>, _ low: Int, _ high: Int) {
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
