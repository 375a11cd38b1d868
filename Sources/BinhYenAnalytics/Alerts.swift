import BinhYenCore
import BinhYenStats

/// The aberration detectors of `binhyen alerts` (METHODS §10).
public enum AlertMethod: String, Sendable, Hashable, CaseIterable {
    /// surveillance `algo.farrington`.
    case farrington
    /// surveillance `farringtonFlexible`.
    case farringtonFlexible = "farrington-flexible"
    /// surveillance `algo.cusum`.
    case cusum
    /// Lucas' Poisson CUSUM.
    case poissonCUSUM = "poisson-cusum"
    /// Poisson EWMA (Borror, Champ & Rigdon 1998).
    case poissonEWMA = "poisson-ewma"

    /// Whether the method is one of the Farrington variants.
    public var isFarrington: Bool { self == .farrington || self == .farringtonFlexible }
}

/// The in-control mean of `algo.cusum` (`m`).
public enum CUSUMBaseline: String, Sendable, Hashable, CaseIterable {
    /// The mean of all values before the first monitored point.
    case mean
    /// A Poisson GLM with one yearly harmonic on the values before the first monitored point.
    case glm
}

/// Options of the alerts runner; defaults are surveillance's (Farrington b = 5, w = 3, α = 0.05;
/// CUSUM k = 1.04, h = 2.26) and METHODS §10.2–10.3 (Poisson CUSUM μ1 = 1.5μ0, h = 4; EWMA
/// λ = 0.2, L = 2.7).
public struct AlertOptions: Sendable, Hashable {
    public var method: AlertMethod
    /// Farrington parameters (the variant follows `method`).
    public var farrington: FarringtonOptions
    /// `algo.cusum` standardisation.
    public var cusumTransform: CUSUMTransform
    public var cusumBaseline: CUSUMBaseline
    /// CUSUM reference value: `k` of `algo.cusum` (standardised units, default 1.04), or of the Poisson
    /// CUSUM in counts (default `(μ1 − μ0)/(ln μ1 − ln μ0)`).
    public var k: Double?
    /// CUSUM decision limit: `h` (default 2.26 for `algo.cusum`, 4 for the Poisson CUSUM).
    public var h: Double?
    /// Poisson CUSUM: the mean to detect as a multiple of μ0 (> 1; default 1.5).
    public var shift: Double
    /// EWMA smoothing λ in (0, 1].
    public var lambda: Double
    /// EWMA limit width L (in standard deviations).
    public var limitWidth: Double
    /// First and last monitored subperiod (`--range FROM:TO`); nil = the method's default.
    public var from: PeriodPoint?
    public var to: PeriodPoint?
    /// Months or weeks; nil = weeks when the data carry weeks, else months.
    public var kind: SubperiodKind?
    public var level: UnitLevel
    /// Only these measures; nil = every count measure of the panel (not `damage_vnd`).
    public var measures: [Measure]?

    public init(method: AlertMethod, farrington: FarringtonOptions? = nil, cusumTransform: CUSUMTransform = .standard,
                cusumBaseline: CUSUMBaseline = .mean, k: Double? = nil, h: Double? = nil, shift: Double = 1.5,
                lambda: Double = 0.2, limitWidth: Double = 2.7, from: PeriodPoint? = nil, to: PeriodPoint? = nil,
                kind: SubperiodKind? = nil, level: UnitLevel = .all, measures: [Measure]? = nil) {
        self.method = method
        self.farrington = farrington ?? FarringtonOptions(variant: method == .farringtonFlexible ? .flexible : .original)
        self.cusumTransform = cusumTransform
        self.cusumBaseline = cusumBaseline
        self.k = k
        self.h = h
        self.shift = shift
        self.lambda = lambda
        self.limitWidth = limitWidth
        self.from = from
        self.to = to
        self.kind = kind
        self.level = level
        self.measures = measures
    }
}

