#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A predictive distribution of next year's count.
public enum PredictiveCountDistribution: Sendable, Hashable {
    /// `Poisson(mean)`.
    case poisson(mean: Double)
    /// `NB(size, mean)`: variance `mean + mean²/size`.
    case negativeBinomial(size: Double, mean: Double)

    /// The mean.
    public var mean: Double {
        switch self {
        case .poisson(let mean), .negativeBinomial(_, let mean): return mean
        }
    }

    /// The variance.
    public var variance: Double {
        switch self {
        case .poisson(let mean): return mean
        case .negativeBinomial(let size, let mean): return mean + mean * mean / size
        }
    }

    /// `P(Y ≤ k)`; 1 when the mean is 0, 0 when it is +∞ (limits used at extreme quadrature
    /// nodes).
    public func cdf(_ k: Int) -> Double {
        if k < 0 { return 0 }
        if mean == 0 { return 1 }
        if !mean.isFinite { return 0 }
        switch self {
        case .poisson(let mean):
            return PoissonDistribution.cdf(k, mean: mean)
        case .negativeBinomial(let size, let mean):
            return NegativeBinomialDistribution.cdf(k, size: size, mean: mean)
        }
    }

    /// R's discrete quantile (smallest `k` with `P(Y ≤ k) ≥ p`), searched up to `limit`;
    /// `nil` beyond it (checked first, with one evaluation at `limit`) or for `p ≥ 1`.
    func quantile(_ p: Double, limit: Int) -> Int? {
        let mean = self.mean
        guard mean.isFinite else { return nil }
        let variance = self.variance
        let skewness: Double
        switch self {
        case .poisson: skewness = mean > 0 ? 1 / mean.squareRoot() : 0
        case .negativeBinomial(let size, _): skewness = (mean + 2 * mean * mean / size) / (variance * variance.squareRoot())
        }
        return DiscreteQuantile.smallestCount(
            probability: p, mean: mean, variance: variance, skewness: skewness.isFinite ? skewness : 0, limit: limit,
            checkLimitFirst: true
        ) { cdf($0) }
    }
}

/// Forecast of next year's count from a count-trend model (SPEC §6 "forecast"; METHODS §7).
///
/// With `t* = last t + 1`, offset `log(population)` of the forecast year (the last population
/// carried forward unless given), `η̂ = β̂₀ + β̂₁t* + offset`, `se_η = √(x*ᵀVx*)` (V of the model),
/// `μ̂ = e^η̂`:
/// * plug-in predictive distribution — Poisson(μ̂); quasi-Poisson: NB with `size = μ̂/(φ̂ − 1)`
///   (variance `φ̂μ̂`) when `φ̂ > 1`, else Poisson; NB: NB(θ̂, μ̂);
/// * with parameter uncertainty — the mixture over `η ~ N(η̂, se_η²)`,
///   `F_mix(y) = E[F(y | e^η)]`, integrated by 64-point Gauss–Hermite, checked against 96 points
///   with an adaptive Gauss–Kronrod fallback (reproduces R `integrate` to ~1e-9); for
///   quasi-Poisson the NB size follows the mean (`μ/(φ̂ − 1)`).
///
/// Quantiles use R's discrete rule. Fields are `nil` with the reason in ``notes`` when
/// undefined: no model, a target below 0, an interval end beyond ``CountTrend/forecastCountLimit``
/// counts (searching further would cost seconds per quantile) or beyond the double range.
public struct CountForecast: Sendable, Hashable {
    /// The model the forecast comes from; `nil` when there is none.
    public var model: CountTrendModel?
    /// The forecast year (last observed year + 1).
    public var year: Int?
    /// `η̂`, the log of the forecast mean.
    public var linearPredictor: Double?
    /// `se_η`, its standard error.
    public var linearPredictorStandardError: Double?
    /// `μ̂ = e^η̂`, the expected count (SPEC `forecast_mean`).
    public var mean: Double?
    /// `[e^(η̂ − z·se_η), e^(η̂ + z·se_η)]`, the confidence interval of the mean.
    public var meanInterval: ClosedRange<Double>?
    /// The plug-in predictive distribution (parameters fixed at their estimates).
    public var plugInDistribution: PredictiveCountDistribution?
    /// Prediction interval of the plug-in distribution, `[q(α/2), q(1 − α/2)]`.
    public var plugInPredictionInterval: ClosedRange<Int>?
    /// `F(target)` under the plug-in distribution.
    public var plugInProbabilityOfMeetingTarget: Double?
    /// Prediction interval including parameter uncertainty (mixture quantiles; SPEC `pi_lo`,
    /// `pi_hi`).
    public var predictionInterval: ClosedRange<Int>?
    /// The largest count that meets the target (SPEC `target_max`): by default
    /// `⌊19·y_last/20⌋` (at least 5% below the last observed year, integer arithmetic), or
    /// the caller's value.
    public var targetMax: Int?
    /// `P(Y ≤ target_max)` including parameter uncertainty (SPEC `p_meet`).
    public var probabilityOfMeetingTarget: Double?
    /// Why fields are `nil`.
    public var notes: [CountModelNote] = []
}

