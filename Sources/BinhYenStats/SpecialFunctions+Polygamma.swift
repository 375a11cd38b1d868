#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Digamma `ψ = Γ'/Γ` and trigamma `ψ'`, needed by the maximum-likelihood estimate of the
/// negative binomial shape θ (METHODS §6.3, MASS `theta.ml`).
extension SpecialFunctions {
    /// Digamma function `ψ(x) = d/dx log Γ(x)` (R `digamma`, SciPy `special.digamma`).
    ///
    /// * `x ≥ 20`: asymptotic series `log x − 1/(2x) − Σ B₂ₖ/(2k·x²ᵏ)` (seven terms,
    ///   truncation error < 1e-19 relative).
    /// * `|x − x₀| < 0.25` around the positive root `x₀ = 1.4616…`: Taylor series
    ///   `Σ (−1)^(k+1) ζ(k+1, x₀)·(x − x₀)ᵏ` with the root held in double-double precision, so
    ///   the relative error stays small even where `ψ(x) → 0`.
    /// * other `0 < x < 20`: downward recurrence `ψ(x) = ψ(x + m) − Σ_{j<m} 1/(x + j)`.
    /// * `x < 0`: reflection `ψ(x) = ψ(1 − x) − π·cot(πx)`; near the negative roots only the
    ///   absolute error is small (~1e-15·|ψ(1−x)|).
    ///
    /// Edge cases: NaN at the poles `x = 0, −1, −2, …` (as R) and for NaN; `+∞` for `x = +∞`.
    /// Measured against SciPy 1.17.1 and 50-digit mpmath: relative error ≤ ~1e-15 for `x > 0`
    /// (fixture `polygamma.json`).
    public static func digamma(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x == .infinity { return .infinity }
        if x <= 0 {
            if x == x.rounded(.down) { return .nan }
            // cot(πx) on the reduced argument (period 1) to keep accuracy for large |x|.
            let reduced = x - x.rounded(.toNearestOrEven)
            return digamma(1 - x) - Double.pi / tan(Double.pi * reduced)
        }
        if x >= asymptoticThreshold { return log(x) + digammaAsymptoticTail(x) }
        let distanceToRoot = (x - digammaRootHigh) - digammaRootLow
        if abs(distanceToRoot) < 0.25 { return digammaNearRoot(distanceToRoot) }
        var sum = 0.0
        var shifted = x
        while shifted < asymptoticThreshold {
            sum += 1 / shifted
            shifted += 1
        }
        return log(shifted) + digammaAsymptoticTail(shifted) - sum
    }

    /// Trigamma function `ψ'(x) = d²/dx² log Γ(x)` (R `trigamma`, SciPy `special.polygamma(1, x)`).
    ///
    /// * `x ≥ 20`: asymptotic series `1/x + 1/(2x²) + Σ B₂ₖ/x²ᵏ⁺¹` (eight terms).
    /// * `0 < x < 20`: recurrence `ψ'(x) = ψ'(x + m) + Σ_{j<m} 1/(x + j)²` (all terms positive,
    ///   no cancellation).
    /// * `x < 0`: reflection `ψ'(x) = π²/sin²(πx) − ψ'(1 − x)`.
    ///
    /// Edge cases: NaN at the poles `x = 0, −1, −2, …` and for NaN; 0 for `x = +∞`.
    /// Measured relative error ≤ ~1e-15 for `x > 0` against SciPy and mpmath.
    public static func trigamma(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x == .infinity { return 0 }
        if x <= 0 {
            if x == x.rounded(.down) { return .nan }
            let reduced = x - x.rounded(.toNearestOrEven)
            let sine = sin(Double.pi * reduced)
            return Double.pi * Double.pi / (sine * sine) - trigamma(1 - x)
        }
        return 1 / x + trigammaMinusReciprocal(x)
    }

    /// `ψ(x) − log x` for `x > 0`, without the cancellation of forming both terms when `x` is
    /// large (≈ `−1/(2x)`). Used for differences `ψ(θ + y) − ψ(θ)` at large θ in the negative
    /// binomial score.
    static func digammaMinusLog(_ x: Double) -> Double {
        if x >= asymptoticThreshold { return digammaAsymptoticTail(x) }
        return digamma(x) - log(x)
    }