/// Why a time point has (or has not) an alarm: a stable code for exports.
public enum AlertReason: String, Sendable, Hashable, CaseIterable {
    /// The count exceeds the threshold (Farrington), or the chart statistic reached its limit.
    case aboveThreshold = "above_threshold"
    /// Within the threshold / limit.
    case withinThreshold = "within_threshold"
    /// Above the Farrington threshold, but fewer cases than `limit54` asks in the recent periods.
    case tooFewCases = "too_few_cases"
    /// EWMA statistic below its lower limit (an unusually low period).
    case belowLowerLimit = "below_lower_limit"
    /// The count of this period is missing.
    case missingObservation = "missing_observation"
    /// No model: no reference value present, or the GLM failed.
    case noFit = "no_fit"
}

/// Why the runner cannot start.
public enum AlertsError: Error, Sendable, Hashable {
    /// The panel has no month (or week) data.
    case noSubperiodData(SubperiodKind)
    /// `--range` names a period outside the data, or FROM after TO.
    case rangeOutsideData(first: PeriodPoint, last: PeriodPoint, kind: SubperiodKind)
    /// Farrington: the first monitored point lacks `needed` earlier periods (`available` exist).
    case historyTooShort(HistoryShortfall)
    /// CUSUM/EWMA: nothing before the first monitored point (or its mean is 0).
    case noBaseline(first: PeriodPoint, kind: SubperiodKind)
    /// A parameter is out of range (surveillance or CLI name).
    case invalidParameter(String)
    /// `populationOffset` needs the population of `unit` in every year of the timeline.
    case missingPopulation(unit: String, years: [Int])
}

/// The facts of a too-short history and the settings that would work (for the message).
public struct HistoryShortfall: Sendable, Hashable {
    public var kind: SubperiodKind
    /// First monitored period and the first period of the data.
    public var firstMonitored: PeriodPoint
    public var firstData: PeriodPoint
    /// Earlier periods needed (`freq·b + w`) and available.
    public var needed: Int
    public var available: Int
    public var yearsBack: Int
    public var halfWindow: Int
    /// The largest `b` that works with the given `w` (nil when none).
    public var longestYearsBack: Int?
    /// The largest `w` that works with the given `b` (nil when none).
    public var longestHalfWindow: Int?
    /// The earliest period that can be monitored with the given `b` and `w` (nil when the data are too short).
    public var earliestStart: PeriodPoint?

    /// The message: what is needed, what exists, and the longest setting that would work.
    public var message: LocalizedText {
        let unit = kind.plural
        var vi = "Chuỗi quá ngắn cho b = \(yearsBack), w = \(halfWindow): giám sát từ \(firstMonitored.label(kind)) cần \(needed) \(unit.vi) trước đó (cửa sổ tham chiếu lùi \(yearsBack) năm ± \(halfWindow) \(kind.label.vi)), nhưng số liệu bắt đầu từ \(firstData.label(kind)) nên chỉ có \(available)."
        var en = "History too short for b = \(yearsBack), w = \(halfWindow): monitoring from \(firstMonitored.label(kind)) needs \(needed) earlier \(unit.en) (reference windows \(yearsBack) years back ± \(halfWindow) \(unit.en)), but the data start at \(firstData.label(kind)), so there are only \(available)."
        var viOptions: [String] = []
        var enOptions: [String] = []
        if let b = longestYearsBack {
            viOptions.append("--b \(b) (giữ w = \(halfWindow))")
            enOptions.append("--b \(b) (keeping w = \(halfWindow))")
        }
        if let w = longestHalfWindow {
            viOptions.append("--w \(w) (giữ b = \(yearsBack))")
            enOptions.append("--w \(w) (keeping b = \(yearsBack))")
        }
        if let start = earliestStart {
            viOptions.append("--range \(start.label(kind)):… (bắt đầu muộn hơn)")
            enOptions.append("--range \(start.label(kind)):… (start later)")
        }
        if viOptions.isEmpty {
            vi += " Không có thiết lập nào dùng được với số liệu này."
            en += " No setting works with these data."
        } else {
            vi += " Thiết lập dài nhất dùng được: " + viOptions.joined(separator: "; hoặc ") + "."
            en += " Longest setting that works: " + enOptions.joined(separator: "; or ") + "."
        }
        return LocalizedText(vi: vi, en: en)
    }
}

