/// Which surveillance function the Farrington detector reproduces (METHODS §10.4–10.5).
public enum FarringtonVariant: String, Sendable, Hashable, CaseIterable {
    /// `algo.farrington` (Farrington et al. 1996): b windows of 2w + 1 points, reweighting
    /// threshold 1, two-sided `z_{1−α/2}`, correct dispersion.
    case original
    /// `farringtonFlexible` (Noufaily et al. 2013 options): also the current window minus the
    /// last `pastPeriodsNotIncluded + 1` points, optional seasonal factor, threshold 2.58,
    /// one-sided `z_{1−α}`, NB-quantile thresholds, and the documented dispersion quirk.
    case flexible
}

/// The power transformation of the delta-method threshold (surveillance `powertrans`).
public enum FarringtonPowerTransform: String, Sendable, Hashable, CaseIterable {
    /// `y^{2/3}` (default; Farrington et al. 1996).
    case twoThirds = "2/3"
    /// `y^{1/2}`.
    case half = "1/2"
    /// No transformation.
    case none

    /// The exponent `e` (2/3, 1/2 or 1), computed as R does (`2/3` in double precision).
    public var exponent: Double {
        switch self {
        case .twoThirds: return 2.0 / 3.0
        case .half: return 1.0 / 2.0
        case .none: return 1
        }
    }
}

/// How farringtonFlexible turns the prediction into a threshold (surveillance `thresholdMethod`).
public enum FarringtonThresholdMethod: String, Sendable, Hashable, CaseIterable {
    /// Delta method on the power-transformed scale (the 1996 threshold).
    case delta
    /// `(1 − α)` quantile of NB(mean `exp(η̂)`, variance `φ·mean`) — Poisson when φ = 1.
    case nbPlugin = "nbplugin"
    /// The same with the mean at the upper `(1 − α)` bound of the prediction, `exp(η̂ + z·se_η)`.
    case muan
}

/// Why a Farrington run cannot start.
public enum FarringtonInputError: Error, Sendable, Hashable {
    /// A parameter is out of range; `name` is surveillance's name for it.
    case invalidParameter(name: String)
    /// The first monitored point (0-based `firstMonitored`) has fewer earlier points than the
    /// `needed = freq·b + w` the reference windows reach back.
    case historyTooShort(firstMonitored: Int, needed: Int)
    /// `populations` is given but not one positive value per point.
    case invalidPopulation
    /// The monitored range is empty or beyond the series.
    case invalidRange
}

/// Parameters of the Farrington detector, named as in surveillance (`b`, `w`, `alpha`, …).
///
/// Defaults are surveillance's for each variant: `algo.farrington` b = 5, w = 3, α = 0.05,
/// reweighting threshold 1; `farringtonFlexible` additionally `weightsThreshold = 2.58`,
/// `pastWeeksNotIncluded = w`, `noPeriods = 1`, `thresholdMethod = "delta"`, `pThresholdTrend = 0.05`.
/// `limit54 = (5, 4)`: an alarm needs at least 5 cases in the last 4 periods.
public struct FarringtonOptions: Sendable, Hashable {
    public var variant: FarringtonVariant
    /// `b`: how many years back the reference windows go (≥ 1).
    public var yearsBack: Int
    /// `w`: half-width of each reference window, in periods (≥ 0).
    public var halfWindow: Int
    /// `alpha`, in (0, 1).
    public var alpha: Double
    /// Downweight outlying reference values by their Anscombe residuals (`reweight`).
    public var reweight: Bool
    /// Fit a linear time trend, kept only under the rules of METHODS §10.4 step 4 (`trend`).
    public var trend: Bool
    /// p-value below which the trend is kept (`pThresholdTrend`; fixed 0.05 in `algo.farrington`).
    public var trendPValueThreshold: Double
    public var powerTransform: FarringtonPowerTransform
    /// `limit54[1]`: cases needed in the last `recentPeriods` periods for an alarm (≥ 0).
    public var minimumRecentCases: Int
    /// `limit54[2]`: how many periods, the current one included (≥ 1).
    public var recentPeriods: Int
    /// Anscombe residual above which a reference value is downweighted (`weightsThreshold`).
    public var weightsThreshold: Double
    /// Flexible: `pastWeeksNotIncluded`; nil = `w`. The current window loses its last
    /// `pastPeriodsNotIncluded + 1` points (the current one included).
    public var pastPeriodsNotIncluded: Int?
    /// Flexible: `noPeriods` (≥ 1), the levels of the seasonal factor.
    public var seasonalPeriods: Int
    /// Flexible: `thresholdMethod`.
    public var thresholdMethod: FarringtonThresholdMethod
    /// `populationOffset`: add `log(population)` as an offset.
    public var populationOffset: Bool
    /// Flexible only: use the correct dispersion in the trend test and the prediction standard
    /// error instead of surveillance's φ* (METHODS §10.5). Off by default (compatible).
    public var correctedDispersion: Bool

