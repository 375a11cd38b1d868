/// Which local G statistic and weights (METHODS §8.1; CLI `--gi-variant`).
public enum GiVariant: String, Sendable, Hashable, CaseIterable {
    /// Gi* with binary weights including the location itself (`w_ii = 1`; spdep
    /// `include.self()` + style "B"; esda `star=True`). The canonical statistic.
    case star
    /// Gi* with row-standardised weights `w_ij/Σ_j w_ij` after adding self (spdep style "W"),
    /// with spdep's general-weights variance (not esda's binary-only one, METHODS §8.3).
    case starRowStandardised = "star-row"
    /// Gi: binary weights without self; mean and variance exclude the location.
    case gi
}

/// Why a local G z-score is undefined (`nil`).
public enum LocalGProblem: String, Sendable, Hashable, CaseIterable {
    /// All values that enter the statistic are equal (`s = 0`): "no variation".
    case noVariation = "no_variation"
    /// Gi (without self) for a location without neighbours: `0/0` (spdep gives NaN).
    case island
    /// The neighbourhood holds every location, so the local sum cannot differ from its expectation.
    case neighbourhoodIsEverything = "neighbourhood_is_everything"
    /// Too few locations: Gi* needs `n ≥ 2`, Gi needs `n ≥ 3`.
    case tooFewLocations = "too_few_locations"
}

/// The local G statistic of one location (Getis & Ord 1992; Ord & Getis 1995; spdep `localG`).
public struct LocalG: Sendable, Hashable {
    /// The z-score (the reported "Gi* z"); `nil` with ``problem`` set when undefined.
    public var z: Double?
    /// Two-sided normal p-value `2Φ(−|z|)`; `nil` with `z`.
    public var p: Double?
    /// The G ratio `Σ_j w_ij x_j / Σ_j x_j` (sums over `j ≠ i` for Gi); `nil` when the denominator is 0.
    public var g: Double?
    /// `E(G)`: `W_i/n` (Gi*) or `W_i/(n − 1)` (Gi); `nil` when `g` is.
    public var expectedG: Double?
    /// `Var(G)` under randomisation; `nil` when `g` or `z` is.
    public var varianceG: Double?
    /// Number of neighbours, self excluded.
    public var neighbourCount: Int
    /// Why `z` is `nil`.
    public var problem: LocalGProblem?

    /// ArcGIS `Gi_Bin` of this location (see ``GetisOrd/bin(z:p:)``); `nil` when `z` is.
    public var bin: Int? { GetisOrd.bin(z: z, p: p) }
}

/// Getis–Ord local statistics for one set of values on a neighbour graph (METHODS §8.2).
///
/// For Gi* (`star`, `starRowStandardised`): `x̄ = Σx/n`, `s² = Σ(x − x̄)²/n`, `W_i = Σ_j w_ij`,
/// `S1_i = Σ_j w_ij²` (self included),
/// `z_i = (Σ_j w_ij x_j − W_i x̄) / sqrt(s²·(n·S1_i − W_i²)/(n − 1))`.
/// For Gi (`gi`): the same with `j ≠ i`, `n − 1` locations and the mean and variance of the
/// others: `x̄_i = (Σx − x_i)/(n − 1)`, `s_i² = Σ_{j≠i}(x_j − x̄_i)²/(n − 1)`,
/// `z_i = (Σ_{j≠i} w_ij x_j − W_i x̄_i)/sqrt(s_i²·((n − 1)S1_i − W_i²)/(n − 2))`.
///
/// Edge cases (``LocalGProblem``): an island under Gi* reduces to `(x_i − x̄)/s`; under Gi it is
/// undefined (`island`); equal values give `noVariation` (never NaN). Variances are computed
/// from centred values (two-pass), so large rates do not cancel.
/// Agrees with spdep 1.2.7 `localG` (and esda 2.9.0 for binary weights) to ~1e-15; see
/// `Tests/BinhYenStatsTests` and METHODS §8.3. Cost `O(n + edges)`.
public enum GetisOrd {
    /// Why the statistic cannot be computed at all.
    public enum InputProblem: Error, Sendable, Hashable {
        /// `values.count` differs from the graph's `count`.
        case countMismatch(values: Int, locations: Int)
        /// `values[index]` is NaN or infinite.
        case nonFiniteValue(index: Int)
    }

    /// Local G of every location, in graph order.
    /// - Throws: ``InputProblem`` when the values do not fit the graph.
    public static func localG(_ values: [Double], neighbours: SpatialNeighbours,
                              variant: GiVariant = .star) throws(InputProblem) -> [LocalG] {
        let n = values.count
        guard n == neighbours.count else { throw InputProblem.countMismatch(values: n, locations: neighbours.count) }
        if let bad = values.firstIndex(where: { !$0.isFinite }) { throw InputProblem.nonFiniteValue(index: bad) }
        guard n > 0 else { return [] }
        let total = values.reduce(0, +)
        let mean = total / Double(n)
        let centredSquares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let spread = ValueSpread(values)
        return (0..<n).map { i in
            switch variant {
            case .star, .starRowStandardised:
                return star(i, values: values, neighbours: neighbours.lists[i], rowStandardised: variant == .starRowStandardised,
                            total: total, mean: mean, centredSquares: centredSquares, allEqual: spread.allEqual)
            case .gi:
                return withoutSelf(i, values: values, neighbours: neighbours.lists[i], total: total, mean: mean,
                                   centredSquares: centredSquares, othersEqual: spread.othersEqual(excluding: i))
            }
        }
    }