/// One monitored period of one series under one method (SPEC §6 "aberration").
public struct AlertRow: Sendable, Hashable {
    public var unitKind: UnitKind
    public var commune: String?
    public var communeCode: String?
    /// Nil for a commune row.
    public var village: String?
    public var villageCode: String?
    public var measure: Measure
    public var method: AlertMethod
    public var kind: SubperiodKind
    public var period: PeriodPoint
    /// 1-based position in the timeline (surveillance's time index).
    public var index: Int
    public var observed: Int?
    /// Expected count (μ0, the CUSUM/EWMA in-control mean).
    public var expected: Double?
    /// The count at or above which (Farrington: above which) this period raises an alarm.
    public var upper: Double?
    /// Farrington: `(y − μ0)/(U − μ0)`; CUSUM: `C_t`/`S_t`; EWMA: `Z_t`.
    public var score: Double?
    /// What the score is compared with: 1 (Farrington), h (CUSUM), UCL_t (EWMA).
    public var scoreLimit: Double?
    /// EWMA: LCL_t.
    public var scoreLowerLimit: Double?
    public var alarm: Bool?
    /// EWMA: the low alarm.
    public var lowAlarm: Bool?
    public var reason: AlertReason
    /// Farrington: upper-tail probability of the count.
    public var pValue: Double?
    /// Farrington: φ of the final fit.
    public var dispersion: Double?
    public var trendUsed: Bool?
    public var trendCoefficient: Double?
    /// farringtonFlexible's `mu0Vector`.
    public var mu0Quantile: Double?
    /// Farrington: reference values in the fit.
    public var baselineSize: Int?
    /// Farrington: cases in the last `limit54[2]` periods.
    public var recentCases: Int?

    /// Village name, else commune name.
    public var unitName: String { village ?? commune ?? "" }
}

/// Runs one aberration method over the monthly (or weekly) series of a panel (METHODS §10).
///
/// Series: every unit at `options.level` and measure, counts per subperiod along one timeline
/// shared by all series (first to last year of the panel); commune totals are the sum of the
/// villages when the commune has no rows of its own. A missing subperiod is missing: it is left
/// out of baselines and reference windows, and its row has no alarm (reason
/// `missing_observation`).
///
/// Range: `from`…`to` (defaults: Farrington from the first period with `freq·b + w` earlier
/// periods; CUSUM and EWMA from the first period of the last year), everything before `from`
/// being history. Baselines of the charts: the mean of the history of each series (or, for
/// `algo.cusum --m glm`, its seasonal GLM).
public struct AlertsRunner: Sendable {
    public var options: AlertOptions

    public init(options: AlertOptions) {
        self.options = options
    }

    /// The timeline, the granularity and the monitored positions for `panel`.
    public func plan(_ panel: Panel) throws(AlertsError) -> (kind: SubperiodKind, timeline: [PeriodPoint], monitored: Range<Int>) {
        let kind = options.kind ?? SubperiodCounts.kind(of: panel)
        let counts = SubperiodCounts(panel: panel, kind: kind)
        let timeline = counts.timeline
        let hasData = panel.series.values.contains { years in
            years.values.contains { !(kind == .month ? $0.months : $0.weeks).isEmpty }
        }
        guard let first = timeline.first, let last = timeline.last, hasData else { throw .noSubperiodData(kind) }
        let frequency = kind.frequency
        let start: Int
        if let from = options.from {
            guard let index = timeline.firstIndex(of: from) else { throw .rangeOutsideData(first: first, last: last, kind: kind) }
            start = index
        } else if options.method.isFarrington {
            start = options.farrington.neededHistory(frequency: frequency)
        } else {
            start = timeline.firstIndex { $0.year == last.year } ?? 0
        }
        let end: Int
        if let to = options.to {
            guard let index = timeline.firstIndex(of: to) else { throw .rangeOutsideData(first: first, last: last, kind: kind) }
            end = index
        } else {
            end = timeline.count - 1
        }
        if options.method.isFarrington {
            if let name = options.farrington.invalidParameter(frequency: frequency) { throw .invalidParameter(name) }
            let needed = options.farrington.neededHistory(frequency: frequency)
            if start < needed || start >= timeline.count {
                // Without --range the latest period is the best case: judge the shortfall there.
                let judged = options.from == nil ? timeline.count - 1 : start
                throw .historyTooShort(shortfall(kind: kind, timeline: timeline, start: judged, needed: needed))
            }
        } else if start == 0 {
            throw .noBaseline(first: timeline[0], kind: kind)
        }
        guard start <= end, start < timeline.count else { throw .rangeOutsideData(first: first, last: last, kind: kind) }
        return (kind, timeline, start..<(end + 1))
    }

