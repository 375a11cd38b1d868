#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Poisson log-linear trend `log μ_t = β₀ + β₁·t + log(population_t)`, `t = year − first year`
/// (missing years keep their true `t`), fitted by maximum likelihood — R 4.2.2
/// `glm(y ~ t + offset(log(pop)), family = poisson)` conventions (METHODS §6.1).
///
/// `exp(β₁)` is the annual rate ratio (`annual_rr` in SPEC §6), `100·(exp(β₁) − 1)` the % change
/// per year. Built by ``CountTrend/analyze(_:model:options:)``.
public struct PoissonTrendFit: Sendable, Hashable {
    /// Intercept `β₀`: log of the expected count (per unit of population with an offset) in the
    /// first year, with its Wald z test.
    public var intercept: CoefficientEstimate
    /// Slope `β₁` per year (log rate ratio), Wald `z = β̂₁/se`, `p = 2Φ(−|z|)`.
    public var slope: CoefficientEstimate
    /// `(XᵀWX)⁻¹` at the fitted means (R `vcov`).
    public var covariance: CoefficientCovariance
    /// Deviance `D = 2Σ[y·log(y/μ) − (y − μ)]`.
    public var deviance: Double
    /// Deviance of the intercept-only model with the same offset.
    public var nullDeviance: Double
    /// Pearson `X² = Σ(y − μ)²/μ`.
    public var pearsonChiSquare: Double
    /// Residual degrees of freedom `n − 2`.
    public var residualDegreesOfFreedom: Int
    /// Pearson dispersion `φ̂ = X²/(n − 2)` (SPEC field `dispersion`); > 1 suggests overdispersion.
    public var dispersion: Double
    /// Log-likelihood `Σ log dpois(y, μ)`.
    public var logLikelihood: Double
    /// `AIC = −2ℓ + 4` (R `AIC`).
    public var aic: Double
    /// IRLS iterations used.
    public var iterations: Int
    /// Fitted means `μ_t`, in year order.
    public var fittedMeans: [Double]
    /// Annual rate ratio `exp(β̂₁)`.
    public var annualRateRatio: Double
    /// `100·(exp(β̂₁) − 1)`, % change per year.
    public var percentChangePerYear: Double
    /// Wald interval `exp(β̂₁ ± z·se)`.
    public var waldInterval: RatioInterval
    /// Profile-likelihood interval for the annual rate ratio, solved exactly: the two roots of
    /// `2(ℓ̂ − ℓ_p(β₁)) = χ²₁(conf)` with the closed-form profile
    /// `β₀(β₁) = log(Σy / Σ exp(β₁t + offset))` (golden `annual_rr_profile_ci_exact`; MASS
    /// `confint.glm` interpolates a spline through a profile grid and agrees to ~1e-4 only).
    /// `nil` only if the root search fails (note ``CountModelNote/profileIntervalUnavailable``).
    public var profileInterval: RatioInterval?

    /// The underlying centred fit (kept for forecasts).
    let fit: LogLinearFit
}

extension PoissonTrendFit {
    /// Fits the Poisson model to a validated series.
    static func make(_ series: CountSeries, options: CountTrendOptions) -> Result<PoissonTrendFit, CountModelFailure> {
        let start = series.counts.map { $0 + 0.1 }
        return LogLinearFitting.fit(series, theta: nil, start: start, options: options).map { fit in
            PoissonTrendFit(series: series, fit: fit, confidence: options.confidence)
        }
    }

    private init(series: CountSeries, fit: LogLinearFit, confidence: Double) {
        self.fit = fit
        let covariance = fit.uncentredCovariance(timeCentre: series.timeCentre)
        self.covariance = covariance
        let interceptEstimate = fit.centredIntercept - fit.slope * series.timeCentre
        intercept = .wald(interceptEstimate, standardError: covariance.intercept.squareRoot())
        slope = .wald(fit.slope, standardError: covariance.slope.squareRoot())
        let means = fit.means
        deviance = fit.deviance
        nullDeviance = LogLinearFitting.deviance(series.counts, Self.interceptOnlyMeans(series), theta: nil)
        pearsonChiSquare = zip(series.counts, means).reduce(0) { sum, pair in
            let residual = pair.0 - pair.1
            return sum + residual * residual / pair.1
        }
        residualDegreesOfFreedom = series.count - 2
        dispersion = pearsonChiSquare / Double(residualDegreesOfFreedom)
        logLikelihood = zip(series.integerCounts, means).reduce(0) { sum, pair in
            sum + PoissonDistribution.logProbability(of: pair.0, mean: pair.1)
        }
        aic = -2 * logLikelihood + 4
        iterations = fit.iterations
        fittedMeans = means
        annualRateRatio = exp(fit.slope)
        percentChangePerYear = 100 * expm1(fit.slope)
        let z = NormalDistribution.upperQuantile((1 - confidence) / 2)
        waldInterval = .wald(fit.slope, standardError: slope.standardError, quantile: z)
        profileInterval = PoissonProfileLikelihood(series: series, slope: fit.slope, standardError: slope.standardError)
            .rateRatioInterval(criticalValue: z * z)
    }

    /// Means of the intercept-only model with the same offsets: `Σy · e^{o_t}/Σ e^{o_s}`.
    private static func interceptOnlyMeans(_ series: CountSeries) -> [Double] {
        let largest = series.offsets.max() ?? 0
        let shares = series.offsets.map { exp($0 - largest) }
        let sum = shares.reduce(0, +)
        return shares.map { series.total * $0 / sum }
    }
}

