/// Ordinary least-squares trend `value = a + b·year` (R `lm(y ~ year)`; METHODS §5.1).
///
/// With centred years `d_i = x_i − x̄` (years are ~2000, so squaring raw years would lose digits):
/// `b = Σd(y − ȳ)/Σd²`, `a = ȳ − b·x̄` (at year 0), `s² = RSS/(n − 2)`, `se(b) = s/√Σd²`,
/// `t = b/se`, two-sided `p = 2·P(T_{n−2} > |t|)`, interval `b ± t_{(1+conf)/2, n−2}·se`,
/// `R² = MSS/(MSS + RSS)` (R's formula). Prediction for the year after the last one,
/// `x0 = last + 1`: `ŷ0 = ȳ + b(x0 − x̄)` with interval `ŷ0 ± t·s·√(1 + 1/n + (x0 − x̄)²/Σd²)`.
///
/// Edge cases (undefined values are `nil`, reasons in ``notes``):
/// * `n < 2`: only ``count``; ``TrendNotes/fewerThanTwoValues``.
/// * `n = 2`: slope, intercept, R² and prediction; no `s`, se, t, p or intervals
///   (``TrendNotes/fewerThanThreeValues``).
/// * constant series: slope exactly 0, se 0, intervals of width 0, t, p and R² `nil`
///   (``TrendNotes/constantSeries``; R reports rounding noise ~1e-16 and p ≈ 0.33).
/// * exact straight line (residual sum of squares exactly 0): se 0, t and p `nil`
///   (``TrendNotes/perfectLinearFit``; R reports rounding noise).
/// OLS can predict negative counts; clamp only when displaying, and prefer the Poisson model for
/// counts. Cost: `O(n)`, no allocation.
public struct OLSTrend: Sendable, Hashable {
    /// Number of values `n`.
    public var count: Int
    /// Slope `b`, in value units per year; `nil` for `n < 2`.
    public var slope: Double?
    /// Intercept `a` at year 0 (as R reports it); `nil` for `n < 2`.
    public var interceptYear0: Double?
    /// Fitted value at the first year, `a + b·x_1` (more readable than the year-0 intercept).
    public var fittedFirstYear: Double?
    /// Standard error of the slope; `nil` for `n < 3`.
    public var standardError: Double?
    /// `t = b/se`; `nil` for `n < 3`, a constant series or a perfect fit.
    public var tStatistic: Double?
    /// Two-sided p-value of `t` on `n − 2` degrees of freedom; `nil` whenever ``tStatistic`` is.
    public var pValue: Double?
    /// Confidence interval for the slope at ``confidence``; `nil` for `n < 3`.
    public var slopeInterval: NumericInterval?
    /// Coefficient of determination; `nil` for `n < 2` or a constant series.
    public var rSquared: Double?
    /// Residual standard error `s = √(RSS/(n − 2))`; `nil` for `n < 3`.
    public var residualStandardError: Double?
    /// Residual degrees of freedom `n − 2` (may be ≤ 0).
    public var degreesOfFreedom: Int
    /// The year after the last observed one; `nil` for an empty series.
    public var nextYear: Int?
    /// Fitted value `ŷ0` at ``nextYear``; `nil` for `n < 2`. May be negative.
    public var prediction: Double?
    /// Prediction interval for a new observation at ``nextYear``; `nil` for `n < 3`.
    public var predictionInterval: NumericInterval?
    /// Confidence level of the intervals.
    public var confidence: Double
    /// Why values are `nil` (see the type's documentation).
    public var notes: TrendNotes

    /// OLS trend of `values` observed in strictly increasing `years`.
    ///
    /// - Throws: ``TrendInputError`` when the lengths differ, the years are not strictly
    ///   increasing, a value is not finite, or `confidence` is not in (0, 1).
    public init(years: [Int], values: [Double], confidence: Double = 0.95) throws(TrendInputError) {
        try TrendInputError.validate(years: years, values: values)
        guard confidence > 0 && confidence < 1 else { throw .invalidConfidence }
        let tail = (1 - confidence) / 2
        self = years.withUnsafeBufferPointer { yearBuffer in
            values.withUnsafeBufferPointer { valueBuffer in
                Self(years: yearBuffer, values: valueBuffer, confidence: confidence) { df in
                    StudentTDistribution.quantile(tail, degreesOfFreedom: Double(df), upperTail: true)
                }
            }
        }
    }

    /// The fit from validated buffers; `criticalValue(df)` returns `t_{(1+conf)/2, df}` for `df ≥ 1`
    /// (``TrendAnalyzer`` passes a precomputed table).
    init(
        years: UnsafeBufferPointer<Int>, values: UnsafeBufferPointer<Double>, confidence: Double,
        criticalValue: (Int) -> Double
    ) {
        let n = values.count
        count = n
        degreesOfFreedom = n - 2
        self.confidence = confidence
        nextYear = years.last.flatMap { year in
            let next = year.addingReportingOverflow(1)
            return next.overflow ? nil : next.partialValue
        }
        guard n >= 2, let firstYear = years.first, let lastYear = years.last else {
            notes = .fewerThanTwoValues
            return
        }
        notes = n < 3 ? .fewerThanThreeValues : []
        let nDouble = Double(n)
        var yearSum = 0.0
        var valueSum = 0.0
        var isConstant = true
        let firstValue = values[0]
        for i in 0..<n {
            yearSum += Double(years[i])
            valueSum += values[i]
            if values[i] != firstValue { isConstant = false }
        }
        let meanYear = yearSum / nDouble
        let meanValue = isConstant ? firstValue : valueSum / nDouble
        var sxx = 0.0
        var sxy = 0.0
        for i in 0..<n {
            let d = Double(years[i]) - meanYear
            sxx += d * d
            sxy += d * (values[i] - meanValue)
        }
        let b = isConstant ? 0 : sxy / sxx
        var rss = 0.0
        for i in 0..<n {
            let residual = (values[i] - meanValue) - b * (Double(years[i]) - meanYear)
            rss += residual * residual
        }
        slope = b
        interceptYear0 = meanValue - b * meanYear
        fittedFirstYear = meanValue + b * (Double(firstYear) - meanYear)
        let nextOffset = Double(lastYear) + 1 - meanYear
        let predicted = meanValue + b * nextOffset
        prediction = predicted
        let mss = b * b * sxx
        if isConstant {
            notes.insert(.constantSeries)
        } else {
            rSquared = mss / (mss + rss)
        }
        guard n >= 3 else { return }
        let df = n - 2
        let s = (rss / Double(df)).squareRoot()
        let se = s / sxx.squareRoot()
        residualStandardError = s
        standardError = se
        let critical = criticalValue(df)
        slopeInterval = NumericInterval(lower: b - critical * se, upper: b + critical * se)
        let halfWidth = critical * s * (1 + 1 / nDouble + nextOffset * nextOffset / sxx).squareRoot()
        predictionInterval = NumericInterval(lower: predicted - halfWidth, upper: predicted + halfWidth)
        if isConstant { return }
        if se == 0 {
            notes.insert(.perfectLinearFit)
            return
        }
        let t = b / se
        tStatistic = t
        pValue = StudentTDistribution.twoSidedPValue(t, degreesOfFreedom: Double(df))
    }
}