    private func shortfall(kind: SubperiodKind, timeline: [PeriodPoint], start: Int, needed: Int) -> HistoryShortfall {
        let frequency = kind.frequency
        let b = options.farrington.yearsBack
        let w = options.farrington.halfWindow
        let available = start
        let longestB = (available - w) / frequency
        let longestW = available - frequency * b
        return HistoryShortfall(
            kind: kind, firstMonitored: timeline[start], firstData: timeline[0], needed: needed, available: available,
            yearsBack: b, halfWindow: w, longestYearsBack: available - w >= frequency && longestB >= 1 ? longestB : nil,
            longestHalfWindow: longestW >= 0 && 2 * longestW + 1 <= frequency ? min(longestW, (frequency - 1) / 2) : nil,
            earliestStart: needed < timeline.count ? timeline[needed] : nil)
    }

    /// One row per unit, measure and monitored period, in panel order, then measure, then time.
    public func run(_ panel: Panel) throws(AlertsError) -> [AlertRow] {
        let (kind, timeline, monitored) = try plan(panel)
        let counts = SubperiodCounts(panel: panel, kind: kind)
        let totals = YearTotals(panel: panel)
        var rows: [AlertRow] = []
        for unit in panel.unitIndices(at: options.level) {
            // Money amounts are not counts: left out unless asked for by name.
            for measure in options.measures ?? panel.measures.filter({ $0.metric != .damageVND }) {
                let series = counts.series(unit: unit, measure: measure, timeline: timeline)
                guard series.contains(where: { $0 != nil }) else { continue }
                let template = identity(unit: unit, measure: measure, panel: panel, kind: kind)
                var populations: [Double]?
                if options.method.isFarrington && options.farrington.populationOffset {
                    let values = timeline.map { totals.population(unit: unit, year: $0.year).map(Double.init) }
                    guard values.allSatisfy({ $0 != nil }) else {
                        let years = Set(zip(timeline, values).filter { $0.1 == nil }.map(\.0.year)).sorted()
                        throw .missingPopulation(unit: panel.units[unit].name, years: years)
                    }
                    populations = values.compactMap { $0 }
                }
                rows += try evaluate(series, template: template, timeline: timeline, monitored: monitored,
                                     frequency: kind.frequency, populations: populations)
            }
        }
        return rows
    }

    /// A row with the identity fields of a series.
    private func identity(unit: Int, measure: Measure, panel: Panel, kind: SubperiodKind) -> AlertRow {
        let own = panel.units[unit]
        let parent = own.parent.flatMap { panel.units.indices.contains($0) ? panel.units[$0] : nil }
        let commune = own.kind == .commune ? own : parent
        return AlertRow(unitKind: own.kind, commune: commune?.name, communeCode: commune?.code,
                        village: own.kind == .village ? own.name : nil, villageCode: own.kind == .village ? own.code : nil,
                        measure: measure, method: options.method, kind: kind, period: PeriodPoint(year: 0, number: 0),
                        index: 0, reason: .noFit)
    }

