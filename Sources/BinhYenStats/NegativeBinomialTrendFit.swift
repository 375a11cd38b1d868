#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Negative binomial (NB2) log-linear trend, `Var(Y) = μ + μ²/θ`, `log μ_t = β₀ + β₁·t + offset_t`,
/// with maximum-likelihood θ — compatible with MASS 7.3 `glm.nb` (METHODS §6.3).
///
/// Fitted by alternating IRLS for β at fixed θ and Newton's method for θ at fixed μ, from the
/// Poisson fit and MASS's start `θ₀ = n/Σ(y/μ − 1)²`, until
/// `|Δℓ|/√(2·max(1, n − 2)) + |Δθ|/θ < ε`. Standard errors of β come from the IRLS at fixed θ̂
/// (MASS convention; statsmodels' `NegativeBinomial` uses the joint Hessian of (β, α) and
/// reports slightly larger values). Built by ``CountTrend/analyze(_:model:options:)``; when θ̂
/// would exceed ``CountTrend/thetaLimit`` (no overdispersion) there is no fit and the analysis
/// falls back to Poisson.
public struct NegativeBinomialTrendFit: Sendable, Hashable {
    /// Intercept `β₀` (log expected count, per unit population with an offset, in the first
    /// year) with its Wald z test.
    public var intercept: CoefficientEstimate
    /// Slope `β₁` per year with its Wald z test (SPEC `model_p` when NB is the model).
    public var slope: CoefficientEstimate
    /// `(XᵀWX)⁻¹` with `W = μ/(1 + μ/θ̂)` at the fitted means.
    public var covariance: CoefficientCovariance
    /// Shape θ̂ (SPEC field `theta`); `Var(Y) = μ + μ²/θ`.
    public var theta: Double
    /// `1/√I(θ̂)` with `I` the observed information of θ at the fitted means (MASS `SE.theta`).
    public var thetaStandardError: Double
    /// `α = 1/θ̂` (statsmodels' parameter).
    public var alpha: Double
    /// `ℓ = Σ log dnbinom(y; θ̂, μ)`.
    public var logLikelihood: Double
    /// `AIC = −2ℓ + 2·3` (two coefficients and θ).
    public var aic: Double
    /// Deviance `2Σ[y·log(y/μ) − (y + θ)·log((y + θ)/(μ + θ))]`.
    public var deviance: Double
    /// Number of alternations (IRLS + θ update) until convergence.
    public var alternations: Int
    /// Fitted means `μ_t`, in year order.
    public var fittedMeans: [Double]
    /// Annual rate ratio `exp(β̂₁)`.
    public var annualRateRatio: Double
    /// Wald interval `exp(β̂₁ ± z·se)`.
    public var waldInterval: RatioInterval

    /// The underlying centred fit (kept for forecasts).
    let fit: LogLinearFit
}

