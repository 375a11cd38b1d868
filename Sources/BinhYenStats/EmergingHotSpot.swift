/// The 17 emerging hot-spot categories (ArcGIS Pro "How Emerging Hot Spot Analysis works";
/// METHODS §9.2). Raw values are the canonical lower-case names used in the golden files and
/// exports (`"new hot spot"`, `"no pattern detected"`).
public enum EmergingHotSpotClass: String, Sendable, Hashable, CaseIterable, Codable {
    case newHotSpot = "new hot spot"
    case consecutiveHotSpot = "consecutive hot spot"
    case intensifyingHotSpot = "intensifying hot spot"
    case persistentHotSpot = "persistent hot spot"
    case diminishingHotSpot = "diminishing hot spot"
    case sporadicHotSpot = "sporadic hot spot"
    case oscillatingHotSpot = "oscillating hot spot"
    case historicalHotSpot = "historical hot spot"
    case newColdSpot = "new cold spot"
    case consecutiveColdSpot = "consecutive cold spot"
    case intensifyingColdSpot = "intensifying cold spot"
    case persistentColdSpot = "persistent cold spot"
    case diminishingColdSpot = "diminishing cold spot"
    case sporadicColdSpot = "sporadic cold spot"
    case oscillatingColdSpot = "oscillating cold spot"
    case historicalColdSpot = "historical cold spot"
    case noPattern = "no pattern detected"

    /// Whether the class is one of the hot-spot classes.
    public var isHot: Bool { rawValue.hasSuffix("hot spot") }

    /// Snake-case id for machine use (`new_hot_spot`).
    public var id: String { String(rawValue.map { $0 == " " ? "_" : $0 }) }
}

/// The "90% of time steps" rule, decided in integers (METHODS §0): `10·k ≥ 9·n`.
private func isNinetyPercent(_ k: Int, of n: Int) -> Bool { 10 * k >= 9 * n }

/// Emerging hot-spot classification of one location from its per-step Gi* z-scores and p-values
/// (METHODS §9.1 steps 2–4, with the deterministic precedence of §9.3).
///
/// A step is a significant hot spot when `p < giAlpha` and `z > 0`, cold when `p < giAlpha` and
/// `z < 0`; a step with no z (`nil`: no variation that year) is neither. Mann–Kendall
/// (tie- and continuity-corrected, two-sided, normal p as in the references) runs on the
/// available z-scores in time order; "increasing" means `p < mkAlpha` and `S > 0`.
/// Precedence (§9.3): if the final step is hot, the hot branch decides (intensifying /
/// diminishing / persistent when ≥ 90% of steps are hot, else oscillating if any cold step,
/// else new if no earlier hot step, else consecutive if the final run of hot steps has length
/// ≥ 2 and no hot step precedes it, else sporadic); the cold branch mirrors it; else historical
/// hot/cold when ≥ 90% of steps were hot/cold; else no pattern.
///
/// ``evidenceSteps`` lists the steps that made the class; ``impossibleClasses`` says which
/// classes the series is too short to reach (e.g. "historical" needs ≥ 10 steps), so a report can
/// state it plainly.
public struct EmergingHotSpot: Sendable, Hashable {
    /// Number of time steps `n`.
    public var stepCount: Int
    /// The class.
    public var category: EmergingHotSpotClass
    /// Significant hot-spot flag per step.
    public var hotSteps: [Bool]
    /// Significant cold-spot flag per step.
    public var coldSteps: [Bool]
    /// Mann–Kendall on the available z-scores; `nil` when fewer than two steps have a z.
    public var trend: MannKendall?
    /// Indices of the steps that made the class (e.g. the final run for "consecutive", every hot
    /// step for "persistent", the final hot step and the earlier cold steps for "oscillating");
    /// empty for "no pattern detected".
    public var evidenceSteps: [Int]
    /// Classes this number of steps cannot produce at these significance levels, with the
    /// number of steps each one needs.
    public var impossibleClasses: [StepRequirement]

    /// A class and the number of time steps it needs at the chosen significance levels.
    public struct StepRequirement: Sendable, Hashable {
        public var category: EmergingHotSpotClass
        public var minimumSteps: Int

        public init(category: EmergingHotSpotClass, minimumSteps: Int) {
            self.category = category
            self.minimumSteps = minimumSteps
        }
    }

