#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The standardisation of surveillance `algo.cusum` (Rossi, Lampugnani & Marchi 1999, Stat Med 18:2111).
public enum CUSUMTransform: String, Sendable, Hashable, CaseIterable {
    /// `(x − m)/√m`.
    case standard
    /// `(x − 3m + 2√(xm))/(2√m)`.
    case rossi
    /// `(3/2)(x^{2/3} − m^{2/3})/m^{1/6}`.
    case anscombe
    /// `(x^{2/3} − (m^{2/3} − m^{−1/3}/9))/((2/3)m^{1/6})`.
    case anscombe2nd
}

/// One point of a CUSUM or EWMA chart. Nil fields are undefined (missing observation).
public struct ControlChartPoint: Sendable, Hashable {
    /// 0-based position in the series.
    public var index: Int
    public var observed: Int?
    /// In-control mean `m` (μ0) at this point.
    public var expected: Double
    /// The chart statistic after this point: `C_t`, `S_t` or `Z_t` (carried over a missing point).
    public var statistic: Double
    /// The limit the statistic is compared with: `h` (CUSUM) or `UCL_t` (EWMA).
    public var limit: Double
    /// EWMA only: `LCL_t`.
    public var lowerLimit: Double?
    /// The smallest count at this point that raises an alarm, given the statistic before it (see each chart).
    public var upperBound: Double
    /// Whether the statistic reached the limit; nil for a missing observation.
    public var alarm: Bool?
    /// EWMA only: `Z_t < LCL_t`.
    public var lowAlarm: Bool?
}

/// Why a control chart cannot be run.
public enum ControlChartInputError: Error, Sendable, Hashable {
    /// A parameter is out of range (`name` as in the CLI: k, h, lambda, L, m).
    case invalidParameter(name: String)
    /// No baseline value before the first monitored point, or its mean is 0 (nothing to standardise by).
    case emptyBaseline
    /// The monitored range is empty or beyond the series.
    case invalidRange
    /// The seasonal baseline GLM (`m = "glm"`) could not be fitted.
    case baselineFitFailed
}

/// Control charts for counts: surveillance `algo.cusum`, and the Poisson CUSUM and Poisson
/// EWMA of METHODS §10.2–10.3. Missing observations (nil) leave the statistic unchanged and
/// have no alarm; baselines use the present values only.
public enum ControlCharts {
    /// The in-control mean of `algo.cusum`: `mean` of the values before `monitored` (R
    /// `mean(observed[1:(range[1] − 1)])`), constant over the monitored points.
    public static func baselineMean(counts: [Int?], before first: Int) throws(ControlChartInputError) -> Double {
        let baseline = counts[..<max(0, min(first, counts.count))].compactMap { $0 }
        guard !baseline.isEmpty else { throw .emptyBaseline }
        let mean = Double(baseline.reduce(0, +)) / Double(baseline.count)
        guard mean > 0 else { throw .emptyBaseline }
        return mean
    }

    /// `algo.cusum`'s `m = "glm"`: Poisson GLM `x ~ 1 + cos(2πt/freq) + sin(2πt/freq)` on the values
    /// before `monitored` with `t = startPeriod + index` (R `t = start[2] + index − 1`, 1-based index),
    /// predicted for each monitored point.
    public static func seasonalBaseline(counts: [Int?], frequency: Int, startPeriod: Int,
                                        monitored: Range<Int>) throws(ControlChartInputError) -> [Double] {
        guard frequency >= 2 else { throw .invalidParameter(name: "freq") }
        let training = (0..<monitored.lowerBound).filter { counts[$0] != nil }
        guard training.count >= 3 else { throw .emptyBaseline }
        func row(_ index: Int) -> [Double] {
            let t = Double(startPeriod + index)
            let angle = 2 * Double.pi / Double(frequency) * t
            return [1, cos(angle), sin(angle)]
        }
        var design = Matrix(rows: training.count, columns: 3)
        for (r, index) in training.enumerated() {
            for (c, value) in row(index).enumerated() { design[r, c] = value }
        }
        let response = training.compactMap { counts[$0].map(Double.init) }
        guard let fit = try? PoissonGLM.fit(design: design, response: response) else { throw .baselineFitFailed }
        return monitored.map { index in
            exp(zip(row(index), fit.coefficients).reduce(0) { $0 + $1.0 * $1.1 })
        }
    }

