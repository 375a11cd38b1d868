/// Where a unit sits on a Poisson funnel plot (Spiegelhalter 2005; METHODS §4).
///
/// `alarmHigh` above the outer upper limit, else `alertHigh` above the inner upper limit, else
/// `alarmLow` below the outer lower limit, else `alertLow` below the inner lower limit, else
/// `inControl`. Raw values are the machine ids written in exports.
public enum FunnelFlag: String, Sendable, Hashable, CaseIterable {
    case alarmHigh = "alarm_high"
    case alertHigh = "alert_high"
    case inControl = "in_control"
    case alertLow = "alert_low"
    case alarmLow = "alarm_low"

    /// Whether the unit has more events than expected beyond the inner limit.
    public var isHigh: Bool { self == .alarmHigh || self == .alertHigh }
}

/// The four tail probabilities of a funnel plot: inner (default 95%) and outer (default 99.8%)
/// two-sided control limits.
public struct FunnelLevels: Sendable, Hashable {
    /// Coverage of the inner limits, e.g. 0.95 (tails 0.025 and 0.975).
    public var inner: Double
    /// Coverage of the outer limits, e.g. 0.998 (tails 0.001 and 0.999).
    public var outer: Double

    /// `nil` unless `0 < inner < outer < 1`.
    public init?(inner: Double, outer: Double) {
        guard inner > 0, inner < outer, outer < 1 else { return nil }
        self.inner = inner
        self.outer = outer
    }

    /// 95% and 99.8% (Spiegelhalter's usual choice; the golden files use these).
    public static let standard = FunnelLevels(validInner: 0.95, outer: 0.998)

    private init(validInner inner: Double, outer: Double) {
        self.inner = inner
        self.outer = outer
    }

    /// Lower tail probability of the outer limit, `(1 − outer)/2` (0.001).
    public var outerLowerTail: Double { (1 - outer) / 2 }
    /// Lower tail probability of the inner limit, `(1 − inner)/2` (0.025).
    public var innerLowerTail: Double { (1 - inner) / 2 }
    /// Upper tail probability of the inner limit, `1 − (1 − inner)/2` (0.975).
    public var innerUpperTail: Double { 1 - (1 - inner) / 2 }
    /// Upper tail probability of the outer limit, `1 − (1 − outer)/2` (0.999).
    public var outerUpperTail: Double { 1 - (1 - outer) / 2 }
}

/// One control limit of a funnel plot on the count scale, by Spiegelhalter's continuous
/// interpolation of the Poisson quantile (Stat Med 2005, 24:1185, Appendix A.1.1; METHODS §4.1).
public struct FunnelLimit: Sendable, Hashable {
    /// Tail probability `p` of the limit (e.g. 0.975).
    public var tail: Double
    /// `r_p = qpois(p, E)`: the smallest count with `P(Y ≤ r) ≥ p` (R convention).
    public var quantile: Int
    /// `r_p − α` with `α = (F(r_p) − p)/(F(r_p) − F(r_p − 1))`, `F(−1) = 0`; negative when `r_p = 0`.
    public var raw: Double
    /// `max(0, raw)`: the limit drawn and compared with counts.
    public var count: Double { max(0, raw) }

    /// The limit for tail probability `tail` of `Poisson(expected)`.
    /// `nil` for `expected` not positive and finite or `tail` outside (0, 1).
    public init?(tail: Double, expected: Double) {
        guard expected > 0, expected.isFinite, tail > 0, tail < 1,
              let quantile = PoissonDistribution.quantile(tail, mean: expected) else { return nil }
        let atQuantile = PoissonDistribution.cdf(quantile, mean: expected)
        let below = PoissonDistribution.cdf(quantile - 1, mean: expected)
        let alpha = (atQuantile - tail) / (atQuantile - below)
        self.tail = tail
        self.quantile = quantile
        self.raw = Double(quantile) - alpha
    }
}