    /// Classifies the series `z` (per step, `nil` = undefined) with two-sided p-values `p`.
    /// Both arrays must have the same length; extra entries of the longer one are ignored.
    public init(z: [Double?], p: [Double?], giAlpha: Double = 0.05, mkAlpha: Double = 0.05) {
        let n = min(z.count, p.count)
        stepCount = n
        var hot = [Bool](repeating: false, count: n)
        var cold = [Bool](repeating: false, count: n)
        for t in 0..<n {
            guard let zt = z[t], let pt = p[t], pt < giAlpha else { continue }
            hot[t] = zt > 0
            cold[t] = zt < 0
        }
        hotSteps = hot
        coldSteps = cold
        let available = z.prefix(n).compactMap { $0 }
        trend = available.count >= 2 ? MannKendall(values: available, exactUpTo: 0) : nil
        let rising = trend.map { $0.p < mkAlpha && $0.s > 0 } ?? false
        let falling = trend.map { $0.p < mkAlpha && $0.s < 0 } ?? false
        impossibleClasses = Self.impossible(stepCount: n, mkAlpha: mkAlpha)

        guard n > 0 else {
            category = .noPattern
            evidenceSteps = []
            return
        }
        if hot[n - 1] {
            (category, evidenceSteps) = Self.branch(own: hot, other: cold, up: rising, down: falling, hot: true)
        } else if cold[n - 1] {
            (category, evidenceSteps) = Self.branch(own: cold, other: hot, up: falling, down: rising, hot: false)
        } else if isNinetyPercent(hot.filter { $0 }.count, of: n) {
            category = .historicalHotSpot
            evidenceSteps = hot.indices.filter { hot[$0] }
        } else if isNinetyPercent(cold.filter { $0 }.count, of: n) {
            category = .historicalColdSpot
            evidenceSteps = cold.indices.filter { cold[$0] }
        } else {
            category = .noPattern
            evidenceSteps = []
        }
    }

    /// The branch of §9.3 for a final step significant in `own`'s sign.
    private static func branch(own: [Bool], other: [Bool], up: Bool, down: Bool,
                               hot: Bool) -> (EmergingHotSpotClass, [Int]) {
        let n = own.count
        let ownSteps = own.indices.filter { own[$0] }
        if isNinetyPercent(ownSteps.count, of: n) {
            let category: EmergingHotSpotClass = up ? (hot ? .intensifyingHotSpot : .intensifyingColdSpot)
                : down ? (hot ? .diminishingHotSpot : .diminishingColdSpot)
                : (hot ? .persistentHotSpot : .persistentColdSpot)
            return (category, ownSteps)
        }
        let otherSteps = other.indices.filter { other[$0] }
        if !otherSteps.isEmpty {
            return (hot ? .oscillatingHotSpot : .oscillatingColdSpot, (otherSteps + [n - 1]).sorted())
        }
        if ownSteps == [n - 1] {
            return (hot ? .newHotSpot : .newColdSpot, [n - 1])
        }
        var runStart = n - 1
        while runStart > 0 && own[runStart - 1] { runStart -= 1 }
        let runLength = n - runStart
        if runLength >= 2 && !own[0..<runStart].contains(true) {
            return (hot ? .consecutiveHotSpot : .consecutiveColdSpot, Array(runStart..<n))
        }
        return (hot ? .sporadicHotSpot : .sporadicColdSpot, ownSteps)
    }

    /// The smallest number of steps at which a perfectly monotone series reaches `p < mkAlpha`
    /// in the normal Mann–Kendall test (5 at α = 0.05), capped at 64.
    public static func minimumStepsForTrend(mkAlpha: Double) -> Int {
        for n in 2...64 {
            let ramp = (0..<n).map(Double.init)
            if MannKendall(values: ramp, exactUpTo: 0).p < mkAlpha { return n }
        }
        return 65
    }

    /// Classes out of reach with `stepCount` steps: new needs ≥ 2 steps (one step is 100%),
    /// consecutive and sporadic ≥ 3 (a run of two below 90%), oscillating ≥ 2, intensifying/diminishing need a significant Mann–Kendall trend, historical needs
    /// ≥ 10 steps (the final step not significant while ≥ 90% are).
    static func impossible(stepCount n: Int, mkAlpha: Double) -> [StepRequirement] {
        var needs: [(EmergingHotSpotClass, Int)] = [
            (.newHotSpot, 2), (.newColdSpot, 2), (.persistentHotSpot, 1), (.persistentColdSpot, 1),
            (.consecutiveHotSpot, 3), (.consecutiveColdSpot, 3),
            (.sporadicHotSpot, 3), (.sporadicColdSpot, 3), (.oscillatingHotSpot, 2), (.oscillatingColdSpot, 2),
            (.historicalHotSpot, 10), (.historicalColdSpot, 10),
        ]
        let trendSteps = minimumStepsForTrend(mkAlpha: mkAlpha)
        needs += [(.intensifyingHotSpot, trendSteps), (.intensifyingColdSpot, trendSteps),
                  (.diminishingHotSpot, trendSteps), (.diminishingColdSpot, trendSteps)]
        return needs.filter { n < $0.1 }.map { StepRequirement(category: $0.0, minimumSteps: $0.1) }
            .sorted { ($0.minimumSteps, $0.category.rawValue) < ($1.minimumSteps, $1.category.rawValue) }
    }

    /// How many of the `n` steps the "≥ 90%" classes need: `⌈0.9·n⌉` (all 8 of 8).
    public static func stepsForNinetyPercent(of n: Int) -> Int { (9 * n + 9) / 10 }
}
