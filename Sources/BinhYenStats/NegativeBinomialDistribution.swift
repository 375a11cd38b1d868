#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The negative binomial distribution in the mean parameterisation (NB2) used by count models:
/// `Y ~ NB(size r, mean μ)`, `P(Y = k) = Γ(k + r)/(Γ(r)·k!) · (r/(r+μ))^r · (μ/(r+μ))^k`,
/// `E[Y] = μ`, `Var[Y] = μ + μ²/r` (R `dnbinom(k, size = r, mu = μ)`; MASS calls `r` θ).
///
/// Functions return NaN (`nil` for the quantile) for invalid parameters (`size ≤ 0`, `size`
/// or `mean` not finite, `mean < 0`). A mean of 0 is the point mass at 0. For `size → ∞` use
/// ``PoissonDistribution``.
public enum NegativeBinomialDistribution {
    /// `P(Y = k)` (R `dnbinom(k, size, mu = mean)`); 0 for `k < 0`.
    ///
    /// Loader's saddle-point form, as R's `dnbinom_mu`: `r/(r+k) · b(r; r+k, r/(r+μ))` with the
    /// binomial term `b` evaluated by `stirlerr`/`bd0` in log space, so large sizes and counts
    /// keep full relative precision (measured ≤ ~1e-14 against R and SciPy, fixture
    /// `negative_binomial_r.json`).
    public static func probability(of k: Int, size: Double, mean: Double) -> Double {
        exp(logProbability(of: k, size: size, mean: mean))
    }

    /// `log P(Y = k)` (R `dnbinom(k, size, mu = mean, log = TRUE)`); `−∞` for `k < 0` or where the
    /// probability is 0 (`mean = 0`, `k > 0`). Never underflows to `−∞` for valid parameters.
    public static func logProbability(of k: Int, size: Double, mean: Double) -> Double {
        guard parametersAreValid(size: size, mean: mean) else { return .nan }
        if k < 0 { return -.infinity }
        if mean == 0 { return k == 0 ? 0 : -.infinity }
        // P(Y = 0) = (r/(r+μ))^r.
        if k == 0 { return -size * log1p(mean / size) }
        let count = Double(k)
        let total = size + count
        let p = size / (size + mean)
        let q = mean / (size + mean)
        let logCore = SpecialFunctions.stirlingError(total) - SpecialFunctions.stirlingError(size)
            - SpecialFunctions.stirlingError(count)
            - SpecialFunctions.binomialDeviance(size, total * p) - SpecialFunctions.binomialDeviance(count, total * q)
        // log(r/(r+k)) − ½·log(2π·r·k/(r+k)).
        let logScale = log(size / total) - 0.5 * (SpecialFunctions.logTwoPi + log(size / total * count))
        return logCore + logScale
    }

    /// `P(Y ≤ k)` (R `pnbinom(k, size, mu = mean)`). 0 for `k < 0`.
    public static func cdf(_ k: Int, size: Double, mean: Double) -> Double {
        tails(k, size: size, mean: mean).atMost
    }

    /// `P(Y > k)` (R `pnbinom(k, size, mu = mean, lower.tail = FALSE)`), computed directly.
    /// 1 for `k < 0`.
    public static func survival(_ k: Int, size: Double, mean: Double) -> Double {
        tails(k, size: size, mean: mean).above
    }

    /// `(P(Y ≤ k), P(Y > k))` through the regularised incomplete beta function,
    /// `P(Y ≤ k) = I_p(r, k + 1)` with `p = r/(r+μ)` and `1 − p = μ/(r+μ)` formed separately
    /// (R `pnbinom_mu` calls TOMS 708 `bratio` the same way). Each tail has the relative accuracy
    /// of ``BetaDistribution/tails(_:a:b:)`` (~1e-13).
    public static func tails(_ k: Int, size: Double, mean: Double) -> (atMost: Double, above: Double) {
        guard parametersAreValid(size: size, mean: mean) else { return (.nan, .nan) }
        if k < 0 { return (0, 1) }
        if mean == 0 { return (1, 0) }
        let beta = BetaDistribution.tails(
            x: size / (size + mean), y: mean / (size + mean), a: size, b: Double(k) + 1)
        return (beta.lower, beta.upper)
    }

