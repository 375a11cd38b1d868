#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Quasi-Poisson log-linear trend (R `glm(family = quasipoisson)`, METHODS §6.2): the Poisson
/// estimates, variance `φ·μ` with `φ̂ = X²/(n − 2)` (Pearson), standard errors `se·√φ̂` and
/// t tests on `n − 2` degrees of freedom (R; statsmodels `scale = "X2"` reports normal p-values
/// instead). Underdispersion (`φ̂ < 1`) is kept as is, shrinking the standard errors, as R does.
public struct QuasiPoissonTrendFit: Sendable, Hashable {
    /// Pearson dispersion `φ̂ = X²/(n − 2)` (SPEC field `dispersion`), > 0.
    public var dispersion: Double
    /// Residual degrees of freedom `n − 2` of the t tests.
    public var residualDegreesOfFreedom: Int
    /// Intercept (same estimate as Poisson), `se·√φ̂`, t statistic and two-sided t p-value.
    public var intercept: CoefficientEstimate
    /// Slope per year, `se·√φ̂`, t statistic and two-sided p-value on `n − 2` df
    /// (SPEC `model_p` when quasi-Poisson is the model).
    public var slope: CoefficientEstimate
    /// The Poisson covariance times `φ̂`.
    public var covariance: CoefficientCovariance
    /// Annual rate ratio `exp(β̂₁)` (as Poisson).
    public var annualRateRatio: Double
    /// `exp(β̂₁ ± t_{n−2}·se_q)`, consistent with the t test (SPEC `annual_rr_lo`/`_hi` for this
    /// model; golden `annual_rr_wald_ci_t`). Upper end `nil` (+∞) if it overflows.
    public var waldInterval: RatioInterval
    /// `exp(β̂₁ ± z·se_q)` with the normal quantile (R `confint.default`; golden
    /// `annual_rr_wald_ci_normal`).
    public var normalWaldInterval: RatioInterval

    /// The Poisson fit with the scaled covariance (kept for forecasts).
    let fit: LogLinearFit
}

extension QuasiPoissonTrendFit {
    /// Scales the Poisson fit. Fails with ``CountModelNote/noResidualVariation`` when
    /// `X² ≤ 10⁻²⁰·Σy` (the counts lie on the fitted curve, e.g. a constant series: φ̂ = 0 and the
    /// t statistics are 0/0).
    static func make(
        _ poisson: PoissonTrendFit, total: Double, confidence: Double
    ) -> Result<QuasiPoissonTrendFit, CountModelFailure> {
        guard poisson.pearsonChiSquare > 1e-20 * total else {
            return .failure(CountModelFailure(.noResidualVariation))
        }
        return .success(QuasiPoissonTrendFit(poisson: poisson, confidence: confidence))
    }

    private init(poisson: PoissonTrendFit, confidence: Double) {
        let phi = poisson.dispersion
        dispersion = phi
        let df = poisson.residualDegreesOfFreedom
        residualDegreesOfFreedom = df
        intercept = .studentT(poisson.intercept.estimate, standardError: poisson.intercept.standardError * phi.squareRoot(), degreesOfFreedom: df)
        slope = .studentT(poisson.slope.estimate, standardError: poisson.slope.standardError * phi.squareRoot(), degreesOfFreedom: df)
        let v = poisson.covariance
        covariance = CoefficientCovariance(intercept: v.intercept * phi, interceptSlope: v.interceptSlope * phi, slope: v.slope * phi)
        var fit = poisson.fit
        let centred = fit.centredCovariance
        fit.centredCovariance = CoefficientCovariance(
            intercept: centred.intercept * phi, interceptSlope: centred.interceptSlope * phi, slope: centred.slope * phi)
        self.fit = fit
        annualRateRatio = poisson.annualRateRatio
        let alphaHalf = (1 - confidence) / 2
        let t = StudentTDistribution.quantile(alphaHalf, degreesOfFreedom: Double(df), upperTail: true)
        let z = NormalDistribution.upperQuantile(alphaHalf)
        let estimate = slope.estimate
        let se = slope.standardError
        waldInterval = .wald(estimate, standardError: se, quantile: t)
        normalWaldInterval = .wald(estimate, standardError: se, quantile: z)
    }
}

extension CoefficientEstimate {
    /// Estimate with a t test on `degreesOfFreedom`: `t = estimate/se`, `p = 2·P(T > |t|)`.
    static func studentT(_ estimate: Double, standardError: Double, degreesOfFreedom: Int) -> CoefficientEstimate {
        let t = estimate / standardError
        return CoefficientEstimate(
            estimate: estimate, standardError: standardError, statistic: t,
            pValue: min(1, StudentTDistribution.twoSidedPValue(t, degreesOfFreedom: Double(degreesOfFreedom))))
    }
}

/// Overdispersion check of the Poisson fit (METHODS §6.4): Pearson and deviance goodness-of-fit
/// tests on `n − 2` degrees of freedom.
public struct OverdispersionCheck: Sendable, Hashable {
    /// Pearson `X²` of the Poisson fit.
    public var pearsonChiSquare: Double
    /// Deviance of the Poisson fit.
    public var deviance: Double
    /// `n − 2`.
    public var degreesOfFreedom: Int
    /// `φ̂ = X²/(n − 2)`.
    public var dispersion: Double
    /// `P(χ²_{n−2} ≥ X²)` (golden `p_pearson_upper`).
    public var pearsonPValue: Double
    /// `P(χ²_{n−2} ≥ D)` (golden `deviance_p_upper`).
    public var deviancePValue: Double

    init(poisson: PoissonTrendFit) {
        pearsonChiSquare = poisson.pearsonChiSquare
        deviance = poisson.deviance
        degreesOfFreedom = poisson.residualDegreesOfFreedom
        dispersion = poisson.dispersion
        let df = Double(poisson.residualDegreesOfFreedom)
        pearsonPValue = ChiSquaredDistribution.survival(poisson.pearsonChiSquare, degreesOfFreedom: df)
        deviancePValue = ChiSquaredDistribution.survival(poisson.deviance, degreesOfFreedom: df)
    }
}