extension RatioInterval {
    /// `[exp(estimate − q·se), exp(estimate + q·se)]`; the upper end is `nil` (+∞) if it overflows.
    static func wald(_ estimate: Double, standardError: Double, quantile: Double) -> RatioInterval {
        let upper = exp(estimate + quantile * standardError)
        return RatioInterval(lower: exp(estimate - quantile * standardError), upper: upper.isFinite ? upper : nil)
    }
}

extension CoefficientEstimate {
    /// Estimate with its Wald z test: `z = estimate/se`, `p = 2Φ(−|z|)` (computed from the tail,
    /// so p keeps its precision far below 1e-16).
    static func wald(_ estimate: Double, standardError: Double) -> CoefficientEstimate {
        let z = estimate / standardError
        return CoefficientEstimate(
            estimate: estimate, standardError: standardError, statistic: z,
            pValue: min(1, 2 * NormalDistribution.cdf(-abs(z))))
    }
}

/// The profile log-likelihood of the Poisson slope (intercept maximised out in closed form):
/// `ℓ_p(β₁) = β₁·Σy_t t_t − Σy·log Σ_t exp(β₁t_t + o_t) + const`.
///
/// Written around its maximum `β̃₁`: with the fitted shares `π̃_t ∝ exp(β̃₁t_t + o_t)` and
/// `d_t = t_t − Σy_s t_s/Σy`, `2(ℓ_p(β̃₁) − ℓ_p(β̃₁ + δ)) = 2Σy·K(δ)`, `K(δ) = log Σ π̃_t e^{δ d_t}` —
/// a cumulant generating function, evaluated as `log1p(Σ π̃ expm1(δd))` for small `δ` (no
/// cancellation) and by log-sum-exp otherwise.
struct PoissonProfileLikelihood {
    private let total: Double
    private let deviations: [Double]
    private let logShares: [Double]
    private let centre: Double
    private let standardError: Double

    /// Prepares the profile around the IRLS estimate `slope`, polished to the exact profile
    /// maximum by Newton steps on the profile score `Σy·(t̄_y − E_π[t])`.
    init(series: CountSeries, slope: Double, standardError: Double) {
        total = series.total
        self.standardError = standardError
        let times = series.centredTimes
        let weightedMean = zip(series.counts, times).reduce(0) { $0 + $1.0 * $1.1 } / series.total
        deviations = times.map { $0 - weightedMean }
        var maximum = slope
        for _ in 0..<20 {
            let shares = Self.logShares(times: times, offsets: series.offsets, slope: maximum).map { exp($0) }
            // Score / (Σy) = −E_π[d]; derivative / (Σy) = −Var_π[d].
            let mean = zip(shares, deviations).reduce(0) { $0 + $1.0 * $1.1 }
            let variance = zip(shares, deviations).reduce(0) { $0 + $1.0 * ($1.1 - mean) * ($1.1 - mean) }
            guard variance > 0 else { break }
            let step = -mean / variance
            guard step.isFinite else { break }
            maximum += step
            if abs(step) <= 1e-15 * max(1, abs(maximum)) { break }
        }
        centre = maximum
        logShares = Self.logShares(times: times, offsets: series.offsets, slope: maximum)
    }

    /// `log π_t(β₁)`, the log of `exp(β₁t_t + o_t)/Σ_s exp(β₁t_s + o_s)`.
    private static func logShares(times: [Double], offsets: [Double], slope: Double) -> [Double] {
        let exponents = zip(times, offsets).map { slope * $0 + $1 }
        let largest = exponents.max() ?? 0
        let logSum = largest + log(exponents.reduce(0) { $0 + exp($1 - largest) })
        return exponents.map { $0 - logSum }
    }

    /// `2(ℓ_p(β̃₁) − ℓ_p(β̃₁ + δ))`.
    func likelihoodRatioStatistic(offset delta: Double) -> Double {
        let largestDeviation = deviations.reduce(0) { max($0, abs($1)) }
        let cumulant: Double
        if abs(delta) * largestDeviation <= 0.5 {
            var sum = 0.0
            for (logShare, deviation) in zip(logShares, deviations) {
                sum += exp(logShare) * expm1(delta * deviation)
            }
            cumulant = log1p(sum)
        } else {
            let exponents = zip(logShares, deviations).map { $0 + delta * $1 }
            let largest = exponents.max() ?? 0
            cumulant = largest + log(exponents.reduce(0) { $0 + exp($1 - largest) })
        }
        return 2 * total * cumulant
    }

    /// The interval `{β₁ : 2(ℓ̂ − ℓ_p(β₁)) ≤ criticalValue}` as rate ratios `exp(β₁)`, each end by
    /// Brent's method on a bracket grown from `±2·√critical·se` by doubling; `nil` if an end is
    /// not bracketed within 60 doublings or Brent fails.
    func rateRatioInterval(criticalValue: Double) -> RatioInterval? {
        guard standardError > 0, standardError.isFinite else { return nil }
        let tolerance = 1e-13 * max(standardError, 1e-3)
        func end(direction: Double) -> Double? {
            var reach = 2 * criticalValue.squareRoot() * standardError
            var attempts = 0
            while likelihoodRatioStatistic(offset: direction * reach) < criticalValue {
                attempts += 1
                if attempts > 60 { return nil }
                reach *= 2
            }
            return RootFinding.brent(lower: 0, upper: direction * reach, absoluteTolerance: tolerance) { delta in
                likelihoodRatioStatistic(offset: delta) - criticalValue
            }
        }
        guard let lower = end(direction: -1), let upper = end(direction: 1) else { return nil }
        let lowerRatio = exp(centre + lower)
        let upperRatio = exp(centre + upper)
        guard lowerRatio.isFinite, upperRatio.isFinite else { return nil }
        return RatioInterval(lower: lowerRatio, upper: upperRatio)
    }
}