/// Funnel-plot statistics of one unit: an observed count against its expected count under a
/// target rate (METHODS §4; SPEC §6 `expected`, `p_upper`, `p_lower`, `limit_95_hi`,
/// `limit_998_hi`, `funnel_flag`).
///
/// * Exact exceedance p-values (METHODS §4.3): `p_upper = P(Y ≥ y | E)`, mid-p
///   `P(Y > y) + ½P(Y = y)`; `p_lower = P(Y ≤ y)`, mid-p `P(Y < y) + ½P(Y = y)` — R `ppois`.
/// * Limits: ``FunnelLimit`` at the four tails of ``FunnelLevels``.
/// * Three flags, because they can disagree for small counts: ``flagByLimits`` compares the count
///   with the interpolated limits (equivalent to `P(Y > y) ≤ 1 − p`, the tail *excluding* the
///   observed value), ``flagByExactP`` uses `P(Y ≥ y) ≤ (1 − inner)/2` etc. (the exact test,
///   more conservative), ``flagByMidP`` the mid-p values. Report the exact p next to any flag.
///
/// `expected` must be positive and finite (a zero target rate or population leaves nothing to
/// compare: use the failable initialiser's `nil`).
public struct FunnelPoint: Sendable, Hashable {
    /// Observed count `y`.
    public var count: Int
    /// Expected count `E = θ0·P`.
    public var expected: Double
    /// `y/E` (the indirectly standardised ratio).
    public var ratio: Double
    /// `P(Y ≥ y)`.
    public var pUpper: Double
    /// `P(Y > y) + ½P(Y = y)`.
    public var pUpperMid: Double
    /// `P(Y ≤ y)`.
    public var pLower: Double
    /// `P(Y < y) + ½P(Y = y)`.
    public var pLowerMid: Double
    /// Outer lower limit (tail `(1 − outer)/2`, 0.001 by default).
    public var outerLower: FunnelLimit
    /// Inner lower limit (0.025).
    public var innerLower: FunnelLimit
    /// Inner upper limit (0.975).
    public var innerUpper: FunnelLimit
    /// Outer upper limit (0.999).
    public var outerUpper: FunnelLimit
    /// Flag from the interpolated limits (`y > limit` / `y < limit`; Spiegelhalter).
    public var flagByLimits: FunnelFlag
    /// Flag from the exact p-values: high when `p_upper ≤` the upper tail area, low when `p_lower ≤` the lower one.
    public var flagByExactP: FunnelFlag
    /// Flag from the mid-p values, same thresholds.
    public var flagByMidP: FunnelFlag
    /// The coverage levels used.
    public var levels: FunnelLevels

    /// Funnel statistics of `count` events against `expected` (> 0). `nil` when `count < 0` or
    /// `expected` is not positive and finite.
    public init?(count: Int, expected: Double, levels: FunnelLevels = .standard) {
        guard count >= 0, expected > 0, expected.isFinite,
              let outerLower = FunnelLimit(tail: levels.outerLowerTail, expected: expected),
              let innerLower = FunnelLimit(tail: levels.innerLowerTail, expected: expected),
              let innerUpper = FunnelLimit(tail: levels.innerUpperTail, expected: expected),
              let outerUpper = FunnelLimit(tail: levels.outerUpperTail, expected: expected) else { return nil }
        self.count = count
        self.expected = expected
        self.levels = levels
        ratio = Double(count) / expected
        let mass = PoissonDistribution.probability(of: count, mean: expected)
        let (atMost, above) = PoissonDistribution.tails(count, mean: expected)
        let below = PoissonDistribution.cdf(count - 1, mean: expected)
        pUpper = count == 0 ? 1 : above + mass
        pUpperMid = above + 0.5 * mass
        pLower = atMost
        pLowerMid = below + 0.5 * mass
        self.outerLower = outerLower
        self.innerLower = innerLower
        self.innerUpper = innerUpper
        self.outerUpper = outerUpper
        let y = Double(count)
        flagByLimits = Self.flag(high: (y > outerUpper.count, y > innerUpper.count),
                                 low: (y < outerLower.count, y < innerLower.count))
        let outerTail = levels.outerLowerTail
        let innerTail = levels.innerLowerTail
        flagByExactP = Self.flag(high: (pUpper <= outerTail, pUpper <= innerTail),
                                 low: (pLower <= outerTail, pLower <= innerTail))
        flagByMidP = Self.flag(high: (pUpperMid <= outerTail, pUpperMid <= innerTail),
                               low: (pLowerMid <= outerTail, pLowerMid <= innerTail))
    }

    /// Whether the limit flag and the exact-p flag differ (the "small-count honesty" case).
    public var flagsDisagree: Bool { flagByLimits != flagByExactP }

    private static func flag(high: (outer: Bool, inner: Bool), low: (outer: Bool, inner: Bool)) -> FunnelFlag {
        if high.outer { return .alarmHigh }
        if high.inner { return .alertHigh }
        if low.outer { return .alarmLow }
        if low.inner { return .alertLow }
        return .inControl
    }
}
