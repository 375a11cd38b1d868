#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A converged fit of `log μ_t = β₀ᶜ + β₁·(t − t̄) + offset_t` (centred time, so the two
/// columns of the design are nearly orthogonal whatever the years are).
struct LogLinearFit: Sendable, Hashable {
    /// Intercept at the centre `t̄`.
    var centredIntercept: Double
    /// Slope per year.
    var slope: Double
    /// Fitted means `μ_t`.
    var means: [Double]
    /// Deviance of the family the fit was made for.
    var deviance: Double
    /// IRLS iterations used.
    var iterations: Int
    /// `(XᶜᵀWXᶜ)⁻¹` at the final means: variances of the centred intercept and of the slope,
    /// and their covariance (the two are uncorrelated up to the weighting).
    var centredCovariance: CoefficientCovariance

    /// Converts the centred covariance to the parameterisation with the intercept at the first
    /// year (`β₀ = β₀ᶜ − β₁·t̄`).
    func uncentredCovariance(timeCentre centre: Double) -> CoefficientCovariance {
        let v = centredCovariance
        return CoefficientCovariance(
            intercept: v.intercept - 2 * centre * v.interceptSlope + centre * centre * v.slope,
            interceptSlope: v.interceptSlope - centre * v.slope,
            slope: v.slope
        )
    }
}

/// Iteratively reweighted least squares for the log-linear Poisson and NB2 (fixed θ) models,
/// following R `glm.fit`: working response `z = η − offset + (y − μ)/μ`, weights
/// `W = μ` (Poisson) or `μ/(1 + μ/θ)` (NB2), each step a QR least-squares solve (LAPACK `dgels`
/// through ``LinearAlgebra/leastSquares(_:_:minimumReciprocalCondition:)``), convergence when
/// `|D − D_old|/(|D| + 0.1) < ε`, step halving towards the previous coefficients when the
/// deviance or a mean is not finite and positive. The covariance is the inverse of the
/// information `XᵀWX` at the final means (R uses the weights of the last iteration's start;
/// the two agree to the convergence tolerance).
enum LogLinearFitting {
    /// Fits the model for `series`, NB2 with shape `theta` or Poisson when `theta` is `nil`,
    /// starting from the means `start` (R: `mustart = y + 0.1` for Poisson, the previous fit for
    /// NB).
    static func fit(
        _ series: CountSeries, theta: Double?, start: [Double], options: CountTrendOptions
    ) -> Result<LogLinearFit, CountModelFailure> {
        var means = start
        var linearPredictor = start.map { log($0) }
        var previousDeviance = deviance(series.counts, means, theta: theta)
        var previousCoefficients: (intercept: Double, slope: Double)?
        for iteration in 1...options.maximumIterations {
            guard var coefficients = weightedLeastSquaresStep(series, means: means, linearPredictor: linearPredictor, theta: theta) else {
                return .failure(CountModelFailure(.numericallySingular))
            }
            var candidate = evaluate(series, coefficients, theta: theta)
            if candidate == nil {
                // R: "step size truncated due to divergence" — halve towards the previous step.
                guard let previous = previousCoefficients else { return .failure(CountModelFailure(.numericallySingular)) }
                for _ in 0..<options.maximumIterations where candidate == nil {
                    coefficients = ((coefficients.intercept + previous.intercept) / 2, (coefficients.slope + previous.slope) / 2)
                    candidate = evaluate(series, coefficients, theta: theta)
                }
            }
            guard let (newMeans, newPredictor, newDeviance) = candidate else {
                return .failure(CountModelFailure(.numericallySingular))
            }
            means = newMeans
            linearPredictor = newPredictor
            if abs(newDeviance - previousDeviance) / (abs(newDeviance) + 0.1) < options.convergenceTolerance {
                guard let covariance = inverseInformation(series, means: means, theta: theta) else {
                    return .failure(CountModelFailure(.numericallySingular))
                }
                return .success(LogLinearFit(
                    centredIntercept: coefficients.intercept, slope: coefficients.slope, means: means,
                    deviance: newDeviance, iterations: iteration, centredCovariance: covariance))
            }
            previousDeviance = newDeviance
            previousCoefficients = coefficients
        }
        return .failure(CountModelFailure(.fitDidNotConverge))
    }

