#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What happened at one monitored point.
public enum FarringtonStatus: String, Sendable, Hashable {
    /// Threshold computed and the observation judged.
    case evaluated
    /// The observation is missing: threshold computed, no judgement.
    case missingObservation
    /// The reference values could not be fitted (too few present, or the GLM failed).
    case fitFailed
}

/// The outcome of the Farrington detector at one monitored point, with surveillance's internals.
///
/// Fields are nil when undefined (never NaN). Units are counts per period, except
/// ``predictionStandardError`` and ``score`` under the NB thresholds (see there).
public struct FarringtonPoint: Sendable, Hashable {
    /// 0-based position in the series.
    public var index: Int
    public var observed: Int?
    /// Expected count: `μ0 = exp(x0ᵀβ̂)` (delta method) or `exp(η̂)` (NB thresholds).
    public var expected: Double?
    /// Upper threshold `U` (surveillance `upperbound`), computed even when `enoughCases` is false
    /// (surveillance then reports 0 for `algo.farrington` and NA for `farringtonFlexible`).
    public var upperBound: Double?
    /// Lower threshold, at least 0.
    public var lowerBound: Double?
    /// `(y − μ0)/(U − μ0)`; alarm when > 1. Under the NB thresholds surveillance uses the
    /// link-scale `η̂` here instead of `μ0` (reproduced; METHODS §10.5).
    public var score: Double?
    /// `enoughCases ∧ score > 1` (original), additionally `y ≠ 0` (flexible); nil when `observed` is nil.
    public var alarm: Bool?
    /// Upper-tail probability of the observation: `P(Z > (y^e − μ0^e)/σ)` (delta; surveillance's
    /// `pvalue`, and `1 − pd[,1]` of `algo.farrington`) or `P(Y ≥ y)` under the NB/Poisson plug-in.
    public var pValue: Double?
    /// Overdispersion `φ = max(1, Σω μ' r²/(m − p))` of the final fit (surveillance `phiVector`).
    public var dispersion: Double?
    /// Dispersion actually used for the prediction standard error (φ for `algo.farrington` and
    /// the corrected mode, surveillance's φ* for farringtonFlexible).
    public var standardErrorDispersion: Double?
    /// Whether the final model keeps the time trend.
    public var trendUsed: Bool?
    /// Slope per period of the kept trend (surveillance `trendVector`); nil without trend.
    public var trendCoefficient: Double?
    /// farringtonFlexible's `mu0Vector`: `exp(q)` with `q` the `(1 − α)` normal quantile around the
    /// prediction on the scale of `predict` (so `exp(μ0 + z·se(μ0))` under delta — a quirk reproduced as is).
    public var mu0Quantile: Double?
    /// Standard error of the prediction: of `μ0` (delta) or of `η̂` (NB thresholds).
    public var predictionStandardError: Double?
    /// Cases in the last `recentPeriods` periods (missing periods count as 0).
    public var recentCases: Int
    /// `recentCases ≥ minimumRecentCases` (surveillance `limit54`).
    public var enoughCases: Bool
    /// Reference values used in the fit.
    public var baselineSize: Int
    public var status: FarringtonStatus
}