extension CountTrend {
    /// Largest count the forecast quantile searches consider (10⁸ = 10 × ``maximumCount``).
    public static let forecastCountLimit = 10 * maximumCount
    /// Largest quasi-Poisson dispersion for which forecasts are computed (10⁶). Beyond it the
    /// predictive NB has `size = μ/(φ − 1)` so small that each incomplete-beta evaluation costs
    /// ~√φ continued-fraction terms (60 ms at φ = 10¹⁰), and a variance a million times the
    /// mean leaves nothing to predict.
    public static let maximumForecastDispersion = 1e6
}

extension CountTrendAnalysis {
    /// Forecast of the year after the last observed one.
    ///
    /// - Parameters:
    ///   - model: the fit to use; `nil` or `.auto` for the analysis' ``model``.
    ///   - targetMax: the largest count that meets the target; `nil` for `⌊19·y_last/20⌋`
    ///     (the 5% reduction rule of indicator 19.2). Must be ≥ 0.
    ///   - population: population of the forecast year; `nil` carries the last one forward.
    ///     Ignored when the series has no populations.
    public func forecast(model requested: CountTrendModel? = nil, targetMax: Int? = nil, population: Double? = nil) -> CountForecast {
        var forecast = CountForecast()
        let chosen = (requested == nil || requested == .auto) ? model : requested
        guard let series, let chosen, let source = predictiveSource(for: chosen) else {
            forecast.notes = [.noForecastWithoutModel] + unavailabilityNotes(for: requested)
            return forecast
        }
        forecast.model = chosen
        if case .quasiPoisson(let dispersion) = source.family, dispersion > CountTrend.maximumForecastDispersion {
            forecast.notes.append(.dispersionTooLarge)
            return forecast
        }
        if let targetMax, targetMax < 0 {
            forecast.notes.append(.invalidTarget)
        } else {
            let lastCount = series.integerCounts[series.count - 1]
            // ⌊19·n/20⌋ without forming 19·n, which overflows Int for n above 4.8·10¹⁷.
            forecast.targetMax = targetMax ?? lastCount - (lastCount / 20 + (lastCount % 20 == 0 ? 0 : 1))
        }
        var offset = series.offsets[series.count - 1]
        if series.hasOffset, let population {
            guard population > 0, population.isFinite else {
                forecast.notes.append(.invalidForecastPopulation)
                return forecast
            }
            offset = log(population)
        }
        let year = series.lastYear + 1
        forecast.year = year
        let time = Double(year - series.firstYear) - series.timeCentre
        let fit = source.fit
        let v = fit.centredCovariance
        let eta = fit.centredIntercept + fit.slope * time + offset
        let variance = v.intercept + 2 * time * v.interceptSlope + time * time * v.slope
        let se = variance.squareRoot()
        let mean = exp(eta)
        guard eta.isFinite, se.isFinite, mean.isFinite, mean > 0 else {
            forecast.notes.append(.forecastOutOfRange)
            return forecast
        }
        forecast.linearPredictor = eta
        forecast.linearPredictorStandardError = se
        forecast.mean = mean
        let z = NormalDistribution.upperQuantile((1 - options.confidence) / 2)
        let high = exp(eta + z * se)
        if high.isFinite { forecast.meanInterval = exp(eta - z * se)...high }

        let lowerProbability = (1 - options.confidence) / 2
        let upperProbability = 1 - lowerProbability
        let limit = CountTrend.forecastCountLimit
        let plugIn = source.family.distribution(mean: mean)
        forecast.plugInDistribution = plugIn
        let mixture = PredictiveMixture(family: source.family, linearPredictor: eta, standardError: se)
        if let target = forecast.targetMax {
            forecast.plugInProbabilityOfMeetingTarget = plugIn.cdf(target)
            forecast.probabilityOfMeetingTarget = mixture.cdf(target)
        }
        // Upper ends first: when one is out of range the interval is not reported, and the lower
        // end (then also huge, hence costly) is not searched.
        if let upper = plugIn.quantile(upperProbability, limit: limit), let lower = plugIn.quantile(lowerProbability, limit: upper) {
            forecast.plugInPredictionInterval = lower...upper
        }
        if let upper = mixture.quantile(upperProbability, limit: limit), let lower = mixture.quantile(lowerProbability, limit: upper) {
            forecast.predictionInterval = lower...upper
        }
        if forecast.meanInterval == nil || forecast.plugInPredictionInterval == nil || forecast.predictionInterval == nil {
            forecast.notes.append(.forecastOutOfRange)
        }
        return forecast
    }

