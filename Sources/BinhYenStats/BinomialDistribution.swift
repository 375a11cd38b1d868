#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The binomial distribution `X ~ Binomial(n, p)`: probability mass and both tails.
///
/// Probabilities keep full relative precision far into the tails (no `1 − small`
/// anywhere). Functions return NaN for invalid parameters (`n < 0`, `p` outside `[0, 1]`);
/// callers that take user input validate first and report `nil`.
public enum BinomialDistribution {
    /// `P(X = k)` (R `dbinom(k, n, p)`).
    ///
    /// Loader's saddle-point expansion
    /// `exp(δ(n) − δ(k) − δ(n−k) − bd0(k, np) − bd0(n−k, nq)) · √(n / (2π k (n−k)))`
    /// with `δ` = ``SpecialFunctions/stirlingError(_:)`` and `bd0` =
    /// ``SpecialFunctions/binomialDeviance(_:_:)``: relative error ~1e-15 even for
    /// `n = 10⁵` and probabilities near the underflow limit.
    /// Edge cases: 0 for `k < 0` or `k > n`; `P(X = 0) = 1` when `n = 0`.
    /// Reference: C. Loader (2000); R `dbinom_raw`.
    public static func probability(of k: Int, trials n: Int, success p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        if k < 0 || k > n { return 0 }
        return rawProbability(successes: Double(k), failures: Double(n - k), p: p, q: 1 - p)
    }

    /// `P(X ≤ k)` (R `pbinom(k, n, p)`), through the regularised incomplete beta function
    /// `P(X ≤ k) = 1 − I_p(k+1, n−k)` evaluated on its small side.
    /// Edge cases: 0 for `k < 0`, 1 for `k ≥ n`.
    public static func cdf(_ k: Int, trials n: Int, success p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        return tails(k, trials: n, p: p, q: 1 - p).atMost
    }

    /// `P(X > k)` (R `pbinom(k, n, p, lower.tail = FALSE)`), computed directly as
    /// `I_p(k+1, n−k)`, never as `1 − cdf`. Edge cases: 1 for `k < 0`, 0 for `k ≥ n`.
    public static func survival(_ k: Int, trials n: Int, success p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        return tails(k, trials: n, p: p, q: 1 - p).above
    }

    /// `(P(X ≤ k), P(X > k))` with `p` and `q = 1 − p` passed separately (for callers that know
    /// `q` more precisely than `1 − p`, e.g. from exposures or a logistic parameterisation).
    static func tails(_ k: Int, trials n: Int, p: Double, q: Double) -> (atMost: Double, above: Double) {
        if k < 0 { return (0, 1) }
        if k >= n { return (1, 0) }
        let beta = BetaDistribution.tails(x: p, y: q, a: Double(k + 1), b: Double(n - k))
        return (beta.upper, beta.lower)
    }

    /// Loader's binomial term `C(x+y, x)·p^x·q^y` for real `x`, `y ≥ 0` (R `dbinom_raw` with
    /// `n = x + y`), also used for the beta-function prefactor with non-integer shapes.
    /// Taking the failures `y` separately (instead of `n − x`) keeps full precision when
    /// `y ≪ x`, and `log(x·y/n)` replaces R's `log(x) + log1p(−x/n)` for the same reason.
    static func rawProbability(successes x: Double, failures y: Double, p: Double, q: Double) -> Double {
        let n = x + y
        if p == 0 { return x == 0 ? 1 : 0 }
        if q == 0 { return y == 0 ? 1 : 0 }
        if x == 0 {
            if y == 0 { return 1 }
            let logProbability = p < 0.1 ? -SpecialFunctions.binomialDeviance(n, n * q) - n * p : n * log(q)
            return exp(logProbability)
        }
        if y == 0 {
            let logProbability = q < 0.1 ? -SpecialFunctions.binomialDeviance(n, n * p) - n * q : n * log(p)
            return exp(logProbability)
        }
        if x < 0 || y < 0 { return 0 }
        let logCore = SpecialFunctions.stirlingError(n) - SpecialFunctions.stirlingError(x)
            - SpecialFunctions.stirlingError(y)
            - SpecialFunctions.binomialDeviance(x, n * p) - SpecialFunctions.binomialDeviance(y, n * q)
        let logScale = SpecialFunctions.logTwoPi + log(x / n * y)
        return exp(logCore - 0.5 * logScale)
    }
}