    /// IRLS weight `μ/(1 + μ/θ)` (NB2) or `μ` (Poisson).
    static func weight(mean: Double, theta: Double?) -> Double {
        guard let theta else { return mean }
        return mean / (1 + mean / theta)
    }

    /// Deviance `2Σ[y·log(y/μ) − (y − μ)]` (Poisson) or
    /// `2Σ[y·log(y/μ) − (y + θ)·log((y + θ)/(μ + θ))]` (NB2, R `negative.binomial()$dev.resids`),
    /// each unit written as `bd0(y, μ)` resp. `bd0(y, μ) − bd0(y + θ, μ + θ)` so that nothing
    /// cancels when `y ≈ μ` or θ is large.
    static func deviance(_ counts: [Double], _ means: [Double], theta: Double?) -> Double {
        var sum = 0.0
        for (count, mean) in zip(counts, means) {
            if count == 0 {
                sum += theta.map { $0 * log1p(mean / $0) } ?? mean
            } else if let theta {
                sum += SpecialFunctions.binomialDeviance(count, mean)
                    - SpecialFunctions.binomialDeviance(count + theta, mean + theta)
            } else {
                sum += SpecialFunctions.binomialDeviance(count, mean)
            }
        }
        return 2 * sum
    }

    /// One weighted least-squares solve of the working response on the centred design.
    private static func weightedLeastSquaresStep(
        _ series: CountSeries, means: [Double], linearPredictor: [Double], theta: Double?
    ) -> (intercept: Double, slope: Double)? {
        let n = series.count
        var design = Matrix(rows: n, columns: 2)
        var response = Matrix(rows: n, columns: 1)
        for index in 0..<n {
            let mean = means[index]
            let root = weight(mean: mean, theta: theta).squareRoot()
            let working = linearPredictor[index] - series.offsets[index] + (series.counts[index] - mean) / mean
            design[index, 0] = root
            design[index, 1] = root * series.centredTimes[index]
            response[index, 0] = root * working
        }
        guard let solution = try? LinearAlgebra.leastSquares(design, response) else { return nil }
        let intercept = solution.coefficients[0, 0]
        let slope = solution.coefficients[1, 0]
        guard intercept.isFinite, slope.isFinite else { return nil }
        return (intercept, slope)
    }

    /// Means, linear predictor and deviance at `coefficients`; `nil` if a mean is 0 or not
    /// finite or the deviance is not finite (R's `validmu` and divergence checks).
    private static func evaluate(
        _ series: CountSeries, _ coefficients: (intercept: Double, slope: Double), theta: Double?
    ) -> (means: [Double], linearPredictor: [Double], deviance: Double)? {
        var means = [Double](repeating: 0, count: series.count)
        var predictor = [Double](repeating: 0, count: series.count)
        for index in 0..<series.count {
            let eta = coefficients.intercept + coefficients.slope * series.centredTimes[index] + series.offsets[index]
            let mean = exp(eta)
            guard mean > 0, mean.isFinite else { return nil }
            predictor[index] = eta
            means[index] = mean
        }
        let value = deviance(series.counts, means, theta: theta)
        guard value.isFinite else { return nil }
        return (means, predictor, value)
    }

    /// `(XᶜᵀWXᶜ)⁻¹` at `means` by Cholesky (LAPACK `dposv` with a condition check).
    static func inverseInformation(_ series: CountSeries, means: [Double], theta: Double?) -> CoefficientCovariance? {
        var information = Matrix(rows: 2, columns: 2)
        for index in 0..<series.count {
            let w = weight(mean: means[index], theta: theta)
            let time = series.centredTimes[index]
            information[0, 0] += w
            information[0, 1] += w * time
            information[1, 1] += w * time * time
        }
        information[1, 0] = information[0, 1]
        guard let inverse = try? LinearAlgebra.solveSymmetricPositiveDefinite(information, Matrix.identity(2)),
              inverse.isFinite, inverse[0, 0] > 0, inverse[1, 1] > 0
        else { return nil }
        return CoefficientCovariance(intercept: inverse[0, 0], interceptSlope: inverse[0, 1], slope: inverse[1, 1])
    }
}
