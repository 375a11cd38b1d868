/// Exact Poisson quantiles at one probability for very many means (the funnel-plot limit of
/// every village series), by table lookup.
///
/// For a count `k`, `P(Y ≤ k | μ)` decreases in `μ`; let `λ_k` be the largest double with
/// `P(Y ≤ k | λ_k) ≥ p` (``PoissonDistribution/cdf(_:mean:)``, found by bisection to adjacent
/// doubles). Then the quantile — the smallest `k` with `P(Y ≤ k | μ) ≥ p`, R `qpois(p, μ)` as in
/// ``PoissonDistribution/quantile(_:mean:)`` — is the smallest `k` with `μ ≤ λ_k`: a binary
/// search in the thresholds instead of several incomplete-gamma evaluations per mean.
/// The two agree wherever the computed CDF is monotone in `μ`, i.e. except possibly for means
/// within a few ulps of a threshold (the tests compare them on random means).
///
/// Building costs about 60 CDF evaluations per threshold; the table covers means up to
/// `maximumMean` but at most ``maximumCount`` thresholds. Means beyond, and invalid ones, are
/// passed to ``PoissonDistribution/quantile(_:mean:)``.
public struct PoissonQuantileTable: Sendable {
    /// The largest number of thresholds built (means up to about 4,000 for p = 0.999).
    public static let maximumCount = 4096
    /// The probability `p` of the quantiles.
    public let probability: Double
    /// `λ_0, λ_1, …`, increasing.
    private let thresholds: [Double]

    /// Thresholds for `probability` (strictly between 0 and 1, else the table is empty and every
    /// lookup is delegated) covering means up to `maximumMean`.
    public init(probability: Double, maximumMean: Double) {
        self.probability = probability
        var thresholds: [Double] = []
        guard probability > 0, probability < 1, maximumMean.isFinite else {
            self.thresholds = []
            return
        }
        var low = 0.0
        while thresholds.count < Self.maximumCount {
            let k = thresholds.count
            // P(Y ≤ k | low) ≥ p holds at the previous threshold (and at 0); find a mean above.
            var high = max(2 * low, low + 1)
            while PoissonDistribution.cdf(k, mean: high) >= probability { high *= 2 }
            while true {
                let middle = low + (high - low) / 2
                if middle <= low || middle >= high { break }
                if PoissonDistribution.cdf(k, mean: middle) >= probability { low = middle } else { high = middle }
            }
            thresholds.append(low)
            if low >= maximumMean { break }
        }
        self.thresholds = thresholds
    }

    /// The smallest count `k ≥ 0` with `P(Y ≤ k | mean) ≥ probability`; nil as
    /// ``PoissonDistribution/quantile(_:mean:)`` for an invalid mean.
    public func quantile(mean: Double) -> Int? {
        guard mean >= 0, let last = thresholds.last, mean <= last else {
            return PoissonDistribution.quantile(probability, mean: mean)
        }
        var low = 0
        var high = thresholds.count - 1
        while low < high {
            let middle = (low + high) / 2
            if thresholds[middle] >= mean { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
