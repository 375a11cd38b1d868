#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Mann–Kendall trend test on a series of values in time order (METHODS §5.2), with the
/// conventions of pymannkendall 1.4.3 `original_test` (= R trend 1.1.6 `mk.test`) and the exact
/// permutation p-value conditional on ties.
///
/// * `S = Σ_{i<j} sgn(y_j − y_i)`.
/// * Tie-corrected `Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)]/18` (`t_g` = size of a group
///   of equal values).
/// * Continuity-corrected `z = (S − 1)/√Var` for `S > 0`, `(S + 1)/√Var` for `S < 0`, 0 for `S = 0`;
///   two-sided `p = 2Φ(−|z|)`.
/// * `tau_a = S/N0` (pymannkendall) and `tau_b = S/√((N0 − Σt_g(t_g−1)/2)·N0)` (trend, Kendall),
///   `N0 = n(n−1)/2`.
/// * Exact two-sided `p = P(|S*| ≥ |S|)` over all distinct orderings of the observed multiset of
///   values, each equally likely (conditional on the tie pattern). Without ties this is Kendall's
///   exact distribution, equal to R `cor.test(method = "kendall", exact = TRUE)`.
///
/// Degenerate series (`Var(S) = 0`: all values equal, or `n ≤ 1`): `z = 0`, `p = 1`,
/// ``isDegenerate`` set (pymannkendall's convention; R trend returns NaN). Missing years are
/// simply absent from the input: MK is rank-based and ignores gaps.
///
/// Cost: `O(n²)` comparisons for `S` and `O(n log n)` for the tie groups, on stack buffers; the
/// exact distribution costs `O(n·N0) = O(n³)` integer operations (q-multinomial coefficients,
/// see ``exact``), well under 1 µs for `n = 10`. Scratch buffers come from
/// `withUnsafeTemporaryAllocation` (on the stack up to 1 KiB, i.e. always for `n ≤ 16`, and beyond
/// that when the thread's stack has room).
public struct MannKendall: Sendable, Hashable {
    /// Number of values `n`.
    public var count: Int
    /// Mann–Kendall statistic `S` (an integer; stored exactly).
    public var s: Int
    /// Tie-corrected variance of `S` under H0 (≥ 0).
    public var varianceS: Double
    /// Continuity-corrected normal score (0 when `S = 0` or the series is degenerate).
    public var z: Double
    /// Two-sided p-value of the normal approximation with continuity correction, `2Φ(−|z|)`
    /// (1 for a degenerate series).
    public var p: Double
    /// Kendall's tau-a `S/(n(n−1)/2)` (pymannkendall's `Tau`); `nil` for `n < 2`.
    public var tauA: Double?
    /// Kendall's tau-b `S/√((N0 − ties)·N0)` (trend `mk.test`, Kendall `MannKendall`, scipy);
    /// `nil` when the denominator is 0 (constant series or `n < 2`).
    public var tauB: Double?
    /// `true` when `Var(S) = 0` (constant series or `n ≤ 1`): no test is possible.
    public var isDegenerate: Bool
    /// Exact permutation p-values, when `n` does not exceed the limit passed at construction
    /// (SPEC: `n ≤ 10`); `nil` otherwise.
    public var exact: Exact?

    /// Exact permutation distribution of `S` conditional on the tie pattern.
    public struct Exact: Sendable, Hashable {
        /// `P(|S*| ≥ |S|)` (not a doubled one-sided value, though equal to it when `S ≠ 0`,
        /// since the distribution is symmetric). 1 when `S = 0`.
        public var pTwoSided: Double
        /// `P(S* ≥ S)` (evidence of an increase when small).
        public var pUpper: Double
        /// `P(S* ≤ S)` (evidence of a decrease when small).
        public var pLower: Double
        /// Number of distinct orderings of the values, `n!/Π t_g!` (exact up to `n = 20`).
        public var orderings: Int
    }

    /// Largest `n` for which the exact distribution is computed (its counts reach `20!`, the
    /// largest factorial representable in `Int`).
    public static let maximumExactCount = 20