    public init(variant: FarringtonVariant, yearsBack: Int = 5, halfWindow: Int = 3, alpha: Double = 0.05,
                reweight: Bool = true, trend: Bool = true, trendPValueThreshold: Double = 0.05,
                powerTransform: FarringtonPowerTransform = .twoThirds, minimumRecentCases: Int = 5, recentPeriods: Int = 4,
                weightsThreshold: Double? = nil, pastPeriodsNotIncluded: Int? = nil, seasonalPeriods: Int = 1,
                thresholdMethod: FarringtonThresholdMethod = .delta, populationOffset: Bool = false,
                correctedDispersion: Bool = false) {
        self.variant = variant
        self.yearsBack = yearsBack
        self.halfWindow = halfWindow
        self.alpha = alpha
        self.reweight = reweight
        self.trend = trend
        self.trendPValueThreshold = trendPValueThreshold
        self.powerTransform = powerTransform
        self.minimumRecentCases = minimumRecentCases
        self.recentPeriods = recentPeriods
        self.weightsThreshold = weightsThreshold ?? (variant == .original ? 1 : 2.58)
        self.pastPeriodsNotIncluded = pastPeriodsNotIncluded
        self.seasonalPeriods = seasonalPeriods
        self.thresholdMethod = thresholdMethod
        self.populationOffset = populationOffset
        self.correctedDispersion = correctedDispersion
    }

    /// The effective `pastWeeksNotIncluded` (flexible), `w` when not set.
    public var effectivePastPeriodsNotIncluded: Int { pastPeriodsNotIncluded ?? halfWindow }

    /// How many periods before a monitored point its reference data reach: `freq·b + w`.
    public func neededHistory(frequency: Int) -> Int { frequency * yearsBack + halfWindow }

    /// The first parameter (by surveillance name) that is out of range for `frequency`, if any.
    public func invalidParameter(frequency: Int) -> String? {
        if frequency < 2 { return "freq" }
        if yearsBack < 1 { return "b" }
        if halfWindow < 0 || 2 * halfWindow + 1 > frequency { return "w" }
        if !(alpha > 0 && alpha < 1) { return "alpha" }
        if !(trendPValueThreshold > 0 && trendPValueThreshold < 1) { return "pThresholdTrend" }
        if minimumRecentCases < 0 || recentPeriods < 1 { return "limit54" }
        if !(weightsThreshold > 0) || !weightsThreshold.isFinite { return "weightsThreshold" }
        if variant == .original {
            if thresholdMethod != .delta { return "thresholdMethod" }
            if seasonalPeriods != 1 { return "noPeriods" }
            if pastPeriodsNotIncluded != nil { return "pastWeeksNotIncluded" }
            if correctedDispersion { return "corrected" }
            return nil
        }
        if seasonalPeriods < 1 || seasonalPeriods - 1 > frequency - 2 * halfWindow - 1 { return "noPeriods" }
        if let past = pastPeriodsNotIncluded, past < 0 || past >= frequency - halfWindow { return "pastWeeksNotIncluded" }
        return nil
    }
}
