import BinhYenCore
import BinhYenStats

/// Options of `hotspots` (SPEC §7).
public struct HotspotOptions: Sendable, Hashable {
    /// The judged year; nil = the latest year in the panel.
    public var year: Int?
    /// Significance level of Gi*, Mann–Kendall and the rule tests (`--alpha`).
    public var alpha: Double
    /// Confidence level of the rate intervals (`--conf`).
    public var confidence: Double
    /// Funnel target in events per 1,000 residents (`--target-rate`); nil = pooled commune rate.
    public var targetRatePer1000: Double?
    /// What Gi* is computed on (`--variable`).
    public var variable: HotspotVariable
    /// Which local G (`--gi-variant`).
    public var variant: GiVariant
    /// The analysed measures; nil = the measures of the pack's rules present in the data, or
    /// every measure in the data when none is.
    public var measures: [Measure]?
    public var funnelLevels: FunnelLevels

    public init(year: Int? = nil, alpha: Double = 0.05, confidence: Double = 0.95, targetRatePer1000: Double? = nil,
                variable: HotspotVariable = .count, variant: GiVariant = .star, measures: [Measure]? = nil,
                funnelLevels: FunnelLevels = .standard) {
        self.year = year
        self.alpha = alpha
        self.confidence = confidence
        self.targetRatePer1000 = targetRatePer1000
        self.variable = variable
        self.variant = variant
        self.measures = measures
        self.funnelLevels = funnelLevels
    }
}

/// The hotspot engine behind `binhyen hotspots`: for every village of every commune and every
/// analysed measure, in the judged year Y —
///
/// * the judged count (count − force majeure; an incomplete year counts as missing) and the
///   population (own figure, else carried forward from the latest earlier year, with a note);
/// * the rate per 1,000 with its exact Garwood interval (``RateEstimate``, METHODS §3);
/// * funnel statistics (``FunnelPoint``, METHODS §4) against the pooled commune rate of Y
///   (`Σy/ΣP` over the villages with both) or the given target;
/// * with an adjacency graph: the local G of every year ≤ Y over the commune's villages with a
///   value that year (``GetisOrd``, METHODS §8), BH-adjusted per year, and the emerging class
///   of the per-year series (``EmergingHotSpot``, METHODS §9.3) with the years that made it;
/// * OLS / Mann–Kendall / Theil–Sen on the yearly counts (``TrendSummary``) and the log-linear
///   count model (``CountTrend``, `auto`: Poisson, or negative binomial when overdispersed; the
///   population as offset when every year has one);
/// * the pack's verdict for the village (``Verifier`` at village level);
/// * the watch level of the pack's ``WatchRule`` with every condition that fired.
///
/// Rows are sorted by watch level (alarm first), then points, then panel order and measure.
public struct HotspotAnalyzer: Sendable {
    public var pack: RulePack
    public var options: HotspotOptions

    public init(pack: RulePack, options: HotspotOptions = HotspotOptions()) {
        self.pack = pack
        self.options = options
    }

    /// The measures analysed in `panel` (see ``HotspotOptions/measures``).
    public func measures(in panel: Panel) -> [Measure] {
        if let chosen = options.measures { return chosen }
        let present = Set(panel.measures)
        let ruled = pack.rules.map(\.measure).filter(present.contains)
        return ruled.isEmpty ? panel.measures : ruled
    }