    /// Runs the test on `values` in time order.
    ///
    /// - Parameter exactUpTo: compute ``exact`` when `values.count ≤ exactUpTo` (capped at
    ///   ``maximumExactCount``); default 10 as in SPEC §6.
    /// Values must be finite (NaN would make comparisons meaningless; the caller validates).
    public init(values: [Double], exactUpTo: Int = 10) {
        self = values.withUnsafeBufferPointer { Self(buffer: $0, exactUpTo: exactUpTo) }
    }

    /// Runs the test on a buffer of values in time order (no copy of the input).
    public init(buffer values: UnsafeBufferPointer<Double>, exactUpTo: Int = 10) {
        self = withUnsafeTemporaryAllocation(of: Double.self, capacity: values.count) { sorted in
            _ = sorted.initialize(fromContentsOf: values)
            SmallSort.sort(sorted)
            return Self(values: values, sortedValues: UnsafeBufferPointer(sorted), exactUpTo: exactUpTo)
        }
    }

    /// The test given the values in time order and the same values sorted ascending (shared
    /// with ``TheilSen`` by ``TrendAnalyzer``).
    init(values: UnsafeBufferPointer<Double>, sortedValues: UnsafeBufferPointer<Double>, exactUpTo: Int) {
        let n = values.count
        count = n
        var statistic = 0
        for i in 0..<n {
            let reference = values[i]
            for j in (i + 1)..<n {
                let later = values[j]
                statistic += later > reference ? 1 : (later < reference ? -1 : 0)
            }
        }
        s = statistic
        let ties = TieSummary(sortedValues: sortedValues)
        let pairs = n * (n - 1) / 2
        varianceS = ties.varianceOfS(count: n)
        isDegenerate = !(varianceS > 0)
        if isDegenerate || statistic == 0 {
            z = 0
            p = 1
        } else {
            let corrected = Double(statistic > 0 ? statistic - 1 : statistic + 1)
            z = corrected / varianceS.squareRoot()
            p = min(1, 2 * NormalDistribution.cdf(-abs(z)))
        }
        tauA = pairs > 0 ? Double(statistic) / Double(pairs) : nil
        let untiedPairs = pairs - ties.tiedPairs
        tauB = untiedPairs > 0 ? Double(statistic) / (Double(untiedPairs) * Double(pairs)).squareRoot() : nil
        if n <= min(exactUpTo, Self.maximumExactCount) {
            exact = ExactKendallDistribution.tails(sortedValues: sortedValues, statistic: statistic)
        } else {
            exact = nil
        }
    }

    /// Label of the normal-approximation test at level `alpha` (pymannkendall's `trend`):
    /// increasing/decreasing by the sign of `z` when `|z| > z_{1−α/2}`, else no trend.
    public func normalDirection(alpha: Double = 0.05) -> TrendDirection {
        TrendDirection(statistic: s, pValue: p, alpha: alpha)
    }
}

/// Direction label of a trend test.
public enum TrendDirection: String, Sendable, Hashable, CaseIterable {
    /// Significant upward trend.
    case increasing
    /// Significant downward trend.
    case decreasing
    /// No significant trend (including degenerate series).
    case noTrend = "no trend"

    /// `increasing`/`decreasing` by the sign of `statistic` when `pValue < alpha`, else `noTrend`.
    /// (For the continuity-corrected normal test `p < α` ⇔ `|z| > z_{1−α/2}`.)
    init(statistic: Int, pValue: Double, alpha: Double) {
        if pValue < alpha && statistic != 0 {
            self = statistic > 0 ? .increasing : .decreasing
        } else {
            self = .noTrend
        }
    }
}

/// Sizes of the groups of equal values, reduced to the two sums the tests need.
struct TieSummary {
    /// `Σ_g t_g(t_g−1)(2t_g+5)` (an integer, exact in `Double` below 2^53).
    var varianceCorrection = 0.0
    /// `Σ_g t_g(t_g−1)/2`, the number of tied pairs.
    var tiedPairs = 0

    /// Measures the runs of equal values in an ascending buffer.
    init(sortedValues: UnsafeBufferPointer<Double>) {
        forEachTieGroup(sortedValues) { size in
            varianceCorrection += Double(size) * Double(size - 1) * Double(2 * size + 5)
            tiedPairs += size * (size - 1) / 2
        }
    }