    private func evaluate(_ series: [Int?], template: AlertRow, timeline: [PeriodPoint], monitored: Range<Int>,
                          frequency: Int, populations: [Double]?) throws(AlertsError) -> [AlertRow] {
        func row(_ index: Int) -> AlertRow {
            var row = template
            row.period = timeline[index]
            row.index = index + 1
            row.observed = series[index]
            return row
        }
        switch options.method {
        case .farrington, .farringtonFlexible:
            let points: [FarringtonPoint]
            do {
                points = try FarringtonDetector.run(counts: series, frequency: frequency, monitored: monitored,
                                                    options: options.farrington, populations: populations)
            } catch {
                throw .invalidParameter("\(error)")
            }
            return points.map { point in
                var result = row(point.index)
                result.expected = point.expected
                result.upper = point.upperBound
                result.score = point.score
                result.scoreLimit = 1
                result.alarm = point.alarm
                result.pValue = point.pValue
                result.dispersion = point.dispersion
                result.trendUsed = point.trendUsed
                result.trendCoefficient = point.trendCoefficient
                result.mu0Quantile = point.mu0Quantile
                result.baselineSize = point.baselineSize
                result.recentCases = point.recentCases
                switch point.status {
                case .fitFailed: result.reason = .noFit
                case .missingObservation: result.reason = .missingObservation
                case .evaluated:
                    if point.alarm == true {
                        result.reason = .aboveThreshold
                    } else if let score = point.score, score > 1, !point.enoughCases {
                        result.reason = .tooFewCases
                    } else {
                        result.reason = .withinThreshold
                    }
                }
                return result
            }
        case .cusum, .poissonCUSUM, .poissonEWMA:
            let points: [ControlChartPoint]
            do {
                points = try chart(series, frequency: frequency, monitored: monitored, firstPeriod: timeline[0])
            } catch .emptyBaseline, .baselineFitFailed {
                // A series without history (or only zeros) cannot be standardised: no judgement.
                return monitored.map { index in
                    var result = row(index)
                    result.reason = .noFit
                    return result
                }
            } catch {
                throw .invalidParameter("\(error)")
            }
            return points.map { point in
                var result = row(point.index)
                result.expected = point.expected
                result.upper = point.upperBound
                result.score = point.statistic
                result.scoreLimit = point.limit
                result.scoreLowerLimit = point.lowerLimit
                result.alarm = point.alarm
                result.lowAlarm = point.lowAlarm
                if point.alarm == nil {
                    result.reason = .missingObservation
                } else if point.alarm == true {
                    result.reason = .aboveThreshold
                } else if point.lowAlarm == true {
                    result.reason = .belowLowerLimit
                } else {
                    result.reason = .withinThreshold
                }
                return result
            }
        }
    }

    private func chart(_ series: [Int?], frequency: Int, monitored: Range<Int>,
                       firstPeriod: PeriodPoint) throws(ControlChartInputError) -> [ControlChartPoint] {
        switch options.method {
        case .cusum:
            let means: [Double]
            switch options.cusumBaseline {
            case .mean:
                means = Array(repeating: try ControlCharts.baselineMean(counts: series, before: monitored.lowerBound),
                              count: monitored.count)
            case .glm:
                means = try ControlCharts.seasonalBaseline(counts: series, frequency: frequency, startPeriod: firstPeriod.number,
                                                           monitored: monitored)
            }
            return try ControlCharts.cusum(counts: series, monitored: monitored, means: means, transform: options.cusumTransform,
                                           k: options.k ?? 1.04, h: options.h ?? 2.26)
        case .poissonCUSUM:
            let mu0 = try ControlCharts.baselineMean(counts: series, before: monitored.lowerBound)
            return try ControlCharts.poissonCUSUM(counts: series, monitored: monitored, mu0: mu0, mu1: options.shift * mu0,
                                                  referenceValue: options.k, h: options.h ?? 4)
        default:
            let mu0 = try ControlCharts.baselineMean(counts: series, before: monitored.lowerBound)
            return try ControlCharts.poissonEWMA(counts: series, monitored: monitored, mu0: mu0, lambda: options.lambda,
                                                 width: options.limitWidth)
        }
    }
}