    /// Hotspot rows of every village. `edges` are undirected pairs of village unit indices (from
    /// an adjacency file); nil means no Gi* and no emerging class (noted on each row).
    public func analyze(_ panel: Panel, edges: [(Int, Int)]?) -> [HotspotRow] {
        guard let year = options.year ?? panel.years.last else { return [] }
        let verdicts = Verifier(pack: pack, options: VerifyOptions(year: year, confidence: options.confidence,
                                                                   alpha: options.alpha, level: .village)).verify(panel)
        var verdictIndex: [String: VerdictRow] = [:]
        for row in verdicts where !row.isOverall {
            if let measure = row.measure { verdictIndex[Self.key(row.commune, row.village, measure)] = row }
        }
        let trendAnalyzer = (try? TrendAnalyzer(confidence: options.confidence, alpha: options.alpha)) ?? TrendAnalyzer.standard
        var rows: [HotspotRow] = []
        for commune in panel.communes {
            let villages = panel.villages(of: commune)
            guard !villages.isEmpty else { continue }
            let graph = edges.flatMap { Self.graph(villages: villages, edges: $0) }
            for measure in measures(in: panel) {
                rows += analyzeGroup(panel: panel, commune: commune, villages: villages, graph: graph, measure: measure,
                                     year: year, verdicts: verdictIndex, trendAnalyzer: trendAnalyzer)
            }
        }
        return rows.enumerated().sorted { a, b in
            let left = a.element
            let right = b.element
            if left.watch != right.watch { return left.watch > right.watch }
            if left.points != right.points { return left.points > right.points }
            if left.unit != right.unit { return left.unit < right.unit }
            if left.measure != right.measure { return left.measure < right.measure }
            return a.offset < b.offset
        }.map(\.element)
    }

    static func key(_ commune: String?, _ village: String?, _ measure: Measure) -> String {
        "\(commune ?? "")\u{1F}\(village ?? "")\u{1F}\(measure)"
    }

    /// The neighbour graph of one commune's villages (positions in `villages`); edges leaving the
    /// commune are dropped. Nil only if the positions were invalid, which they cannot be.
    static func graph(villages: [Int], edges: [(Int, Int)]) -> SpatialNeighbours? {
        let position = Dictionary(uniqueKeysWithValues: villages.enumerated().map { ($1, $0) })
        let local = edges.compactMap { a, b -> (Int, Int)? in
            guard let i = position[a], let j = position[b], i != j else { return nil }
            return (i, j)
        }
        return try? SpatialNeighbours(count: villages.count, edges: local)
    }

    /// Judged count of `unit` in `year`; nil when missing, incomplete or invalid.
    static func judgedCount(_ panel: Panel, unit: Int, measure: Measure, year: Int) -> Int? {
        guard let value = panel.series[SeriesKey(unit: unit, measure: measure)]?[year], value.isComplete,
              value.excluded >= 0, value.excluded <= value.count else { return nil }
        return value.judged
    }

    /// Population of `unit` in `year`, else of the latest earlier year: (value, year used).
    static func population(_ panel: Panel, unit: Int, year: Int) -> (value: Int, year: Int)? {
        guard let byYear = panel.population[unit] else { return nil }
        if let own = byYear[year], own > 0 { return (own, year) }
        guard let earlier = byYear.filter({ $0.key < year && $0.value > 0 }).max(by: { $0.key < $1.key }) else { return nil }
        return (earlier.value, earlier.key)
    }