extension NegativeBinomialTrendFit {
    /// Fits NB2 starting from the Poisson fit. Fails with ``CountModelNote/noOverdispersion``
    /// when θ̂ exceeds ``CountTrend/thetaLimit`` and with
    /// ``CountModelNote/negativeBinomialDidNotConverge`` when the alternation or a θ solve fails.
    static func make(
        _ series: CountSeries, poisson: LogLinearFit, options: CountTrendOptions
    ) -> Result<NegativeBinomialTrendFit, CountModelFailure> {
        var means = poisson.means
        var theta: Double
        switch ThetaMaximumLikelihood.solve(counts: series.counts, means: means) {
        case .estimate(let value): theta = value
        case .unbounded: return .failure(CountModelFailure(.noOverdispersion))
        case .failed: return .failure(CountModelFailure(.negativeBinomialDidNotConverge))
        }
        var logLikelihood = Self.logLikelihood(series.integerCounts, means, theta: theta)
        let likelihoodScale = (2 * Double(max(1, series.count - 2))).squareRoot()
        for alternation in 1...options.maximumIterations {
            let fit: LogLinearFit
            switch LogLinearFitting.fit(series, theta: theta, start: means, options: options) {
            case .success(let value): fit = value
            case .failure: return .failure(CountModelFailure(.negativeBinomialDidNotConverge))
            }
            means = fit.means
            let newTheta: Double
            switch ThetaMaximumLikelihood.solve(counts: series.counts, means: means) {
            case .estimate(let value): newTheta = value
            case .unbounded: return .failure(CountModelFailure(.noOverdispersion))
            case .failed: return .failure(CountModelFailure(.negativeBinomialDidNotConverge))
            }
            let newLogLikelihood = Self.logLikelihood(series.integerCounts, means, theta: newTheta)
            let change = abs(newLogLikelihood - logLikelihood) / likelihoodScale + abs(newTheta - theta) / newTheta
            theta = newTheta
            logLikelihood = newLogLikelihood
            if change < options.convergenceTolerance {
                let (polished, polishedTheta) = JointNewtonPolish.refine(series, fit: fit, theta: theta)
                guard polishedTheta <= CountTrend.thetaLimit else { return .failure(CountModelFailure(.noOverdispersion)) }
                return NegativeBinomialTrendFit(
                    series: series, fit: polished, theta: polishedTheta,
                    logLikelihood: Self.logLikelihood(series.integerCounts, polished.means, theta: polishedTheta),
                    alternations: alternation, confidence: options.confidence)
                    .map { .success($0) } ?? .failure(CountModelFailure(.negativeBinomialDidNotConverge))
            }
        }
        return .failure(CountModelFailure(.negativeBinomialDidNotConverge))
    }

    /// Final quantities at (β̂, θ̂): covariance with the weights of θ̂, θ's information.
    /// `nil` if the information matrix or the θ information is not positive.
    private init?(
        series: CountSeries, fit: LogLinearFit, theta: Double, logLikelihood: Double,
        alternations: Int, confidence: Double
    ) {
        var fit = fit
        guard let covariance = LogLinearFitting.inverseInformation(series, means: fit.means, theta: theta) else { return nil }
        fit.centredCovariance = covariance
        fit.deviance = LogLinearFitting.deviance(series.counts, fit.means, theta: theta)
        let information = ThetaMaximumLikelihood.information(counts: series.counts, means: fit.means, theta: theta)
        guard information > 0 else { return nil }
        self.fit = fit
        self.covariance = fit.uncentredCovariance(timeCentre: series.timeCentre)
        intercept = .wald(fit.centredIntercept - fit.slope * series.timeCentre, standardError: self.covariance.intercept.squareRoot())
        slope = .wald(fit.slope, standardError: self.covariance.slope.squareRoot())
        self.theta = theta
        thetaStandardError = 1 / information.squareRoot()
        alpha = 1 / theta
        self.logLikelihood = logLikelihood
        aic = -2 * logLikelihood + 6
        deviance = fit.deviance
        self.alternations = alternations
        fittedMeans = fit.means
        annualRateRatio = exp(fit.slope)
        let z = NormalDistribution.upperQuantile((1 - confidence) / 2)
        waldInterval = .wald(fit.slope, standardError: slope.standardError, quantile: z)
    }

    /// `Σ log dnbinom(y; θ, μ)` (MASS `glm.nb`'s `loglik`).
    static func logLikelihood(_ counts: [Int], _ means: [Double], theta: Double) -> Double {
        zip(counts, means).reduce(0) { sum, pair in
            sum + NegativeBinomialDistribution.logProbability(of: pair.0, size: theta, mean: pair.1)
        }
    }
}