    /// Quantile by R's rule for discrete distributions (`qnbinom(p, size, mu = mean)`): the
    /// smallest `k ≥ 0` with `P(Y ≤ k) ≥ p` (no fuzz, see METHODS §0).
    ///
    /// Found by a galloping search from a Cornish–Fisher guess followed by bisection
    /// (O(log k) evaluations of ``cdf(_:size:mean:)``). `nil` when `p` is not below 1 (the
    /// quantile is +∞), `p` is NaN, the parameters are invalid, or the quantile exceeds
    /// ``DiscreteQuantile/searchLimit``; 0 when `p ≤ 0`.
    public static func quantile(_ p: Double, size: Double, mean: Double) -> Int? {
        guard parametersAreValid(size: size, mean: mean) else { return nil }
        let variance = mean + mean * mean / size
        let skewness = (mean + 2 * mean * mean / size) / (variance * variance.squareRoot())
        return DiscreteQuantile.smallestCount(
            probability: p, mean: mean, variance: variance, skewness: skewness
        ) { k in cdf(k, size: size, mean: mean) }
    }

    private static func parametersAreValid(size: Double, mean: Double) -> Bool {
        size > 0 && size.isFinite && mean >= 0 && mean.isFinite
    }
}

extension PoissonDistribution {
    /// `log P(Y = k)` (R `dpois(k, mean, log = TRUE)`) by Loader's form
    /// `−δ(k) − bd0(k, mean) − ½·log(2πk)`; never underflows. `−∞` for `k < 0`.
    static func logProbability(of k: Int, mean: Double) -> Double {
        guard mean >= 0, mean.isFinite else { return .nan }
        if k < 0 { return -.infinity }
        if k == 0 { return -mean }
        if mean == 0 { return -.infinity }
        let count = Double(k)
        return -SpecialFunctions.stirlingError(count) - SpecialFunctions.binomialDeviance(count, mean)
            - 0.5 * (SpecialFunctions.logTwoPi + log(count))
    }
}

/// Quantiles of discrete distributions on `0, 1, 2, …` by R's rule: the smallest `k` with
/// `F(k) ≥ p·(1 − 64ε)` (METHODS §0; R `qpois`/`qnbinom`/`qbinom`: "fuzz to ensure left
/// continuity", so that a cdf equal to `p` in exact arithmetic — e.g. the median 0.5 of a
/// symmetric case — is not missed by rounding), and `+∞` (here `nil`) once `p + 1.01ε ≥ 1`.
public enum DiscreteQuantile {
    /// Largest count a quantile search will return (2⁵³, beyond which counts are no longer
    /// exactly representable as `Double`).
    public static let searchLimit = 1 << 53

    /// Smallest `k ≥ 0` with `cdf(k) ≥ probability·(1 − 64ε)`, for a non-decreasing `cdf`.
    ///
    /// Starts at the Cornish–Fisher approximation `mean + σ(z + γ(z² − 1)/6)`, gallops (doubling
    /// steps) to a bracket, then bisects. `nil` if `probability + 1.01ε ≥ 1` or NaN, or no
    /// `k ≤ limit` qualifies; 0 if `probability ≤ 0`. The search never evaluates `cdf` outside
    /// `0…limit`; with `checkLimitFirst` it evaluates `cdf(limit)` first and gives up at once
    /// when even that is below the target (cheap exits for hopelessly wide distributions).
    static func smallestCount(
        probability requested: Double, mean: Double, variance: Double, skewness: Double, limit: Int = searchLimit,
        checkLimitFirst: Bool = false, cdf: (Int) -> Double
    ) -> Int? {
        guard requested + 1.01 * Double.ulpOfOne < 1, limit >= 0 else { return nil }
        if !(requested > 0) { return 0 }
        let z = NormalDistribution.quantile(requested)
        let probability = requested * (1 - 64 * Double.ulpOfOne)
        if checkLimitFirst, cdf(limit) < probability { return nil }
        let approximate = mean + variance.squareRoot() * (z + skewness * (z * z - 1) / 6)
        let guess = approximate.isFinite ? Int(min(max(approximate.rounded(.down), 0), Double(limit))) : 0
        // Invariant of the bisection: cdf(below) < p (or below = −1) and cdf(atOrAbove) ≥ p.
        var below: Int
        var atOrAbove: Int
        if cdf(guess) >= probability {
            atOrAbove = guess
            var step = 1
            below = guess - 1
            while below >= 0, cdf(below) >= probability {
                atOrAbove = below
                step *= 2
                below = max(-1, atOrAbove - step)
            }
        } else {
            below = guess
            var step = 1
            while true {
                let candidate = min(below + step, limit)
                if cdf(candidate) >= probability {
                    atOrAbove = candidate
                    break
                }
                if candidate == limit { return nil }
                below = candidate
                step *= 2
            }
        }
        while atOrAbove - below > 1 {
            let middle = below + (atOrAbove - below) / 2
            if cdf(middle) >= probability { atOrAbove = middle } else { below = middle }
        }
        return atOrAbove
    }
}