    /// surveillance `algo.cusum` on `monitored` with in-control means `means` (one per monitored
    /// point): standardised `s_t` by `transform`, `C_t = max(0, C_{t−1} + s_t − k)`, alarm when
    /// `C_t ≥ h`, no reset. `upperBound` is surveillance's `upperbound` (0 when negative or NaN):
    /// standard `⌈√m(h + k − C_{t−1}) + m⌉`; anscombe `((2/3)m^{1/6}(h + k − C_{t−1}) + m^{2/3})^{3/2}`;
    /// anscombe2nd the same with `m^{2/3} − m^{1/3}/9` (surveillance writes `m^{1/3}` here, not the
    /// `m^{−1/3}` of its transform — reproduced); rossi the closed form of METHODS §10.1.
    public static func cusum(counts: [Int?], monitored: Range<Int>, means: [Double], transform: CUSUMTransform = .standard,
                             k: Double = 1.04, h: Double = 2.26) throws(ControlChartInputError) -> [ControlChartPoint] {
        guard !monitored.isEmpty, monitored.lowerBound >= 0, monitored.upperBound <= counts.count else { throw .invalidRange }
        guard means.count == monitored.count, means.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw .invalidParameter(name: "m") }
        guard k.isFinite, k >= 0 else { throw .invalidParameter(name: "k") }
        guard h.isFinite, h > 0 else { throw .invalidParameter(name: "h") }
        var previous = 0.0
        var points: [ControlChartPoint] = []
        for (offset, index) in monitored.enumerated() {
            let m = means[offset]
            let bound = cusumUpperBound(m: m, previous: previous, transform: transform, k: k, h: h)
            var point = ControlChartPoint(index: index, observed: counts[index], expected: m, statistic: previous,
                                          limit: h, upperBound: bound)
            if let observed = counts[index] {
                let x = Double(observed)
                let standardized: Double
                switch transform {
                case .standard: standardized = (x - m) / m.squareRoot()
                case .rossi: standardized = (x - 3 * m + 2 * (x * m).squareRoot()) / (2 * m.squareRoot())
                case .anscombe: standardized = 3.0 / 2.0 * (pow(x, 2.0 / 3.0) - pow(m, 2.0 / 3.0)) / pow(m, 1.0 / 6.0)
                case .anscombe2nd:
                    standardized = (pow(x, 2.0 / 3.0) - (pow(m, 2.0 / 3.0) - pow(m, -1.0 / 3.0) / 9)) / (2.0 / 3.0 * pow(m, 1.0 / 6.0))
                }
                previous = max(0, previous + (standardized - k))
                point.statistic = previous
                point.alarm = previous >= h
            }
            points.append(point)
        }
        return points
    }

    private static func cusumUpperBound(m: Double, previous c: Double, transform: CUSUMTransform, k: Double, h: Double) -> Double {
        let value: Double
        switch transform {
        case .standard:
            value = (m.squareRoot() * (h + k - c) + m).rounded(.up)
        case .rossi:
            let root = m.squareRoot()
            let m32 = pow(m, 3.0 / 2.0)
            value = 2 * h * root + 2 * k * root - 2 * c * root + 5 * m
                - 2 * (4 * m * m + 2 * m32 * h + 2 * m32 * k - 2 * m32 * c).squareRoot()
        case .anscombe:
            let base = 2.0 / 3.0 * pow(m, 1.0 / 6.0) * (h + k - c) + pow(m, 2.0 / 3.0)
            value = base < 0 ? 0 : pow(base, 3.0 / 2.0)
        case .anscombe2nd:
            let base = 2.0 / 3.0 * pow(m, 1.0 / 6.0) * (h + k - c) + (pow(m, 2.0 / 3.0) - pow(m, 1.0 / 3.0) / 9)
            value = base < 0 ? 0 : pow(base, 3.0 / 2.0)
        }
        return value.isNaN || value < 0 ? 0 : value
    }

    /// Poisson CUSUM (Lucas 1985, Technometrics 27:129): reference value
    /// `k = (μ1 − μ0)/(ln μ1 − ln μ0)` unless given, `S_t = max(0, S_{t−1} + y_t − k)`, alarm when
    /// `S_t ≥ h`, no reset. `upperBound = max(0, h + k − S_{t−1})`: the alarm is raised exactly
    /// when `y_t ≥ upperBound`.
    /// - Parameters: `mu0 > 0` in-control mean, `mu1 > mu0` the shifted mean to detect.
    public static func poissonCUSUM(counts: [Int?], monitored: Range<Int>, mu0: Double, mu1: Double,
                                    referenceValue: Double? = nil, h: Double = 4) throws(ControlChartInputError) -> [ControlChartPoint] {
        guard !monitored.isEmpty, monitored.lowerBound >= 0, monitored.upperBound <= counts.count else { throw .invalidRange }
        guard mu0 > 0, mu0.isFinite else { throw .emptyBaseline }
        guard mu1 > mu0, mu1.isFinite else { throw .invalidParameter(name: "mu1") }
        guard h.isFinite, h > 0 else { throw .invalidParameter(name: "h") }
        let k = referenceValue ?? (mu1 - mu0) / (log(mu1) - log(mu0))
        guard k.isFinite, k >= 0 else { throw .invalidParameter(name: "k") }
        var previous = 0.0
        var points: [ControlChartPoint] = []
        for index in monitored {
            var point = ControlChartPoint(index: index, observed: counts[index], expected: mu0, statistic: previous,
                                          limit: h, upperBound: max(0, h + k - previous))
            if let observed = counts[index] {
                previous = max(0, previous + Double(observed) - k)
                point.statistic = previous
                point.alarm = previous >= h
            }
            points.append(point)
        }
        return points
    }

    /// The reference value `k = (μ1 − μ0)/(ln μ1 − ln μ0)` of the Poisson CUSUM.
    public static func poissonReferenceValue(mu0: Double, mu1: Double) -> Double {
        (mu1 - mu0) / (log(mu1) - log(mu0))
    }

    /// Poisson EWMA (Borror, Champ & Rigdon 1998, J Qual Technol 30:352) with exact variance:
    /// `Z_0 = μ0`, `Z_t = λy_t + (1 − λ)Z_{t−1}`,
    /// `UCL_t = μ0 + L√(λμ0/(2 − λ)·(1 − (1 − λ)^{2t}))`, `LCL_t = max(0, μ0 − …)`, high alarm
    /// `Z_t > UCL_t`, low alarm `Z_t < LCL_t`; `t` counts monitored points from 1 (a missing point
    /// still advances `t`). `upperBound = (UCL_t − (1 − λ)Z_{t−1})/λ`: the high alarm is raised
    /// exactly when `y_t` exceeds it.
    public static func poissonEWMA(counts: [Int?], monitored: Range<Int>, mu0: Double, lambda: Double = 0.2,
                                   width: Double = 2.7) throws(ControlChartInputError) -> [ControlChartPoint] {
        guard !monitored.isEmpty, monitored.lowerBound >= 0, monitored.upperBound <= counts.count else { throw .invalidRange }
        guard mu0 > 0, mu0.isFinite else { throw .emptyBaseline }
        guard lambda > 0, lambda <= 1 else { throw .invalidParameter(name: "lambda") }
        guard width.isFinite, width > 0 else { throw .invalidParameter(name: "L") }
        var previous = mu0
        var points: [ControlChartPoint] = []
        for (offset, index) in monitored.enumerated() {
            let t = Double(offset + 1)
            let halfWidth = width * (lambda * mu0 / (2 - lambda) * (1 - pow(1 - lambda, 2 * t))).squareRoot()
            let upper = mu0 + halfWidth
            let lower = max(0, mu0 - halfWidth)
            var point = ControlChartPoint(index: index, observed: counts[index], expected: mu0, statistic: previous,
                                          limit: upper, lowerLimit: lower,
                                          upperBound: (upper - (1 - lambda) * previous) / lambda)
            if let observed = counts[index] {
                previous = lambda * Double(observed) + (1 - lambda) * previous
                point.statistic = previous
                point.alarm = previous > upper
                point.lowAlarm = previous < lower
            }
            points.append(point)
        }
        return points
    }
}