/// Final joint Newton steps on `(β₀ᶜ, β₁, log θ)` with the observed information.
///
/// IRLS for NB2 with the log link is Fisher scoring on a non-canonical link and the alternation
/// with θ is a block iteration: both converge only linearly, so stopping on the deviance and
/// likelihood changes at ε = 1e-10 leaves errors of ~1e-8 in β (measured; MASS's own results
/// at its default ε = 1e-8 are further off). Newton on the full likelihood converges
/// quadratically from there; a step is kept only if the log-likelihood does not drop (beyond
/// rounding), and the polish stops after a relative step below 1e-14 or eight steps. If the
/// observed information is not positive definite the input is returned unchanged.
enum JointNewtonPolish {
    static func refine(_ series: CountSeries, fit: LogLinearFit, theta: Double) -> (fit: LogLinearFit, theta: Double) {
        var current = fit
        var currentTheta = theta
        var logLikelihood = NegativeBinomialTrendFit.logLikelihood(series.integerCounts, current.means, theta: currentTheta)
        for _ in 0..<8 {
            guard let step = newtonStep(series, means: current.means, theta: currentTheta) else { break }
            let intercept = current.centredIntercept + step.intercept
            let slope = current.slope + step.slope
            let newTheta = currentTheta * exp(step.logTheta)
            var means = [Double](repeating: 0, count: series.count)
            for index in 0..<series.count {
                means[index] = exp(intercept + slope * series.centredTimes[index] + series.offsets[index])
            }
            guard newTheta > 0, newTheta.isFinite, means.allSatisfy({ $0 > 0 && $0.isFinite }) else { break }
            let newLogLikelihood = NegativeBinomialTrendFit.logLikelihood(series.integerCounts, means, theta: newTheta)
            guard newLogLikelihood >= logLikelihood - 1e-12 * max(1, abs(logLikelihood)) else { break }
            current.centredIntercept = intercept
            current.slope = slope
            current.means = means
            currentTheta = newTheta
            logLikelihood = newLogLikelihood
            let scale = max(1, abs(intercept))
            if abs(step.intercept) <= 1e-14 * scale, abs(step.slope) <= 1e-14 * max(1e-3, abs(slope)), abs(step.logTheta) <= 1e-14 {
                break
            }
        }
        return (current, currentTheta)
    }

    /// Newton step `N⁻¹g` for `(β₀ᶜ, β₁, ψ = log θ)`: per observation, with `d = θ + μ`,
    /// `∂ℓ/∂η = θ(y − μ)/d`, `−∂²ℓ/∂η² = θμ(θ + y)/d²`, `∂²ℓ/∂η∂θ = (y − μ)μ/d²`; in ψ,
    /// `∂ℓ/∂ψ = θU`, `−∂²ℓ/∂ψ² = θ²I − θU`, `−∂²ℓ/∂η∂ψ = −θ(y − μ)μ/d²`. `nil` when the negative
    /// Hessian is not (numerically) positive definite.
    private static func newtonStep(_ series: CountSeries, means: [Double], theta: Double) -> (intercept: Double, slope: Double, logTheta: Double)? {
        var information = Matrix(rows: 3, columns: 3)
        var gradient = Matrix(rows: 3, columns: 1)
        for index in 0..<series.count {
            let mean = means[index]
            let count = series.counts[index]
            let time = series.centredTimes[index]
            let denominator = theta + mean
            let score = theta * (count - mean) / denominator
            let weight = theta * mean * (theta + count) / (denominator * denominator)
            let cross = -theta * (count - mean) * mean / (denominator * denominator)
            gradient[0, 0] += score
            gradient[1, 0] += score * time
            information[0, 0] += weight
            information[0, 1] += weight * time
            information[1, 1] += weight * time * time
            information[0, 2] += cross
            information[1, 2] += cross * time
        }
        let thetaScore = ThetaMaximumLikelihood.score(counts: series.counts, means: means, theta: theta)
        let thetaInformation = ThetaMaximumLikelihood.information(counts: series.counts, means: means, theta: theta)
        gradient[2, 0] = theta * thetaScore
        information[2, 2] = theta * theta * thetaInformation - theta * thetaScore
        information[1, 0] = information[0, 1]
        information[2, 0] = information[0, 2]
        information[2, 1] = information[1, 2]
        guard let step = try? LinearAlgebra.solveSymmetricPositiveDefinite(information, gradient), step.isFinite else { return nil }
        return (step[0, 0], step[1, 0], step[2, 0])
    }
}