    /// Tie-corrected `Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)]/18` (the numerator is an exact
    /// integer in `Double` for `n` up to ~160,000; no `Int` overflow for any `n`).
    func varianceOfS(count n: Int) -> Double {
        let size = Double(n)
        return (size * (size - 1) * (2 * size + 5) - varianceCorrection) / 18
    }
}

/// Calls `body` with the size of every run of ≥ 2 equal values in a sorted buffer.
func forEachTieGroup(_ sorted: UnsafeBufferPointer<Double>, _ body: (Int) -> Void) {
    var start = 0
    while start < sorted.count {
        var end = start + 1
        while end < sorted.count && sorted[end] == sorted[start] { end += 1 }
        if end - start > 1 { body(end - start) }
        start = end
    }
}

/// In-place sorting of small buffers without heap allocation.
enum SmallSort {
    /// Ascending sort (values must not be NaN): quicksort with median-of-three pivots and Hoare
    /// partitioning (balanced also when many values are equal), insertion sort below 17 elements
    /// (7 for ``select(_:positions:)``); recursion only into the smaller part, so the depth is at
    /// most `log₂ N`.
    static func sort(_ buffer: UnsafeMutableBufferPointer<Double>) {
        quickSort(buffer, low: 0, high: buffer.count - 1, positions: nil)
    }

    /// Partial sort: afterwards every index in `positions` holds the element a full ascending sort
    /// would put there (partitions containing none of them are left unsorted). Expected `O(N)`
    /// for a handful of positions instead of `O(N log N)`.
    static func select(_ buffer: UnsafeMutableBufferPointer<Double>, positions: UnsafeBufferPointer<Int>) {
        quickSort(buffer, low: 0, high: buffer.count - 1, positions: positions)
    }

    /// Whether `positions` (`nil` = all) has an index in `low...high`.
    private static func wanted(_ positions: UnsafeBufferPointer<Int>?, _ low: Int, _ high: Int) -> Bool {
        guard let positions else { return true }
        for position in positions where position >= low && position <= high { return true }
        return false
    }

    private static func quickSort(
        _ a: UnsafeMutableBufferPointer<Double>, low: Int, high: Int, positions: UnsafeBufferPointer<Int>?
    ) {
        var low = low
        var high = high
        // Full sorts switch to insertion sort below 17 elements; selections partition further.
        let cutoff = positions == nil ? 16 : 6
        while high - low > cutoff {
            if !wanted(positions, low, high) { return }
            let middle = low + (high - low) / 2
            if a[middle] < a[low] { a.swapAt(middle, low) }
            if a[high] < a[low] { a.swapAt(high, low) }
            if a[high] < a[middle] { a.swapAt(high, middle) }
            let pivot = a[middle]
            var i = low
            var j = high
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now a[low...j] ≤ pivot ≤ a[i...high], and everything strictly between equals the pivot.
            if j - low < high - i {
                quickSort(a, low: low, high: j, positions: positions)
                low = i
            } else {
                quickSort(a, low: i, high: high, positions: positions)
                high = j
            }
        }
        if wanted(positions, low, high) { insertionSort(a, low: low, high: high) }
    }
    private static func insertionSort(_ a: UnsafeMutableBufferPointer<Double>, low: Int, high: Int) {
        guard low < high else { return }
        for i in (low + 1)...high {
            let value = a[i]
            var j = i - 1
            while j >= low && a[j] > value {
                a[j + 1] = a[j]
                j -= 1
            }
            a[j + 1] = value
        }
    }
}

