extension PoissonDistribution {
    /// The largest mean ``quantile(_:mean:)`` answers for (10¹⁵).
    public static let quantileMeanLimit = 1e15

    /// R-style discrete quantile (R `qpois(p, mean)`, METHODS §0): the smallest count `y ≥ 0`
    /// with `P(Y ≤ y) ≥ p`.
    ///
    /// Starts from the Cornish–Fisher approximation `μ + σ·(z + γ(z² − 1)/6)` (as R does) and
    /// steps up or down with ``cdf(_:mean:)``, so the cost is a handful of CDF evaluations.
    /// R additionally multiplies `p` by `1 − 64ε` before its search ("fuzz"); this function uses
    /// the plain definition, which differs from R only when `P(Y ≤ y)` lies within ~1e-14
    /// relative below `p`.
    /// Edge cases: 0 for `p = 0` or `mean = 0`; `nil` for `p = 1` with `mean > 0` (R returns `Inf`),
    /// and for `p` outside `[0, 1]` or an invalid mean (negative, infinite, NaN), and for a
    /// mean above ``quantileMeanLimit`` (10¹⁵), where neighbouring counts are no longer
    /// distinguishable in a `Double` and the step search could run for ever.
    public static func quantile(_ p: Double, mean: Double) -> Int? {
        guard mean >= 0, mean <= quantileMeanLimit, p >= 0, p <= 1 else { return nil }
        if p == 0 || mean == 0 { return 0 }
        if p == 1 { return nil }
        let sigma = mean.squareRoot()
        let skewness = 1 / sigma
        let z = NormalDistribution.quantile(p)
        let approximation = mean + sigma * (z + skewness * (z * z - 1) / 6)
        var y = Int(max(0, approximation.rounded()))
        if cdf(y, mean: mean) >= p {
            // Step down while the previous count still reaches p.
            while y > 0 && cdf(y - 1, mean: mean) >= p { y -= 1 }
            return y
        }
        repeat { y += 1 } while cdf(y, mean: mean) < p
        return y
    }
}