/// The Farrington aberration detector as surveillance 1.20.3 computes it: `algo.farrington`
/// (with `fitFun = "algo.farrington.fitGLM.fast"`, or the population-offset fit) and
/// `farringtonFlexible` (METHODS §10.4–10.5; Farrington et al. 1996, JRSS A 159:547; Noufaily et
/// al. 2013, Stat Med 32:1206).
///
/// For each monitored point `k` (1-based index, as `wtime` in R):
/// 1. reference points: for `i = b…1` the windows `k − freq·i − w … k − freq·i + w`; flexible
///    adds the current window `k − w … k` minus `k − pastWeeksNotIncluded … k`, and with
///    `noPeriods = p > 1` every point from `k − freq·b − w` on, the stretches between windows cut
///    into `p − 1` blocks (levels `1 … p − 1`, windows level `p`) of a seasonal factor. Missing
///    values are left out (as R's `glm` does with `NA`).
/// 2. quasi-Poisson GLM `log μ = β0 + β1·wtime [+ seasgroups] [+ log population]` by
///    ``PoissonGLM`` (R `glm.fit`, including its final-iteration weights), `φ = max(1, X²/(m − p))`;
/// 3. reweighting by Anscombe residuals `s = (3/2)(y^{2/3}μ^{−1/6} − μ^{1/2})/√(φ(1 − h))`:
///    `ω = γ s⁻²` when `s > threshold`, else `γ`, `γ = m/Σ(s⁻² or 1)`; refit with prior weights ω;
/// 4. the trend is kept only if `b ≥ 3`, its t-test p (quasi family, `m − p` df) is below the
///    threshold and the trend prediction does not exceed the largest reference count;
///    otherwise refit without it;
/// 5. prediction `μ0`, `se(μ0) = μ0·√(φ_se·x0ᵀ(XᵀWX)⁻¹x0)`; delta threshold with
///    `τ = φ + se²/μ0`, `U = (μ0^e + zσ)^{1/e}` for the power transform `e`;
/// 6. `enoughCases`: at least `limit54[1]` cases in the last `limit54[2]` periods.
/// Dispersions: `algo.farrington` tests the trend with the unclamped `X²/(m − p)` and uses the
/// clamped φ for the standard error; farringtonFlexible uses surveillance's
/// `φ* = Σω((y − μ)/μ)²/(m − p)` for both (its `model$weights` are overwritten by ω), unless
/// ``FarringtonOptions/correctedDispersion``.
///
/// Golden: `farrington_monthly` (b = 3, w = 2; matched to ~1e-12); broader fixtures from R
/// surveillance 1.20.3 (weekly, nbPlugin, muan, population offset, no trend).
public enum FarringtonDetector {
    /// Runs the detector on `counts` (nil = missing) with `frequency` periods per year (12, 52)
    /// for the 0-based positions `monitored`. `populations` (one positive value per point) is
    /// required with `populationOffset`.
    ///
    /// - Throws: ``FarringtonInputError`` for invalid parameters, a range outside the series, or
    ///   a first monitored point with fewer than `freq·b + w` earlier points.
    public static func run(counts: [Int?], frequency: Int, monitored: Range<Int>, options: FarringtonOptions,
                           populations: [Double]? = nil) throws(FarringtonInputError) -> [FarringtonPoint] {
        if let name = options.invalidParameter(frequency: frequency) { throw .invalidParameter(name: name) }
        guard !monitored.isEmpty, monitored.lowerBound >= 0, monitored.upperBound <= counts.count else { throw .invalidRange }
        let needed = options.neededHistory(frequency: frequency)
        guard monitored.lowerBound >= needed else {
            throw .historyTooShort(firstMonitored: monitored.lowerBound, needed: needed)
        }
        if options.populationOffset {
            guard let populations, populations.count == counts.count,
                  populations.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw .invalidPopulation }
        }
        let context = Context(counts: counts, frequency: frequency, options: options,
                              populations: options.populationOffset ? populations : nil)
        return monitored.map { context.evaluate($0) }
    }

    /// The reference points of the 0-based position `k` with their seasonal-factor level, in
    /// index order (before missing values are removed).
    public static func referencePoints(of k: Int, frequency: Int, options: FarringtonOptions) -> [(index: Int, level: Int)] {
        let b = options.yearsBack
        let w = options.halfWindow
        switch options.variant {
        case .original:
            var points: [(Int, Int)] = []
            for i in stride(from: b, through: 1, by: -1) {
                for offset in -w...w { points.append((k - frequency * i + offset, 1)) }
            }
            return points.filter { $0.0 >= 0 }
        case .flexible:
            let p = options.seasonalPeriods
            let start = k - frequency * b - w
            var levels = [Int?](repeating: nil, count: k - start + 1)
            func set(_ range: ClosedRange<Int>, _ level: Int) {
                for index in range where index >= start && index <= k { levels[index - start] = level }
            }
            set((k - w)...k, p)
            for i in 1...b {
                let reference = k - frequency * i
                set((reference - w)...(reference + w), p)
                if p != 1 {
                    let next = k - frequency * (i - 1)
                    let stretch = next - 2 * w - 1 - reference
                    let base = stretch / (p - 1)
                    let rest = stretch % (p - 1)
                    var first = reference + w + 1
                    for level in 1...(p - 1) {
                        let length = base + (level <= rest ? 1 : 0)
                        if length > 0 { set(first...(first + length - 1), level) }
                        first += length
                    }
                }
            }
            let excludedFrom = k - options.effectivePastPeriodsNotIncluded
            var points: [(Int, Int)] = []
            for (offset, level) in levels.enumerated() {
                let index = start + offset
                guard let level, index < excludedFrom, index >= 0 else { continue }
                points.append((index, level))
            }
            return points
        }
    }

    /// Everything one run shares.
    private struct Context {
        let counts: [Int?]
        let frequency: Int
        let options: FarringtonOptions
        let populations: [Double]?

        /// One fitted model: the GLM, its clamped dispersion, prior weights and design description.
        struct Model {
            var fit: PoissonGLMFit
            var phi: Double
            var priorWeights: [Double]
            var hasTrend: Bool
            /// Seasonal levels with a dummy column, in column order.
            var dummyLevels: [Int]
        }

        func evaluate(_ k: Int) -> FarringtonPoint {
            let observed = counts[k]
            let recentStart = max(0, k - options.recentPeriods + 1)
            let recent = counts[recentStart...k].reduce(0) { $0 + ($1 ?? 0) }
            let enough = recent >= options.minimumRecentCases
            var point = FarringtonPoint(index: k, observed: observed, recentCases: recent, enoughCases: enough,
                                        baselineSize: 0, status: .fitFailed)
            let reference = FarringtonDetector.referencePoints(of: k, frequency: frequency, options: options)
                .compactMap { entry in counts[entry.index].map { (index: entry.index, level: entry.level, count: Double($0)) } }
            point.baselineSize = reference.count
            guard !reference.isEmpty else { return point }
            guard var model = fit(reference, trend: options.trend) else { return point }
            if model.hasTrend {
                let prediction = predictedMean(model, at: k)
                let largest = reference.map(\.count).max() ?? 0
                let significant = trendPValue(model).map { $0 < options.trendPValueThreshold } ?? false
                if !(options.yearsBack >= 3 && significant && prediction <= largest) {
                    guard let refit = fit(reference, trend: false) else { return point }
                    model = refit
                }
            }
            let row = designRow(model, at: k)
            let eta = linearPredictor(model, row: row, at: k)
            let seDispersion = standardErrorDispersion(model)
            let predictorVariance = model.fit.unscaledPredictorVariance(at: row)
            let seEta = (seDispersion * predictorVariance).squareRoot()
            point.dispersion = model.phi
            point.standardErrorDispersion = seDispersion
            point.trendUsed = model.hasTrend
            point.trendCoefficient = model.hasTrend ? model.fit.coefficients[1] : nil
            point.status = observed == nil ? .missingObservation : .evaluated
            if options.variant == .flexible && options.thresholdMethod != .delta {
                plugInThreshold(&point, eta: eta, seEta: seEta, phi: model.phi)
            } else {
                deltaThreshold(&point, mu0: exp(eta), seMu0: exp(eta) * seEta, phi: model.phi)
            }
            return point
        }

        /// Delta-method threshold on the power-transformed scale (surveillance
        /// `algo.farrington.threshold` / `algo.farrington.threshold.farrington`).
        private func deltaThreshold(_ point: inout FarringtonPoint, mu0: Double, seMu0: Double, phi: Double) {
            let exponent = options.powerTransform.exponent
            let tau = phi + (seMu0 * seMu0) / mu0
            let sigma: Double
            switch options.powerTransform {
            case .none: sigma = (mu0 * tau).squareRoot()
            case .half: sigma = (1.0 / 4.0 * tau).squareRoot()
            case .twoThirds: sigma = (4.0 / 9.0 * Self.power(mu0, 1.0 / 3.0) * tau).squareRoot()
            }
            let z = options.variant == .original
                ? NormalDistribution.quantile(1 - options.alpha / 2)
                : NormalDistribution.quantile(1 - options.alpha)
            let centre = Self.power(mu0, exponent)
            let low = Self.power(centre - z * sigma, 1 / exponent)
            let high = Self.power(centre + z * sigma, 1 / exponent)
            // R: sort(…, na.last = FALSE), then lower = max(0, lower, na.rm = TRUE).
            let upper: Double
            let lower: Double
            if low.isNaN {
                upper = high
                lower = 0
            } else {
                upper = max(low, high)
                lower = max(0, min(low, high))
            }
            point.expected = mu0
            point.predictionStandardError = seMu0
            point.upperBound = upper.isFinite ? upper : nil
            point.lowerBound = lower.isFinite ? lower : nil
            if options.variant == .flexible {
                let quantile = mu0 + seMu0 * NormalDistribution.quantile(1 - options.alpha)
                let value = exp(quantile)
                point.mu0Quantile = value.isFinite ? value : nil
            }
            guard let observed = point.observed, let bound = point.upperBound else { return }
            let y = Double(observed)
            let standardized = (Self.power(y, exponent) - centre) / sigma
            point.pValue = standardized.isNaN ? nil : NormalDistribution.survival(standardized)
            let score = (y - mu0) / (bound - mu0)
            point.score = score.isFinite ? score : nil
            let exceeds = score > 1
            point.alarm = point.enoughCases && exceeds && (options.variant == .original || observed != 0)
        }

        /// NB/Poisson plug-in threshold (surveillance `algo.farrington.threshold.noufaily`).
        private func plugInThreshold(_ point: inout FarringtonPoint, eta: Double, seEta: Double, phi: Double) {
            let z = NormalDistribution.quantile(1 - options.alpha)
            let meanForQuantile = options.thresholdMethod == .nbPlugin ? exp(eta) : exp(eta + seEta * z)
            point.expected = exp(eta)
            point.predictionStandardError = seEta
            point.mu0Quantile = meanForQuantile.isFinite ? meanForQuantile : nil
            guard meanForQuantile.isFinite else { return }
            let upper: Int?
            let lower: Int?
            if phi > 1 {
                let size = meanForQuantile / (phi - 1)
                upper = NegativeBinomialDistribution.quantile(1 - options.alpha, size: size, mean: meanForQuantile)
                lower = NegativeBinomialDistribution.quantile(options.alpha, size: size, mean: meanForQuantile)
            } else {
                upper = PoissonDistribution.quantile(1 - options.alpha, mean: meanForQuantile)
                lower = PoissonDistribution.quantile(options.alpha, mean: meanForQuantile)
            }
            point.upperBound = upper.map(Double.init)
            point.lowerBound = lower.map { Double(max(0, $0)) }
            guard let observed = point.observed else { return }
            if phi > 1 {
                point.pValue = NegativeBinomialDistribution.survival(observed - 1, size: meanForQuantile / (phi - 1),
                                                                     mean: meanForQuantile)
            } else {
                point.pValue = PoissonDistribution.survival(observed - 1, mean: meanForQuantile)
            }
            guard let bound = point.upperBound else { return }
            let score = (Double(observed) - eta) / (bound - eta)
            point.score = score.isFinite ? score : nil
            point.alarm = point.enoughCases && score > 1 && observed != 0
        }

        /// The model of steps 2–3 on the reference values, with or without trend; nil when the GLM fails.
        func fit(_ reference: [(index: Int, level: Int, count: Double)], trend: Bool) -> Model? {
            let levels = Array(Set(reference.map(\.level))).sorted()
            let dummyLevels = Array(levels.dropFirst())
            let columns = 1 + (trend ? 1 : 0) + dummyLevels.count
            guard reference.count >= columns else { return nil }
            var design = Matrix(rows: reference.count, columns: columns)
            for (row, entry) in reference.enumerated() {
                let values = designValues(index: entry.index, level: entry.level, trend: trend, dummyLevels: dummyLevels)
                for (column, value) in values.enumerated() { design[row, column] = value }
            }
            let response = reference.map(\.count)
            let offsets = populations.map { population in reference.map { log(population[$0.index]) } }
            guard var first = try? PoissonGLM.fit(design: design, response: response, offset: offsets) else { return nil }
            if !first.converged && trend {
                // surveillance: "No convergence with timeTrend -- trying without."
                return fit(reference, trend: false)
            }
            if !first.converged && options.variant == .flexible { return nil }
            guard var phi = first.dispersion(weights: first.workingWeights).map({ max($0, 1) }) else { return nil }
            var priorWeights = [Double](repeating: 1, count: reference.count)
            if options.reweight {
                priorWeights = Self.anscombeWeights(first, phi: phi, threshold: options.weightsThreshold)
                guard let second = try? PoissonGLM.fit(design: design, response: response, weights: priorWeights,
                                                       offset: offsets),
                      let secondPhi = second.dispersion(weights: second.workingWeights) else { return nil }
                first = second
                phi = max(secondPhi, 1)
            }
            return Model(fit: first, phi: phi, priorWeights: priorWeights, hasTrend: trend, dummyLevels: dummyLevels)
        }

        /// Design values of one point: intercept, 1-based time index (R's `wtime`), seasonal dummies.
        func designValues(index: Int, level: Int, trend: Bool, dummyLevels: [Int]) -> [Double] {
            var values = [1.0]
            if trend { values.append(Double(index + 1)) }
            for dummy in dummyLevels { values.append(level == dummy ? 1 : 0) }
            return values
        }

        /// The prediction row at `k` (seasonal level `noPeriods`, as surveillance predicts).
        func designRow(_ model: Model, at k: Int) -> [Double] {
            designValues(index: k, level: options.seasonalPeriods, trend: model.hasTrend, dummyLevels: model.dummyLevels)
        }

        func linearPredictor(_ model: Model, row: [Double], at k: Int) -> Double {
            var eta = populations.map { log($0[k]) } ?? 0
            for (value, coefficient) in zip(row, model.fit.coefficients) { eta += value * coefficient }
            return eta
        }

        func predictedMean(_ model: Model, at k: Int) -> Double {
            exp(linearPredictor(model, row: designRow(model, at: k), at: k))
        }

        /// Dispersion used in the trend t-test: the unclamped Pearson estimate with the working
        /// weights, or farringtonFlexible's φ* with the prior weights (compatible mode).
        func trendTestDispersion(_ model: Model) -> Double? {
            if options.variant == .flexible && !options.correctedDispersion && options.reweight {
                return model.fit.dispersion(weights: model.priorWeights)
            }
            return model.fit.dispersion(weights: model.fit.workingWeights)
        }

        /// Dispersion in the prediction standard error: φ (algo.farrington, corrected mode) or φ*.
        func standardErrorDispersion(_ model: Model) -> Double {
            if options.variant == .flexible && !options.correctedDispersion {
                return trendTestDispersion(model) ?? model.phi
            }
            return model.phi
        }

        /// Two-sided t-test p-value of the trend coefficient on the residual degrees of freedom.
        func trendPValue(_ model: Model) -> Double? {
            guard model.hasTrend, model.fit.residualDegreesOfFreedom > 0,
                  let dispersion = trendTestDispersion(model) else { return nil }
            let standardError = (dispersion * model.fit.unscaledCovariance[1, 1]).squareRoot()
            guard standardError > 0 else { return nil }
            let t = model.fit.coefficients[1] / standardError
            guard t.isFinite else { return nil }
            return StudentTDistribution.twoSidedPValue(t, degreesOfFreedom: Double(model.fit.residualDegreesOfFreedom))
        }

        /// surveillance `anscombe.residuals` + `algo.farrington.assign.weights`. A residual with
        /// hat value 1 (undefined) keeps the plain weight γ.
        static func anscombeWeights(_ fit: PoissonGLMFit, phi: Double, threshold: Double) -> [Double] {
            let residuals = fit.response.indices.map { index -> Double in
                let y = fit.response[index]
                let mu = fit.fittedMeans[index]
                let raw = 3.0 / 2.0 * (power(y, 2.0 / 3.0) * power(mu, -1.0 / 6.0) - power(mu, 1.0 / 2.0))
                let scaled = raw / (phi * (1 - fit.hatValues[index])).squareRoot()
                return scaled.isFinite ? scaled : 0
            }
            let denominator = residuals.reduce(0.0) { $0 + ($1 > threshold ? power($1, -2) : 1) }
            let gamma = Double(residuals.count) / denominator
            return residuals.map { $0 > threshold ? gamma * power($0, -2) : gamma }
        }

        /// R's `^` (R_pow) for the cases used here: `x^2 = x·x`, `1^y = x^0 = 1`, else `pow`.
        static func power(_ x: Double, _ y: Double) -> Double {
            if y == 2 { return x * x }
            if x == 1 || y == 0 { return 1 }
            return pow(x, y)
        }
    }
}
