import BinhYenCore
import BinhYenStats

/// The early-warning level of a village and measure (`watch` field of `hotspots`):
/// none < watch < warning < alarm.
public enum WatchLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case none
    case watch
    case warning
    case alarm

    private var rank: Int {
        switch self {
        case .none: return 0
        case .watch: return 1
        case .warning: return 2
        case .alarm: return 3
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    /// Word for tables: "Không" / "none", "Theo dõi" / "watch", "Cảnh báo" / "warning", "Báo động" / "alarm".
    public var label: LocalizedText {
        switch self {
        case .none: return LocalizedText(vi: "Không", en: "none")
        case .watch: return LocalizedText(vi: "Theo dõi", en: "watch")
        case .warning: return LocalizedText(vi: "Cảnh báo", en: "warning")
        case .alarm: return LocalizedText(vi: "Báo động", en: "alarm")
        }
    }
}

/// Which trend test counts as "a significant increasing trend" for the watch rule.
public enum WatchTrendTest: String, Sendable, Hashable, Codable, CaseIterable {
    /// Mann–Kendall on the yearly counts (exact p for ≤ 10 years).
    case mannKendall = "mann_kendall"
    /// Log-linear count model (Poisson, negative binomial when overdispersed; METHODS §6):
    /// annual rate ratio > 1 with p < α.
    case poisson
    /// Either test (points counted once when both fire).
    case either
}

/// Which funnel flag counts for the watch rule.
public enum WatchFunnelBasis: String, Sendable, Hashable, Codable, CaseIterable {
    /// The count above Spiegelhalter's interpolated limit (the funnel as drawn).
    case limits
    /// The exact exceedance p `P(Y ≥ y)` below the tail area (more conservative for small counts).
    case exactP = "exact_p"
}

/// The rule that turns hotspot evidence into a ``WatchLevel`` (the optional `[watch]` table of a
/// rule pack). Each firing condition adds its points; the level is the highest threshold the
/// total reaches. This is BinhYen's early-warning convention, not an official criterion: packs
/// say so in `source`.
///
/// ```toml
/// [watch]
/// source = "…"                 # optional citation or note
/// trend_test = "either"        # "mann_kendall" | "poisson" | "either"
/// trend_points = 1             # significant increasing trend
/// funnel_basis = "exact_p"     # "exact_p" | "limits"
/// funnel_alert_points = 1      # above the inner (95%) limit
/// funnel_alarm_points = 2      # above the outer (99.8%) limit
/// emerging_classes = ["new hot spot", "consecutive hot spot", "intensifying hot spot", "persistent hot spot"]
/// emerging_points = 1          # the emerging class is one of emerging_classes
/// rule_failed_points = 1       # the pack's rule for this measure is not met by the village
/// watch = 2                    # thresholds on the total, 1 ≤ watch ≤ warning ≤ alarm
/// warning = 3
/// alarm = 4
/// ```
/// Points are integers 0–100. Every key is optional; missing keys take the values above
/// (``standard``), which a pack without `[watch]` uses too.
public struct WatchRule: Sendable, Hashable, Codable {
    public var trendTest: WatchTrendTest
    public var trendPoints: Int
    public var funnelBasis: WatchFunnelBasis
    public var funnelAlertPoints: Int
    public var funnelAlarmPoints: Int
    public var emergingClasses: [EmergingHotSpotClass]
    public var emergingPoints: Int
    public var ruleFailedPoints: Int
    /// Smallest total that gives `watch`.
    public var watchThreshold: Int
    /// Smallest total that gives `warning`.
    public var warningThreshold: Int
    /// Smallest total that gives `alarm`.
    public var alarmThreshold: Int
    /// Citation or note from the pack; nil when the pack has none (or no `[watch]` table).
    public var source: String?

    public init(trendTest: WatchTrendTest = .either, trendPoints: Int = 1, funnelBasis: WatchFunnelBasis = .exactP,
                funnelAlertPoints: Int = 1, funnelAlarmPoints: Int = 2,
                emergingClasses: [EmergingHotSpotClass] = [.newHotSpot, .consecutiveHotSpot, .intensifyingHotSpot, .persistentHotSpot],
                emergingPoints: Int = 1, ruleFailedPoints: Int = 1, watchThreshold: Int = 2, warningThreshold: Int = 3,
                alarmThreshold: Int = 4, source: String? = nil) {
        self.trendTest = trendTest
        self.trendPoints = trendPoints
        self.funnelBasis = funnelBasis
        self.funnelAlertPoints = funnelAlertPoints
        self.funnelAlarmPoints = funnelAlarmPoints
        self.emergingClasses = emergingClasses
        self.emergingPoints = emergingPoints
        self.ruleFailedPoints = ruleFailedPoints
        self.watchThreshold = watchThreshold
        self.warningThreshold = warningThreshold
        self.alarmThreshold = alarmThreshold
        self.source = source
    }

    /// The default rule: one point each for a rising trend, a funnel alert, an emerging hot
    /// spot (new, consecutive, intensifying, persistent) and a failed rule; two for a funnel
    /// alarm; watch from 2 points, warning from 3, alarm from 4 — so one signal alone (say a
    /// village rule missed by one case) is not yet a watch.
    public static let standard = WatchRule()

    /// The level a total of `points` reaches.
    public func level(points: Int) -> WatchLevel {
        if points >= alarmThreshold { return .alarm }
        if points >= warningThreshold { return .warning }
        if points >= watchThreshold { return .watch }
        return .none
    }
}

extension RulePack {
    /// The pack's `[watch]` rule, or ``WatchRule/standard`` when the pack has none.
    public var effectiveWatch: WatchRule { watch ?? .standard }
}