/// Maximum-likelihood θ of NB2 at fixed means (MASS `theta.ml`), solved to full precision.
///
/// Score `U(θ) = Σ[ψ(θ+y) − ψ(θ) + log θ + 1 − log(θ+μ) − (y+θ)/(μ+θ)]`, rewritten as
/// `Σ[(ψ(θ+y) − log(θ+y)) − (ψ(θ) − log θ) + log1p(d) − d]`, `d = (y − μ)/(θ + μ)`, and information
/// `I(θ) = Σ[ψ'(θ) − 1/θ − (ψ'(θ+y) − 1/(θ+y)) − (y − μ)²/((θ+y)(θ+μ)²)]` — algebraically MASS's
/// formulas, but free of the cancellation that makes them useless for θ ≳ 10⁴.
/// `U(0⁺) = +∞` whenever some `y > 0`, and `U(θ) ≈ Σ[y − (y − μ)²]/(2θ²)` for large θ, so:
/// if `U(θ_max) > 0` at ``CountTrend/thetaLimit`` the estimate exceeds the limit (no
/// overdispersion); otherwise the first sign change above MASS's start value is bracketed
/// (factors of 16) and solved by safeguarded Newton in `log θ`.
enum ThetaMaximumLikelihood {
    enum Outcome: Equatable {
        case estimate(Double)
        case unbounded
        case failed
    }

    static func solve(counts: [Double], means: [Double]) -> Outcome {
        let limit = CountTrend.thetaLimit
        let upperScore = score(counts: counts, means: means, theta: limit)
        guard upperScore.isFinite else { return .failed }
        if upperScore > 0 { return .unbounded }
        // MASS's moment start n/Σ(y/μ − 1)², kept inside (1e-8, limit].
        let moments = zip(counts, means).reduce(0) { sum, pair in
            let ratio = pair.0 / pair.1 - 1
            return sum + ratio * ratio
        }
        let start = Double(counts.count) / moments
        var low = start.isFinite ? min(max(start, 1e-8), limit) : 1
        var attempts = 0
        while !(score(counts: counts, means: means, theta: low) > 0) {
            attempts += 1
            if attempts > 40 { return .failed }
            low /= 16
        }
        var high = low
        while true {
            high = min(high * 16, limit)
            let value = score(counts: counts, means: means, theta: high)
            if value == 0 { return .estimate(high) }
            if value < 0 { break }
            low = high
        }
        let root = RootFinding.safeguardedNewton(
            lower: log(low), upper: log(high), start: log(low), increasing: false, relativeStep: 1e-12
        ) { logTheta in
            let theta = exp(logTheta)
            return (score(counts: counts, means: means, theta: theta), -theta * information(counts: counts, means: means, theta: theta))
        }
        guard let root else { return .failed }
        let theta = exp(root)
        guard theta.isFinite, theta > 0, theta <= limit else { return theta > limit ? .unbounded : .failed }
        return .estimate(theta)
    }

    /// `U(θ) = ∂ℓ/∂θ` at fixed means, in the cancellation-free form.
    static func score(counts: [Double], means: [Double], theta: Double) -> Double {
        let base = SpecialFunctions.digammaMinusLog(theta)
        var sum = 0.0
        for (count, mean) in zip(counts, means) {
            let relative = (count - mean) / (theta + mean)
            sum += SpecialFunctions.digammaMinusLog(theta + count) - base + log1pMinusIdentity(relative)
        }
        return sum
    }

    /// `I(θ) = −∂²ℓ/∂θ²` at fixed means (MASS `theta.ml`'s `info`).
    static func information(counts: [Double], means: [Double], theta: Double) -> Double {
        let base = SpecialFunctions.trigammaMinusReciprocal(theta)
        var sum = 0.0
        for (count, mean) in zip(counts, means) {
            let residual = count - mean
            sum += base - SpecialFunctions.trigammaMinusReciprocal(theta + count)
                - residual * residual / ((theta + count) * (theta + mean) * (theta + mean))
        }
        return sum
    }

    /// `log(1 + d) − d` for `d > −1`, by its series `−d²/2 + d³/3 − …` when `|d| < 0.1`.
    static func log1pMinusIdentity(_ d: Double) -> Double {
        guard abs(d) < 0.1 else { return log1p(d) - d }
        var power = d * d
        var sum = 0.0
        var index = 2.0
        var sign = -1.0
        while index < 40 {
            let term = sign * power / index
            sum += term
            if abs(term) <= 1e-17 * abs(sum) { break }
            power *= d
            sign = -sign
            index += 1
        }
        return sum
    }
}
