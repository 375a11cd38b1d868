import BinhYenCore
import BinhYenStats

/// Options of the `trend` analysis.
public struct TrendOptions: Sendable, Hashable {
    /// Which units to analyse; default every commune and village.
    public var level: UnitLevel
    /// Only these measures; nil = every measure in the panel.
    public var measures: [Measure]?
    /// Confidence level of the intervals (`--conf`).
    public var confidence: Double
    /// Significance level of the direction decision (`--alpha`).
    public var alpha: Double
    /// The log-linear count model (`--model`); `auto` chooses by the overdispersion check.
    public var model: CountTrendModel

    public init(level: UnitLevel = .all, measures: [Measure]? = nil, confidence: Double = 0.95, alpha: Double = 0.05,
                model: CountTrendModel = .auto) {
        self.level = level
        self.measures = measures
        self.confidence = confidence
        self.alpha = alpha
        self.model = model
    }
}

/// A year left out of a trend, and why (missing, incomplete or invalid; SPEC §4).
public struct SkippedYear: Sendable, Hashable {
    public var year: Int
    public var reason: LocalizedText
}

/// The trend of one series (unit, measure) over its complete years.
public struct TrendRow: Sendable, Hashable {
    public var unitKind: UnitKind
    public var commune: String?
    public var communeCode: String?
    /// Nil for a commune row.
    public var village: String?
    public var villageCode: String?
    public var measure: Measure
    /// Years used, ascending; counts are the judged counts (force majeure excluded).
    public var years: [Int]
    public var counts: [Int]
    /// Residents in each used year when every one is known (for rates and offsets), else nil.
    public var population: [Int]?
    /// Years between the first and last year with data that were left out.
    public var skipped: [SkippedYear]
    /// OLS, Mann–Kendall and Theil–Sen; nil when fewer than two years remain (see `problem`).
    public var summary: TrendSummary?
    /// Why `summary` is nil, or a caveat about it.
    public var problem: LocalizedText?
    /// Poisson / quasi-Poisson / negative binomial log-linear trend (METHODS §6) with a
    /// log-population offset when `population` is known for every year; nil before any fit was
    /// tried (fewer than two years). Its own `notes` say why fields are nil.
    public var countModel: CountTrendAnalysis?

    /// Village name, else commune name.
    public var unitName: String { village ?? commune ?? "" }
}

/// Computes OLS, Mann–Kendall and Theil–Sen trends (METHODS §5) and the log-linear count model
/// (METHODS §6) per unit and measure.
///
/// Counts are the judged counts (`count − excluded`), the same numbers `verify` judges; commune
/// totals come from the commune's own rows or the sum of its villages (complete only when every
/// village is complete). A missing or incomplete year is left out and listed in `skipped`, never
/// read as zero; Mann–Kendall uses the remaining values in time order, OLS and Theil–Sen the
/// actual calendar years, so gaps keep their length.
public struct TrendEngine: Sendable {
    public var options: TrendOptions
    private let analyzer: TrendAnalyzer
    private var countOptions: CountTrendOptions {
        CountTrendOptions(confidence: options.confidence, significanceLevel: options.alpha)
    }

    /// Fails when `confidence` or `alpha` is not strictly between 0 and 1.
    public init(options: TrendOptions = TrendOptions()) throws(TrendInputError) {
        self.options = options
        self.analyzer = try TrendAnalyzer(confidence: options.confidence, alpha: options.alpha)
    }

    /// One row per unit (at `options.level`) and measure, in panel order then measure order.
    public func trends(_ panel: Panel) -> [TrendRow] {
        let totals = YearTotals(panel: panel)
        let measures = options.measures ?? panel.measures
        let years = panel.years
        var rows: [TrendRow] = []
        for unit in panel.unitIndices(at: options.level) {
            for measure in measures {
                if let row = trend(unit: unit, measure: measure, years: years, panel: panel, totals: totals) {
                    rows.append(row)
                }
            }
        }
        return rows
    }

    /// The trend of one series; nil when the unit has no value at all for the measure.
    func trend(unit: Int, measure: Measure, years: [Int], panel: Panel, totals: YearTotals) -> TrendRow? {
        var used: [Int] = []
        var counts: [Int] = []
        var populations: [Int?] = []
        var problems: [SkippedYear] = []
        for year in years {
            switch totals.total(unit: unit, measure: measure, year: year) {
            case .success(let total):
                used.append(year)
                counts.append(total.judged)
                populations.append(total.population)
            case .failure(let problem):
                problems.append(SkippedYear(year: year, reason: problem.detail))
            }
        }
        guard let first = used.first, let last = used.last else { return nil }
        let unitInfo = panel.units[unit]
        let parent = unitInfo.parent.map { panel.units[$0] }
        let commune = unitInfo.kind == .commune ? unitInfo : parent
        let population = populations.allSatisfy { $0 != nil } ? populations.compactMap { $0 } : nil
        var row = TrendRow(
            unitKind: unitInfo.kind, commune: commune?.name, communeCode: commune?.code,
            village: unitInfo.kind == .village ? unitInfo.name : nil,
            villageCode: unitInfo.kind == .village ? unitInfo.code : nil,
            measure: measure, years: used, counts: counts,
            population: population,
            skipped: (first...last).filter { !used.contains($0) }.map { year in
                problems.first { $0.year == year }
                    ?? SkippedYear(year: year, reason: LocalizedText(vi: "không có số liệu năm \(year)", en: "no data for \(year)"))
            },
            summary: nil, problem: nil, countModel: nil)
        do {
            row.summary = try analyzer.summarize(years: used, values: counts.map(Double.init))
        } catch {
            row.problem = Self.describe(error)
        }
        if used.count >= 2 {
            let observations = used.indices.map { i in
                CountTrendObservation(year: used[i], count: counts[i], population: population.map { Double($0[i]) })
            }
            row.countModel = CountTrend.analyze(observations, model: options.model, options: countOptions)
        }
        if row.summary != nil, !row.skipped.isEmpty {
            let list = row.skipped.map { String($0.year) }.joined(separator: ", ")
            row.problem = LocalizedText(vi: "bỏ qua năm \(list) (thiếu hoặc chưa đủ kỳ)",
                                        en: "years \(list) left out (missing or incomplete)")
        }
        return row
    }

    static func describe(_ error: TrendInputError) -> LocalizedText {
        switch error {
        case .fewerThanTwoYears:
            return LocalizedText(vi: "cần ít nhất 2 năm có số liệu đầy đủ", en: "needs at least 2 complete years")
        case .tooLarge:
            return LocalizedText(vi: "số liệu quá lớn để tính xu hướng", en: "values too large for a trend")
        default:
            return LocalizedText(vi: "không tính được xu hướng (\(error))", en: "trend not computable (\(error))")
        }
    }
}