    private func analyzeGroup(panel: Panel, commune: Int, villages: [Int], graph: SpatialNeighbours?, measure: Measure,
                              year: Int, verdicts: [String: VerdictRow], trendAnalyzer: TrendAnalyzer) -> [HotspotRow] {
        let years = panel.years.filter { $0 <= year }
        let counts = villages.map { v in years.map { Self.judgedCount(panel, unit: v, measure: measure, year: $0) } }
        let populations = villages.map { v in years.map { Self.population(panel, unit: v, year: $0) } }
        let last = years.count - 1

        // Funnel target of the judged year.
        var target: Double?
        if let given = options.targetRatePer1000 {
            target = given / 1000
        } else if last >= 0 {
            var events = 0
            var residents = 0
            for i in villages.indices {
                if let y = counts[i][last], let p = populations[i][last]?.value { events += y; residents += p }
            }
            target = residents > 0 ? Double(events) / Double(residents) : nil
        }

        // Local G per year over the villages with a value that year.
        var giByYear = [[LocalG?]](repeating: [LocalG?](repeating: nil, count: years.count), count: villages.count)
        var adjustedByYear = [[Double?]](repeating: [Double?](repeating: nil, count: years.count), count: villages.count)
        var giYears: [Int] = []
        if let graph {
            for t in years.indices {
                let present = villages.indices.filter { value(counts[$0][t], populations[$0][t]) != nil }
                guard present.count >= 2 else { continue }
                let values = present.compactMap { value(counts[$0][t], populations[$0][t]) }
                guard let stats = try? GetisOrd.localG(values, neighbours: graph.induced(on: present), variant: options.variant) else { continue }
                let adjusted = MultipleTesting.benjaminiHochberg(stats.map(\.p))
                for (k, i) in present.enumerated() {
                    giByYear[i][t] = stats[k]
                    adjustedByYear[i][t] = adjusted[k]
                }
                giYears.append(years[t])
            }
        }

        let communeUnit = panel.units[commune]
        return villages.indices.map { i in
            let unit = villages[i]
            let village = panel.units[unit]
            var row = HotspotRow(commune: communeUnit.name, communeCode: communeUnit.code, village: village.name,
                                 villageCode: village.code, unit: unit, measure: measure, year: year, targetGiven: options.targetRatePer1000 != nil,
                                 variable: options.variable, variant: options.variant, giYears: giYears, emergingYears: [],
                                 findings: [], points: 0, watch: .none, notes: [], period: panel.scheme, rulePackID: pack.id)
            row.targetRatePer1000 = target.map { 1000 * $0 }
            let count = last >= 0 ? counts[i][last] : nil
            row.count = count
            if count == nil { row.notes.append(.missingCount(year: year)) }
            if let (population, from) = last >= 0 ? populations[i][last] : nil {
                row.population = population
                row.populationYear = from
                if from != year { row.notes.append(.populationCarriedForward(year: year, from: from)) }
                if let count {
                    row.rate = RateEstimate(count: count, population: Double(population), confidence: options.confidence)
                    if let target {
                        row.funnel = FunnelPoint(count: count, expected: target * Double(population), levels: options.funnelLevels)
                        if target == 0 { row.notes.append(.zeroTargetRate) }
                    }
                }
            } else {
                row.notes.append(.missingPopulation(year: year))
            }
            if let funnel = row.funnel, funnel.flagsDisagree {
                row.notes.append(.funnelFlagsDisagree(limits: funnel.flagByLimits, exactP: funnel.flagByExactP))
            }

            if let graph {
                if graph.lists[i].isEmpty { row.notes.append(.island) }
                if last >= 0 {
                    row.gi = giByYear[i][last]
                    row.giPAdjusted = adjustedByYear[i][last]
                    if let problem = giByYear[i][last]?.problem { row.notes.append(.giUndefined(year: year, problem: problem)) }
                }
                let steps = years.indices.filter { giYears.contains(years[$0]) }
                let leftOut = steps.filter { giByYear[i][$0] == nil }.map { years[$0] }
                if !leftOut.isEmpty { row.notes.append(.leftOutOfGi(years: leftOut)) }
                if !steps.isEmpty {
                    let emerging = EmergingHotSpot(z: steps.map { giByYear[i][$0]?.z }, p: steps.map { giByYear[i][$0]?.p },
                                                   giAlpha: options.alpha, mkAlpha: options.alpha)
                    row.emerging = emerging
                    row.emergingYears = emerging.evidenceSteps.map { years[steps[$0]] }
                    if !emerging.impossibleClasses.isEmpty {
                        row.notes.append(.emergingTooShort(steps: steps.count, requirements: emerging.impossibleClasses))
                    }
                }
            } else {
                row.notes.append(.noAdjacency)
            }

            let series = years.indices.compactMap { t in counts[i][t].map { (years[t], Double($0)) } }
            row.trendYears = series.map(\.0)
            if series.count >= 2 {
                row.trend = try? trendAnalyzer.summarize(years: series.map(\.0), values: series.map(\.1))
            }
            if series.count >= 3 {
                let exposures = years.indices.compactMap { t in counts[i][t] == nil ? nil : populations[i][t] }
                let withPopulation = exposures.count == series.count
                let observations = series.enumerated().map { k, point in
                    CountTrendObservation(year: point.0, count: Int(point.1),
                                          population: withPopulation ? Double(exposures[k].value) : nil)
                }
                row.countModel = CountTrend.analyze(observations, model: .auto,
                                                    options: CountTrendOptions(confidence: options.confidence, significanceLevel: options.alpha))
            }
            row.verdict = verdicts[Self.key(communeUnit.name, village.name, measure)]
            applyWatch(&row)
            return row
        }
    }