    /// The fit and predictive family of `model`, if that fit exists.
    private func predictiveSource(for model: CountTrendModel) -> (fit: LogLinearFit, family: PredictiveFamily)? {
        switch model {
        case .poisson, .auto:
            return poisson.map { ($0.fit, .poisson) }
        case .quasipoisson:
            return quasiPoisson.map { ($0.fit, .quasiPoisson(dispersion: $0.dispersion)) }
        case .negbin:
            return negativeBinomial.map { ($0.fit, .negativeBinomial(theta: $0.theta)) }
        }
    }

    /// The notes explaining why the fit of `requested` is missing.
    private func unavailabilityNotes(for requested: CountTrendModel?) -> [CountModelNote] {
        switch requested {
        case .quasipoisson?: return quasiPoissonUnavailable.map { [$0] } ?? notes
        case .negbin?: return negativeBinomialUnavailable.map { [$0] } ?? notes
        default: return notes
        }
    }
}

/// The family of the predictive distribution of a count model, as a function of its mean.
enum PredictiveFamily: Sendable, Hashable {
    case poisson
    case negativeBinomial(theta: Double)
    case quasiPoisson(dispersion: Double)

    /// Predictive distribution with mean `mean`: Poisson, NB(θ), or for quasi-Poisson NB with
    /// `size = mean/(φ − 1)` when `φ > 1` (variance `φ·mean`), else Poisson.
    func distribution(mean: Double) -> PredictiveCountDistribution {
        switch self {
        case .poisson:
            return .poisson(mean: mean)
        case .negativeBinomial(let theta):
            return .negativeBinomial(size: theta, mean: mean)
        case .quasiPoisson(let dispersion):
            let size = mean / (dispersion - 1)
            guard dispersion > 1, size > 0, size.isFinite else { return .poisson(mean: mean) }
            return .negativeBinomial(size: size, mean: mean)
        }
    }
}

/// The predictive distribution averaged over the normal uncertainty of the linear predictor:
/// `F_mix(y) = ∫ F(y | e^η) φ((η − η̂)/se)/se dη`.
///
/// Computed by the 64-point Gauss–Hermite rule (METHODS §7), checked against the 96-point rule:
/// when the two differ by more than `max(10⁻¹², 10⁻⁹·F)` — the conditional cdf then changes
/// faster in η than the nodes are spaced, which happens when `se_η` is large compared with the
/// predictive spread (e.g. a few years of small counts under quasi-Poisson) — the integral is
/// recomputed by adaptive Gauss–Kronrod over `η̂ ± 12·se_η` (as R's `integrate` in the golden
/// references), to ~1e-11.
struct PredictiveMixture {
    let family: PredictiveFamily
    let linearPredictor: Double
    let standardError: Double

    func cdf(_ k: Int) -> Double {
        let conditional = { (u: Double) in
            family.distribution(mean: exp(linearPredictor + standardError * u)).cdf(k)
        }
        let coarse = GaussHermiteRule.sixtyFourPoint.expectationOverStandardNormal(conditional)
        let fine = GaussHermiteRule.ninetySixPoint.expectationOverStandardNormal(conditional)
        var value = coarse
        if abs(coarse - fine) > max(1e-12, 1e-9 * abs(coarse)) {
            value = AdaptiveGaussKronrod.integrate(from: -12, to: 12) { u in
                conditional(u) * NormalDistribution.density(u)
            }
        }
        return min(1, max(0, value))
    }

    /// R's discrete quantile of the mixture, searched up to `limit` (checked first).
    func quantile(_ p: Double, limit: Int) -> Int? {
        // Starting guess: moments of the mixture (log-normal mean, total variance).
        let spread = standardError * standardError
        let mean = exp(linearPredictor + spread / 2)
        let centre = family.distribution(mean: exp(linearPredictor))
        let variance = centre.variance * exp(spread) + mean * mean * expm1(spread)
        return DiscreteQuantile.smallestCount(
            probability: p, mean: mean.isFinite ? mean : 0, variance: variance.isFinite ? variance : 0, skewness: 0, limit: limit,
            checkLimitFirst: true
        ) { cdf($0) }
    }
}
