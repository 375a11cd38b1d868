/// Theil–Sen slope with the Conover intercept and Gilbert's rank confidence interval
/// (Sen 1968; Gilbert 1987 §16.5; METHODS §5.3).
///
/// * Slopes `d_ij = (y_j − y_i)/(x_j − x_i)` over all pairs `i < j`, with `x` the actual
///   calendar years (gaps from missing years are kept); `N` pairs; slope = median of `d`
///   (mean of the two middle values when `N` is even).
/// * Intercept (Conover; scipy `theilslopes(method = "separate")`): `median(y) − slope·median(x)`,
///   at year 0.
/// * Interval at level `1 − α`: `C = z_{1−α/2}·√Var(S)` with the tie-corrected Mann–Kendall
///   variance; 1-based ranks `M1 = round((N − C)/2)`, `M2 = round((N + C)/2) + 1` with
///   round-half-to-even (R `round`); interval `[d_(M1), d_(M2)]` of the ascending slopes.
///   Equal to R trend `sens.slope` and scipy `theilslopes` whenever both ranks lie in `1…N`.
///   Otherwise (e.g. `n ≤ 4` without ties at 95%) the interval is `nil` with
///   ``TrendNotes/senIntervalUnavailable`` ("too few years for a 95% interval"), where trend
///   returns NA or a one-sided result and scipy silently clips to the extreme slopes.
///
/// Cost: `N = n(n−1)/2` slopes in a `withUnsafeTemporaryAllocation` buffer (on the stack, always
/// for `n ≤ 16`); only the needed order statistics are placed (partial quicksort, expected
/// `O(N)` = `O(n²)`).
public struct TheilSen: Sendable, Hashable {
    /// Number of values `n`.
    public var count: Int
    /// Number of pairwise slopes `N = n(n−1)/2`.
    public var pairCount: Int
    /// Median pairwise slope, in value units per year; `nil` for `n < 2`.
    public var slope: Double?
    /// Conover intercept at year 0, `median(y) − slope·median(year)`; `nil` for `n < 2`.
    public var interceptYear0: Double?
    /// Confidence interval for the slope; `nil` when a rank falls outside `1…N` or `n < 2`.
    public var interval: NumericInterval?
    /// Gilbert's (1987) interpolated variant, for information: lower end at the real rank
    /// `(N − C)/2`, upper at `(N + C)/2 + 1`, each interpolated linearly between the neighbouring
    /// sorted slopes; `nil` when a rank falls outside `1…N`.
    public var interpolatedInterval: NumericInterval?
    /// `C = z_{1−α/2}·√Var(S)`.
    public var criticalC: Double
    /// 1-based rank of the lower end, `round((N − C)/2)` (may lie outside `1…N`).
    public var rankLower: Int
    /// 1-based rank of the upper end, `round((N + C)/2) + 1` (may lie outside `1…N`).
    public var rankUpper: Int
    /// Confidence level of ``interval``.
    public var confidence: Double
    /// Why values are `nil`: ``TrendNotes/fewerThanTwoValues``, ``TrendNotes/senIntervalUnavailable``.
    public var notes: TrendNotes