    /// The Gi* input of one village-year: the judged count, or the rate per 1,000.
    private func value(_ count: Int?, _ population: (value: Int, year: Int)?) -> Double? {
        guard let count else { return nil }
        switch options.variable {
        case .count: return Double(count)
        case .rate: return population.map { 1000 * Double(count) / Double($0.value) }
        }
    }

    /// Fills findings, points and level from the pack's watch rule.
    private func applyWatch(_ row: inout HotspotRow) {
        let rule = pack.effectiveWatch
        var findings: [WatchFinding] = []
        var trendPoints = rule.trendPoints
        if rule.trendTest != .poisson, let trend = row.trend, trend.direction == .increasing, rule.trendPoints > 0 {
            let exact = trend.mkPExact
            findings.append(WatchFinding(reason: .risingTrendMannKendall(firstYear: row.trendYears.first ?? row.year,
                                                                          lastYear: row.trendYears.last ?? row.year, s: trend.mkS,
                                                                          p: exact ?? trend.mkP, exact: exact != nil),
                                         points: trendPoints))
            trendPoints = 0
        }
        if rule.trendTest != .mannKendall, rule.trendPoints > 0, let model = row.countModel, let chosen = model.model,
           let ratio = model.annualRateRatio, let p = model.modelP, ratio > 1, p < options.alpha {
            findings.append(WatchFinding(reason: .risingTrendCountModel(model: chosen, firstYear: row.trendYears.first ?? row.year,
                                                                         lastYear: row.trendYears.last ?? row.year,
                                                                         annualRateRatio: ratio, p: p),
                                         points: trendPoints))
        }
        if let funnel = row.funnel, let count = row.count {
            let flag = rule.funnelBasis == .limits ? funnel.flagByLimits : funnel.flagByExactP
            if flag.isHigh {
                let outer = flag == .alarmHigh
                let limit = outer ? funnel.outerUpper.count : funnel.innerUpper.count
                let points = outer ? rule.funnelAlarmPoints : rule.funnelAlertPoints
                if points > 0 {
                    findings.append(WatchFinding(reason: .funnelHigh(year: row.year, outer: outer, count: count, expected: funnel.expected,
                                                                     limit: limit, coverage: outer ? funnel.levels.outer : funnel.levels.inner,
                                                                     pUpper: funnel.pUpper, exactAgrees: funnel.flagByExactP == funnel.flagByLimits),
                                                 points: points))
                }
            }
        }
        if let emerging = row.emerging, rule.emergingClasses.contains(emerging.category), rule.emergingPoints > 0 {
            findings.append(WatchFinding(reason: .emergingHotSpot(emerging.category, years: row.emergingYears), points: rule.emergingPoints))
        }
        if let verdict = row.verdict, verdict.verdict == .notMet, rule.ruleFailedPoints > 0 {
            findings.append(WatchFinding(reason: .ruleNotMet(ruleText: verdict.ruleText, year: verdict.year,
                                                             previous: verdict.prev, current: verdict.curr),
                                         points: rule.ruleFailedPoints))
        }
        row.findings = findings
        row.points = findings.reduce(0) { $0 + $1.points }
        row.watch = rule.level(points: row.points)
    }
}
