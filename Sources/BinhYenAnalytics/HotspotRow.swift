import BinhYenCore
import BinhYenStats

/// What Gi* is computed on (`--variable`; METHODS §8.5: the report states which).
public enum HotspotVariable: String, Sendable, Hashable, CaseIterable {
    /// Yearly counts (judged: force-majeure cases removed).
    case count
    /// Yearly rates per 1,000 residents (villages without a population that year are left out).
    case rate
}

/// One firing condition of the watch rule, with the numbers a sentence needs. The report layer
/// turns it into plain language (Vietnamese and English).
public enum WatchReason: Sendable, Hashable {
    /// Mann–Kendall on the yearly counts: significant increase.
    case risingTrendMannKendall(firstYear: Int, lastYear: Int, s: Int, p: Double, exact: Bool)
    /// Log-linear count model (Poisson, or negative binomial when overdispersed): annual rate
    /// ratio above 1 with p < α.
    case risingTrendCountModel(model: CountTrendModel, firstYear: Int, lastYear: Int, annualRateRatio: Double, p: Double)
    /// Funnel: the count is above the inner (`outer == false`) or outer limit in `year`.
    case funnelHigh(year: Int, outer: Bool, count: Int, expected: Double, limit: Double, coverage: Double,
                    pUpper: Double, exactAgrees: Bool)
    /// Emerging hot-spot class among the watched ones, with the years that made it.
    case emergingHotSpot(EmergingHotSpotClass, years: [Int])
    /// The pack's rule for this measure is not met by the village.
    case ruleNotMet(ruleText: LocalizedText, year: Int, previous: Int?, current: Int?)
}

/// A firing condition and the points it adds.
public struct WatchFinding: Sendable, Hashable {
    public var reason: WatchReason
    public var points: Int

    public init(reason: WatchReason, points: Int) {
        self.reason = reason
        self.points = points
    }
}

/// Why a hotspot field is empty or how it was obtained (the `note` field), as a stable code with
/// the facts a sentence needs.
public enum HotspotNote: Sendable, Hashable {
    /// No count for the judged year (missing, or incomplete months).
    case missingCount(year: Int)
    /// No population for the judged year or any earlier year: no rate, no funnel point.
    case missingPopulation(year: Int)
    /// The population of `from` was used for `year`.
    case populationCarriedForward(year: Int, from: Int)
    /// No `--adjacency` file: no Gi* and no emerging class.
    case noAdjacency
    /// The village is not in the adjacency file (an island in the graph).
    case island
    /// Gi* undefined in `year` for this reason (e.g. every village had the same value).
    case giUndefined(year: Int, problem: LocalGProblem)
    /// The funnel's limit flag and its exact-p flag differ.
    case funnelFlagsDisagree(limits: FunnelFlag, exactP: FunnelFlag)
    /// The target rate is zero (no events in the commune that year): no funnel.
    case zeroTargetRate
    /// Years in which the village had no value and was left out of that year's Gi*.
    case leftOutOfGi(years: [Int])
    /// The series is too short for some emerging classes.
    case emergingTooShort(steps: Int, requirements: [EmergingHotSpot.StepRequirement])
}

/// One row of `hotspots`: a village and measure in the judged year, with rate, funnel, Gi*,
/// emerging class, trend, rule verdict and watch level (SPEC §6–7).
public struct HotspotRow: Sendable, Hashable {
    public var commune: String?
    public var communeCode: String?
    public var village: String
    public var villageCode: String?
    /// Index of the village in the panel.
    public var unit: Int
    public var measure: Measure
    /// The judged year.
    public var year: Int
    /// Judged count (count − force-majeure exclusions) of the judged year.
    public var count: Int?
    /// Residents used as exposure for the judged year.
    public var population: Int?
    /// The year whose population was used (differs from `year` when carried forward).
    public var populationYear: Int?
    /// Rate per 1,000 residents with the exact (Garwood) interval.
    public var rate: RateEstimate?
    /// Target rate per 1,000 of the funnel: the pooled commune rate or `--target-rate`.
    public var targetRatePer1000: Double?
    /// Whether the target was given (`--target-rate`) rather than pooled.
    public var targetGiven: Bool
    /// Funnel statistics of the judged year.
    public var funnel: FunnelPoint?
    /// Local G of the judged year (the statistic of `variant` on `variable`).
    public var gi: LocalG?
    /// Benjamini–Hochberg adjusted p of `gi` among the villages of the commune that year.
    public var giPAdjusted: Double?
    public var variable: HotspotVariable
    public var variant: GiVariant
    /// Years of the Gi* series (time steps of the emerging class).
    public var giYears: [Int]
    /// Emerging hot-spot class from the per-year Gi* series.
    public var emerging: EmergingHotSpot?
    /// Years that made the emerging class.
    public var emergingYears: [Int]
    /// Years with a judged count up to the judged year (the trend's series).
    public var trendYears: [Int] = []
    /// OLS, Mann–Kendall and Theil–Sen on the yearly judged counts.
    public var trend: TrendSummary?
    /// Log-linear count model of the yearly judged counts (`--model auto`; with the population
    /// as offset when every year has one).
    public var countModel: CountTrendAnalysis?
    /// The pack's verdict for this village and measure (nil when the pack has no rule for it).
    public var verdict: VerdictRow?
    /// Conditions of the watch rule that fired.
    public var findings: [WatchFinding]
    /// Sum of the findings' points.
    public var points: Int
    public var watch: WatchLevel
    public var notes: [HotspotNote]
    public var period: PeriodScheme
    public var rulePackID: String

    /// The BH-adjusted ArcGIS bin.
    public var giBinAdjusted: Int? { GetisOrd.bin(z: gi?.z, p: giPAdjusted) }
}