    /// Theil–Sen estimate for `values` observed in strictly increasing `years`.
    ///
    /// - Throws: ``TrendInputError`` when the lengths differ, the years are not strictly
    ///   increasing, a value is not finite, or `confidence` is not in (0, 1).
    public init(years: [Int], values: [Double], confidence: Double = 0.95) throws(TrendInputError) {
        try TrendInputError.validate(years: years, values: values)
        guard confidence > 0 && confidence < 1 else { throw .invalidConfidence }
        let z = NormalDistribution.upperQuantile((1 - confidence) / 2)
        self = years.withUnsafeBufferPointer { yearBuffer in
            values.withUnsafeBufferPointer { valueBuffer in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: valueBuffer.count) { sorted in
                    _ = sorted.initialize(fromContentsOf: valueBuffer)
                    SmallSort.sort(sorted)
                    let sortedValues = UnsafeBufferPointer(sorted)
                    let variance = TieSummary(sortedValues: sortedValues).varianceOfS(count: valueBuffer.count)
                    return Self(
                        years: yearBuffer, values: valueBuffer, sortedValues: sortedValues,
                        varianceS: variance, normalCritical: z, confidence: confidence)
                }
            }
        }
    }

    /// The estimate from validated buffers, the ascending copy of the values, the tie-corrected
    /// `Var(S)` and `z_{1−α/2}` (shared with ``MannKendall`` by ``TrendAnalyzer``).
    init(
        years: UnsafeBufferPointer<Int>, values: UnsafeBufferPointer<Double>, sortedValues: UnsafeBufferPointer<Double>,
        varianceS: Double, normalCritical: Double, confidence: Double
    ) {
        let n = values.count
        count = n
        let pairs = n * (n - 1) / 2
        pairCount = pairs
        self.confidence = confidence
        let c = normalCritical * varianceS.squareRoot()
        criticalC = c
        let pairsDouble = Double(pairs)
        rankLower = Int(((pairsDouble - c) / 2).rounded(.toNearestOrEven))
        rankUpper = Int(((pairsDouble + c) / 2).rounded(.toNearestOrEven)) + 1
        guard n >= 2 else {
            notes = [.fewerThanTwoValues, .senIntervalUnavailable]
            return
        }
        notes = []
        let (lowerRank, upperRank) = (rankLower, rankUpper)
        var median = 0.0
        var bounds: NumericInterval?
        var interpolated: NumericInterval?
        withUnsafeTemporaryAllocation(of: Double.self, capacity: pairs) { slopes in
            var index = 0
            for i in 0..<n {
                let yearI = Double(years[i])
                let valueI = values[i]
                for j in (i + 1)..<n {
                    slopes.initializeElement(at: index, to: (values[j] - valueI) / (Double(years[j]) - yearI))
                    index += 1
                }
            }
            // Only the order statistics used below: median, interval ranks, interpolation neighbours.
            let lowReal = (pairsDouble - c) / 2
            let highReal = (pairsDouble + c) / 2 + 1
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 8) { positions in
                var count = 0
                func add(_ position: Int) {
                    guard position >= 0 && position < pairs else { return }
                    positions.initializeElement(at: count, to: position)
                    count += 1
                }
                add((pairs - 1) / 2)
                add(pairs / 2)
                add(lowerRank - 1)
                add(upperRank - 1)
                add(Self.floorIndex(lowReal))
                add(Self.floorIndex(lowReal) + 1)
                add(Self.floorIndex(highReal))
                add(Self.floorIndex(highReal) + 1)
                SmallSort.select(slopes, positions: UnsafeBufferPointer(rebasing: positions[0..<count]))
            }
            median = Self.median(UnsafeBufferPointer(slopes))
            if lowerRank >= 1 && upperRank <= pairs {
                bounds = NumericInterval(lower: slopes[lowerRank - 1], upper: slopes[upperRank - 1])
            }
            let sorted = UnsafeBufferPointer(slopes)
            if let low = Self.interpolate(sorted, rank: lowReal), let high = Self.interpolate(sorted, rank: highReal) {
                interpolated = NumericInterval(lower: low, upper: high)
            }
        }
        slope = median
        interval = bounds
        interpolatedInterval = interpolated
        if bounds == nil { notes.insert(.senIntervalUnavailable) }
        // Years are strictly increasing, so their median is that of the middle position(s).
        let middle = n / 2
        let medianYear = n % 2 == 1 ? Double(years[middle]) : 0.5 * (Double(years[middle - 1]) + Double(years[middle]))
        interceptYear0 = Self.median(sortedValues) - median * medianYear
    }

    /// 0-based index of the element at 1-based rank `⌊rank⌋` (a sentinel −1 when not finite or huge).
    private static func floorIndex(_ rank: Double) -> Int {
        guard rank.isFinite, abs(rank) < 1e15 else { return -1 }
        return Int(rank.rounded(.down)) - 1
    }

    /// Value at a real 1-based `rank` of an ascending buffer, interpolating linearly between the
    /// neighbouring elements; `nil` outside `1…count`.
    static func interpolate(_ sorted: UnsafeBufferPointer<Double>, rank: Double) -> Double? {
        guard rank >= 1, rank <= Double(sorted.count) else { return nil }
        let below = Int(rank.rounded(.down))
        let fraction = rank - Double(below)
        if fraction == 0 { return sorted[below - 1] }
        return sorted[below - 1] + fraction * (sorted[below] - sorted[below - 1])
    }

    /// Median of an ascending, non-empty buffer (mean of the two middle values for an even count).
    static func median(_ sorted: UnsafeBufferPointer<Double>) -> Double {
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return sorted[middle] }
        return 0.5 * (sorted[middle - 1] + sorted[middle])
    }
}

/// A closed interval `[lower, upper]` of real numbers (both ends finite).
public struct NumericInterval: Sendable, Hashable {
    /// Lower end.
    public var lower: Double
    /// Upper end.
    public var upper: Double

    /// The interval `[lower, upper]`.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}
