#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a log-link Poisson GLM could not be fitted.
public enum PoissonGLMFitError: Error, Sendable, Hashable {
    /// Lengths of response, weights, offset and design rows differ, or there is no observation.
    case dimensionMismatch
    /// A response is negative or not finite, a prior weight negative or not finite, or an offset not finite.
    case invalidInput
    /// Fewer observations with positive weight than coefficients, or collinear design columns.
    case rankDeficient
    /// The fitted means left the valid range (0, ∞) even after step halving.
    case diverged
}

/// A log-link Poisson (or quasi-Poisson: same estimates) GLM fitted exactly as R's `glm.fit`
/// does it, including the state R keeps after the last iteration (METHODS §10.4, "glm.fit
/// emulation"). This is the fit surveillance's Farrington algorithms build on.
///
/// The algorithm (R 4.2.2 `glm.fit`, `family = poisson()`/`quasipoisson()`, default
/// `glm.control(epsilon = 1e-8, maxit = 25)`):
/// 1. start `μ = y + 0.1`, `η = log μ` (the offset is not subtracted at the start), `D_old = D(μ)`;
/// 2. per iteration remember `μ' = μ`, working response `z = η − offset + (y − μ)/μ` and weights
///    `W = ω·μ'` (ω = prior weights); solve the weighted least squares `min ‖W^½(Xβ − z)‖`
///    (QR, LAPACK `dgels`), set `η = Xβ + offset`, `μ = e^η`, `D = D(μ)`; when `D` is not finite
///    or a mean is not in (0, ∞), halve the step towards the previous coefficients (R's
///    "step size truncated due to divergence");
/// 3. stop when `|D − D_old|/(|D| + 0.1) < ε`, or after `maxit` iterations (``converged`` false).
///
/// After the loop R keeps β and μ of the last solve but the weights of that iteration's start,
/// `W = ω·μ'` (`model$weights`); so do ``workingWeights``, ``unscaledCovariance`` `(XᵀWX)⁻¹`,
/// ``hatValues`` and ``dispersion(weights:)``. A fully converged IRLS differs from this by up to
/// ~2e-5 relative in the Farrington golden case; this emulation matches it to ~1e-12.
///
/// Deviance `D = 2 Σ ω_i [y_i log(y_i/μ_i) − (y_i − μ_i)]` (the log term is 0 when `y_i = 0`).
/// Observations with prior weight 0 are left out of the least squares, the residual degrees of
/// freedom and the dispersion, as in R.
public struct PoissonGLMFit: Sendable, Hashable {
    /// `β̂`, one per design column.
    public var coefficients: [Double]
    /// Fitted means `μ = exp(Xβ̂ + offset)` of the last solve.
    public var fittedMeans: [Double]
    /// `ω_i·μ'_i`: prior weights times the means at the start of the last iteration (R `model$weights`).
    public var workingWeights: [Double]
    /// `(XᵀWX)⁻¹` with `W = diag(workingWeights)` (R `summary.glm(...)$cov.unscaled`).
    public var unscaledCovariance: Matrix
    /// Diagonal of `W^½X(XᵀWX)⁻¹XᵀW^½` (R `hatvalues`); 0 for observations with weight 0.
    public var hatValues: [Double]
    /// Deviance at ``fittedMeans``.
    public var deviance: Double
    /// IRLS iterations run.
    public var iterations: Int
    /// Whether the deviance criterion was met within the iteration limit.
    public var converged: Bool
    /// Observations with positive prior weight minus the number of coefficients (R `df.residual`).
    public var residualDegreesOfFreedom: Int
    /// The response.
    public var response: [Double]

    /// The dispersion estimate R's `summary.glm` gives for a quasi family from the weights it
    /// finds in the model object: `Σ weights_i·((y_i − μ_i)/μ_i)² / df` over positive weights.
    /// With ``workingWeights`` this is the Pearson statistic per degree of freedom; surveillance's
    /// farringtonFlexible passes its prior weights instead (METHODS §10.5). `nil` when df ≤ 0.
    public func dispersion(weights: [Double]) -> Double? {
        guard residualDegreesOfFreedom > 0, weights.count == response.count else { return nil }
        var sum = 0.0
        for index in response.indices where weights[index] > 0 {
            let residual = (response[index] - fittedMeans[index]) / fittedMeans[index]
            sum += weights[index] * residual * residual
        }
        return sum / Double(residualDegreesOfFreedom)
    }

    /// `x0ᵀ(XᵀWX)⁻¹x0`: the unscaled variance of the linear predictor at a design row `x0`.
    public func unscaledPredictorVariance(at row: [Double]) -> Double {
        var total = 0.0
        for i in row.indices {
            for j in row.indices {
                total += row[i] * unscaledCovariance[i, j] * row[j]
            }
        }
        return total
    }
}