    /// ArcGIS `Gi_Bin` (METHODS §8.4): `±3` if `p < 0.01`, `±2` if `p < 0.05`, `±1` if `p < 0.10`,
    /// else 0, with the sign of `z`; `nil` when `z` or `p` is `nil`.
    public static func bin(z: Double?, p: Double?) -> Int? {
        guard let z, let p else { return nil }
        let level = p < 0.01 ? 3 : (p < 0.05 ? 2 : (p < 0.10 ? 1 : 0))
        return z < 0 ? -level : level
    }

    private static func star(_ i: Int, values: [Double], neighbours: [Int], rowStandardised: Bool,
                             total: Double, mean: Double, centredSquares: Double, allEqual: Bool) -> LocalG {
        let n = Double(values.count)
        let size = Double(neighbours.count + 1)
        let weight = rowStandardised ? 1 / size : 1
        var localSum = values[i]
        for j in neighbours { localSum += values[j] }
        localSum *= weight
        let rowSum = weight * size
        let squareSum = weight * weight * size
        var result = LocalG(neighbourCount: neighbours.count)
        if total != 0 {
            result.g = localSum / total
            result.expectedG = rowSum / n
        }
        if values.count < 2 { result.problem = .tooFewLocations; return result }
        if allEqual { result.problem = .noVariation; return result }
        let spreadFactor = n * squareSum - rowSum * rowSum
        guard spreadFactor > 0 else { result.problem = .neighbourhoodIsEverything; return result }
        let variance = centredSquares / n
        let z = (localSum - rowSum * mean) / (variance * spreadFactor / (n - 1)).squareRoot()
        result.z = z
        result.p = 2 * NormalDistribution.cdf(-Swift.abs(z))
        if result.g != nil { result.varianceG = variance * spreadFactor / ((n - 1) * n * n * mean * mean) }
        return result
    }

    private static func withoutSelf(_ i: Int, values: [Double], neighbours: [Int], total: Double, mean: Double,
                                    centredSquares: Double, othersEqual: Bool) -> LocalG {
        let others = Double(values.count - 1)
        let rowSum = Double(neighbours.count)
        var localSum = 0.0
        for j in neighbours { localSum += values[j] }
        var result = LocalG(neighbourCount: neighbours.count)
        let othersTotal = total - values[i]
        if othersTotal != 0 {
            result.g = localSum / othersTotal
            result.expectedG = rowSum / others
        }
        if values.count < 3 { result.problem = .tooFewLocations; return result }
        if neighbours.isEmpty { result.problem = .island; return result }
        if othersEqual { result.problem = .noVariation; return result }
        let spreadFactor = others * rowSum - rowSum * rowSum
        guard spreadFactor > 0 else { result.problem = .neighbourhoodIsEverything; return result }
        // Σ_{j≠i}(x_j − x̄_i)² from the centred values of all n: (SS − d_i²) − d_i²/(n − 1).
        let deviation = values[i] - mean
        let othersSquares = centredSquares - deviation * deviation - deviation * deviation / others
        let othersMean = othersTotal / others
        let variance = Swift.max(0, othersSquares) / others
        let z = (localSum - rowSum * othersMean) / (variance * spreadFactor / (others - 1)).squareRoot()
        result.z = z
        result.p = 2 * NormalDistribution.cdf(-Swift.abs(z))
        if result.g != nil {
            result.varianceG = variance * spreadFactor / ((others - 1) * others * others * othersMean * othersMean)
        }
        return result
    }
}

/// Which values are all equal, decided exactly (no floating-point variance test).
private struct ValueSpread {
    var minimum: Double
    var minimumCount: Int
    var secondMinimum: Double
    var maximum: Double
    var maximumCount: Int
    var secondMaximum: Double
    var values: [Double]

    init(_ values: [Double]) {
        self.values = values
        let low = values.min() ?? 0
        let high = values.max() ?? 0
        minimum = low
        maximum = high
        minimumCount = values.filter { $0 == low }.count
        maximumCount = values.filter { $0 == high }.count
        secondMinimum = values.filter { $0 != low }.min() ?? low
        secondMaximum = values.filter { $0 != high }.max() ?? high
    }

    var allEqual: Bool { minimum == maximum }

    /// Whether every value except `values[i]` is the same.
    func othersEqual(excluding i: Int) -> Bool {
        let value = values[i]
        let low = value == minimum && minimumCount == 1 ? secondMinimum : minimum
        let high = value == maximum && maximumCount == 1 ? secondMaximum : maximum
        return low == high
    }
}