/// Exact null distribution of the Mann–Kendall `S` over the distinct orderings of a multiset.
///
/// Writing `I` for the number of discordant pairs (inversions), `S = U − 2I` with
/// `U = N0 − Σ t_g(t_g−1)/2` the number of untied pairs. The number of distinct orderings with
/// `I` inversions is the coefficient of `q^I` in the q-multinomial coefficient
/// `[n]_q! / Π_g [t_g]_q!` with `[k]_q! = Π_{i=1}^{k} (1 + q + … + q^{i−1})` (MacMahon);
/// without ties these are the Mahonian numbers `M(n, I)`. Multiplication by `1 + … + q^{i−1}` is
/// a sliding-window sum; division by it is division by `1 − q^i` (running sum with stride `i`)
/// followed by multiplication by `1 − q` — all exact in `Int` for `n ≤ 20`.
enum ExactKendallDistribution {
    /// Tail probabilities of `statistic` given the sorted values (only the tie pattern matters).
    static func tails(sortedValues: UnsafeBufferPointer<Double>, statistic: Int) -> MannKendall.Exact {
        let n = sortedValues.count
        let pairs = n * (n - 1) / 2
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: pairs + 1) { coefficients in
            // [n]_q! (Mahonian numbers), from the table.
            let mahonian = mahonianNumbers[n]
            for index in 0...pairs { coefficients.initializeElement(at: index, to: mahonian[index]) }
            var degree = pairs
            // Divide by [t_g]_q! for every group of equal values.
            forEachTieGroup(sortedValues) { size in
                for i in stride(from: 2, through: size, by: 1) {
                    divideByQInteger(coefficients, degree: &degree, i)
                }
            }
            // Coefficients 0...degree count orderings by inversions I; S* = degree − 2I.
            var total = 0
            var upper = 0  // S* ≥ S  ⇔  I ≤ (degree − S)/2
            var lower = 0  // S* ≤ S  ⇔  I ≥ (degree − S)/2
            var extreme = 0  // |S*| ≥ |S|
            for inversions in 0...degree {
                let count = coefficients[inversions]
                let value = degree - 2 * inversions
                total += count
                if value >= statistic { upper += count }
                if value <= statistic { lower += count }
                if abs(value) >= abs(statistic) { extreme += count }
            }
            let totalDouble = Double(total)
            return MannKendall.Exact(
                pTwoSided: Double(extreme) / totalDouble,
                pUpper: Double(upper) / totalDouble,
                pLower: Double(lower) / totalDouble,
                orderings: total
            )
        }
    }

    /// Coefficients of `[n]_q!` (numbers of permutations of `n` by inversions) for
    /// `n = 0…maximumExactCount`, computed once (about 1,500 integers).
    private static let mahonianNumbers: [[Int]] = {
        var table: [[Int]] = [[1]]
        var current = [Int](repeating: 0, count: MannKendall.maximumExactCount * (MannKendall.maximumExactCount - 1) / 2 + 1)
        current[0] = 1
        var degree = 0
        table.append([1])
        for n in stride(from: 2, through: MannKendall.maximumExactCount, by: 1) {
            current.withUnsafeMutableBufferPointer { multiplyByQInteger($0, degree: &degree, n) }
            table.append(Array(current[0...degree]))
        }
        return table
    }()

    /// Multiplies the polynomial in `c[0...degree]` by `1 + q + … + q^{i−1}`, in place:
    /// with prefix sums `P[k] = Σ_{j≤k} c[j]` (constant above `degree`), the product's
    /// coefficient is `P[k] − P[k−i]`, filled from the top down.
    private static func multiplyByQInteger(_ c: UnsafeMutableBufferPointer<Int>, degree: inout Int, _ i: Int) {
        let newDegree = degree + i - 1
        for k in stride(from: 1, through: degree, by: 1) { c[k] += c[k - 1] }
        for k in stride(from: degree + 1, through: newDegree, by: 1) { c[k] = c[degree] }
        for k in stride(from: newDegree, through: i, by: -1) { c[k] -= c[k - i] }
        degree = newDegree
    }

    /// Divides the polynomial in `c[0...degree]` (known to be divisible) by `1 + q + … + q^{i−1}`,
    /// in place: with `c = Q·(1 + … + q^{i−1})`, `Q[k] = c[k] − (Q[k−1] + … + Q[k−i+1])`, one
    /// ascending pass with a running window sum.
    private static func divideByQInteger(_ c: UnsafeMutableBufferPointer<Int>, degree: inout Int, _ i: Int) {
        let newDegree = degree - (i - 1)
        var window = 0
        for k in 0...newDegree {
            let quotient = c[k] - window
            c[k] = quotient
            window += quotient
            if k - i + 1 >= 0 { window -= c[k - i + 1] }
        }
        for k in stride(from: newDegree + 1, through: degree, by: 1) { c[k] = 0 }
        degree = newDegree
    }
}