/// R `glm.fit` for the log-link Poisson family; see ``PoissonGLMFit``.
public enum PoissonGLM {
    /// Fits `log μ = Xβ + offset` to `response` with prior `weights` (nil: all 1) and `offset`
    /// (nil: 0), emulating R `glm.fit` with tolerance `epsilon` and at most `maximumIterations`.
    ///
    /// - Parameter design: `n × p` model matrix (column-major ``Matrix``), e.g. `[1, t]` rows.
    /// - Throws: ``PoissonGLMFitError`` for mismatched or invalid input, a rank-deficient design
    ///   (LAPACK reciprocal condition below `ε·max(n, p)`) or divergence. Not converging is not an
    ///   error: check ``PoissonGLMFit/converged`` (surveillance then refits without the trend).
    public static func fit(design: Matrix, response: [Double], weights: [Double]? = nil, offset: [Double]? = nil,
                           epsilon: Double = 1e-8, maximumIterations: Int = 25) throws(PoissonGLMFitError) -> PoissonGLMFit {
        let n = response.count
        let p = design.columns
        let prior = weights ?? [Double](repeating: 1, count: n)
        let offsets = offset ?? [Double](repeating: 0, count: n)
        guard n > 0, design.rows == n, prior.count == n, offsets.count == n, p > 0 else { throw .dimensionMismatch }
        guard response.allSatisfy({ $0 >= 0 && $0.isFinite }), prior.allSatisfy({ $0 >= 0 && $0.isFinite }),
              offsets.allSatisfy(\.isFinite), design.isFinite else { throw .invalidInput }
        let used = (0..<n).filter { prior[$0] > 0 }
        guard used.count >= p else { throw .rankDeficient }

        var means = response.map { $0 + 0.1 }
        var predictor = means.map { log($0) }
        var previousDeviance = deviance(response, means, prior)
        var startMeans = means
        var coefficients = [Double](repeating: 0, count: p)
        var previousCoefficients: [Double]?
        var iterations = 0
        var converged = false
        for iteration in 1...max(1, maximumIterations) {
            iterations = iteration
            startMeans = means
            var weighted = Matrix(rows: used.count, columns: p)
            var target = Matrix(rows: used.count, columns: 1)
            for (row, index) in used.enumerated() {
                let root = (prior[index] * means[index]).squareRoot()
                let working = predictor[index] - offsets[index] + (response[index] - means[index]) / means[index]
                for column in 0..<p { weighted[row, column] = root * design[index, column] }
                target[row, 0] = root * working
            }
            let solution: LeastSquaresSolution
            do {
                solution = try LinearAlgebra.leastSquares(weighted, target)
            } catch {
                throw .rankDeficient
            }
            var candidate = (0..<p).map { solution.coefficients[$0, 0] }
            var evaluated = evaluate(candidate, design: design, offsets: offsets, response: response, prior: prior)
            if evaluated == nil {
                guard let previous = previousCoefficients else { throw .diverged }
                for _ in 0..<maximumIterations where evaluated == nil {
                    candidate = zip(candidate, previous).map { ($0 + $1) / 2 }
                    evaluated = evaluate(candidate, design: design, offsets: offsets, response: response, prior: prior)
                }
            }
            guard let (newMeans, newPredictor, newDeviance) = evaluated else { throw .diverged }
            coefficients = candidate
            means = newMeans
            predictor = newPredictor
            if abs(newDeviance - previousDeviance) / (abs(newDeviance) + 0.1) < epsilon {
                converged = true
                previousDeviance = newDeviance
                break
            }
            previousDeviance = newDeviance
            previousCoefficients = candidate
        }

        let working = (0..<n).map { prior[$0] * startMeans[$0] }
        var information = Matrix(rows: p, columns: p)
        for index in used {
            for i in 0..<p {
                for j in i..<p {
                    information[i, j] += working[index] * design[index, i] * design[index, j]
                }
            }
        }
        for i in 0..<p { for j in 0..<i { information[i, j] = information[j, i] } }
        let covariance: Matrix
        do {
            covariance = try LinearAlgebra.solveSymmetricPositiveDefinite(information, Matrix.identity(p))
        } catch {
            throw .rankDeficient
        }
        var hat = [Double](repeating: 0, count: n)
        for index in used {
            let row = (0..<p).map { design[index, $0] }
            var quadratic = 0.0
            for i in 0..<p { for j in 0..<p { quadratic += row[i] * covariance[i, j] * row[j] } }
            hat[index] = working[index] * quadratic
        }
        return PoissonGLMFit(coefficients: coefficients, fittedMeans: means, workingWeights: working,
                             unscaledCovariance: covariance, hatValues: hat, deviance: previousDeviance,
                             iterations: iterations, converged: converged,
                             residualDegreesOfFreedom: used.count - p, response: response)
    }

    /// Poisson deviance `2 Σ ω[y log(y/μ) − (y − μ)]`.
    static func deviance(_ response: [Double], _ means: [Double], _ prior: [Double]) -> Double {
        var sum = 0.0
        for index in response.indices {
            let y = response[index]
            let mu = means[index]
            let term = y > 0 ? y * log(y / mu) - (y - mu) : mu
            sum += prior[index] * term
        }
        return 2 * sum
    }

    /// Means, linear predictor and deviance at `coefficients`; nil when a mean is not in (0, ∞)
    /// or the deviance is not finite (R's `validmu` and divergence checks).
    private static func evaluate(_ coefficients: [Double], design: Matrix, offsets: [Double], response: [Double],
                                 prior: [Double]) -> (means: [Double], predictor: [Double], deviance: Double)? {
        var means = [Double](repeating: 0, count: response.count)
        var predictor = [Double](repeating: 0, count: response.count)
        for index in response.indices {
            var eta = offsets[index]
            for column in coefficients.indices { eta += design[index, column] * coefficients[column] }
            let mu = exp(eta)
            guard mu > 0, mu.isFinite else { return nil }
            predictor[index] = eta
            means[index] = mu
        }
        let value = deviance(response, means, prior)
        guard value.isFinite else { return nil }
        return (means, predictor, value)
    }
}