    /// `ψ'(x) − 1/x` for `x > 0` (≈ `1/(2x²)` for large `x`), computed without cancellation.
    static func trigammaMinusReciprocal(_ x: Double) -> Double {
        var sum = 0.0
        var shifted = x
        if shifted < asymptoticThreshold {
            // ψ'(x) − 1/x = Σ_{j=1}^{m−1} 1/(x+j)² + 1/x² − 1/x + ψ'(x+m); the 1/x² − 1/x pair is kept
            // together with 1/(x+m) from the tail below.
            sum = 1 / (x * x)
            shifted += 1
            while shifted < asymptoticThreshold {
                sum += 1 / (shifted * shifted)
                shifted += 1
            }
            // ψ'(shifted) = 1/shifted + tail(shifted); 1/shifted − 1/x = −(shifted − x)/(x·shifted).
            return sum + trigammaAsymptoticTail(shifted) - (shifted - x) / (x * shifted)
        }
        return trigammaAsymptoticTail(shifted)
    }

    /// Below this argument the recurrences shift `x` upward before the asymptotic series. At 20
    /// the first omitted terms are below 1e-19 relative even for `ψ − log x` and `ψ' − 1/x`.
    private static let asymptoticThreshold = 20.0

    /// `ψ(x) − log x` by the asymptotic series, `x ≥ 20`.
    private static func digammaAsymptoticTail(_ x: Double) -> Double {
        let inverseSquare = 1 / (x * x)
        var series = -1.0 / 12.0
        series = series * inverseSquare + 691.0 / 32_760.0
        series = series * inverseSquare - 1.0 / 132.0
        series = series * inverseSquare + 1.0 / 240.0
        series = series * inverseSquare - 1.0 / 252.0
        series = series * inverseSquare + 1.0 / 120.0
        series = series * inverseSquare - 1.0 / 12.0
        return series * inverseSquare - 0.5 / x
    }

    /// `ψ'(x) − 1/x` by the asymptotic series `1/(2x²) + 1/(6x³) − 1/(30x⁵) + …`, `x ≥ 20`.
    private static func trigammaAsymptoticTail(_ x: Double) -> Double {
        let inverse = 1 / x
        let inverseSquare = inverse * inverse
        var series = 7.0 / 6.0
        series = series * inverseSquare - 691.0 / 2730.0
        series = series * inverseSquare + 5.0 / 66.0
        series = series * inverseSquare - 1.0 / 30.0
        series = series * inverseSquare + 1.0 / 42.0
        series = series * inverseSquare - 1.0 / 30.0
        series = series * inverseSquare + 1.0 / 6.0
        return inverseSquare * (0.5 + series * inverse)
    }

    /// The positive root of ψ, `x₀ = 1.46163214496836234126…`, as a double-double `high + low`.
    private static let digammaRootHigh = 1.4616321449683622
    private static let digammaRootLow = 9.549995429965697e-17

    /// `ψ(x₀ + δ)` for `|δ| < 0.25` by its Taylor series `Σ_{k≥1} cₖ δᵏ`,
    /// `cₖ = (−1)^(k+1) ζ(k+1, x₀)` (Hurwitz zeta; mpmath, 40 digits). 24 terms reach
    /// `|c₂₅|·0.25²⁵ < 1e-17` relative to the first term.
    private static func digammaNearRoot(_ delta: Double) -> Double {
        var sum = 0.0
        for coefficient in digammaRootTaylor.reversed() {
            sum = sum * delta + coefficient
        }
        return sum * delta
    }

    /// Taylor coefficients of ψ at its positive root (`c₁, c₂, …`), from
    /// `Tests/FixtureScripts/stats/gen_glm_fixtures.py` (`digamma_root_taylor`).
    private static let digammaRootTaylor: [Double] = [
        0.9676722454476212, -0.4427631689835921, 0.258499760955651, -0.16394270544240652,
        0.10782405069126237, -0.07219956125645471, 0.04880428816414311, -0.03316112647484736,
        0.022597648232218104, -0.01542476590494896, 0.010538791616612175, -0.007204534386356869,
        0.004926781395729853, -0.003369801655439328, 0.002305126326734928, -0.0015769367714301972,
        0.0010788252019162967, -0.0007380709389960052, 0.000504953265834602, -0.0003454680251063077,
        0.00023635601564027053, -0.00016170622091974803, 0.0001106337276874741, -7.569179582195066e-05,
    ]
}
