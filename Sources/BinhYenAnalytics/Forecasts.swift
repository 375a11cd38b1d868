import BinhYenCore
import BinhYenStats

/// The next-year forecast of one rule for one unit (SPEC §6 "forecast").
public struct ForecastRow: Sendable, Hashable {
    /// The series the forecast continues (years, judged counts, count model).
    public var trend: TrendRow
    public var rule: Rule
    /// The last complete year and its judged count: the "previous year" of the forecast year.
    public var lastYear: Int
    public var lastCount: Int
    /// The forecast itself; its `targetMax` is the rule's largest count that meets it against
    /// `lastCount`, and `probabilityOfMeetingTarget` is P(meet) with parameter uncertainty.
    public var forecast: CountForecast?
    /// Why there is no forecast or no target.
    public var problem: LocalizedText?
}

/// Forecasts next year's count of each rule's measure and the probability that the rule is met
/// (METHODS §7), for the units of a rule pack's level.
///
/// The count model is fitted on the complete years (judged counts, force majeure excluded;
/// population offset when known for every year). The target is the rule's own `target_max`
/// against the last complete year (e.g. ⌊19·y_last/20⌋ for a 5% reduction, `y_last − 1` for a
/// decrease, 0 for a zero rule); the zero-base policy applies when `y_last = 0`.
public struct ForecastEngine: Sendable {
    public var pack: RulePack
    public var trendOptions: TrendOptions
    /// Overrides the pack's zero-base policy.
    public var zeroBase: ZeroBasePolicy?
    private let trends: TrendEngine

    /// Fails when the confidence or significance level is not strictly between 0 and 1.
    public init(pack: RulePack, trendOptions: TrendOptions, zeroBase: ZeroBasePolicy? = nil) throws(TrendInputError) {
        self.pack = pack
        self.trendOptions = trendOptions
        self.zeroBase = zeroBase
        self.trends = try TrendEngine(options: trendOptions)
    }

    /// One row per unit at `trendOptions.level` and rule of the pack with any data.
    public func forecasts(_ panel: Panel) -> [ForecastRow] {
        let totals = YearTotals(panel: panel)
        let years = panel.years
        var rows: [ForecastRow] = []
        for unit in panel.unitIndices(at: trendOptions.level) {
            for rule in pack.rules {
                guard let trend = trends.trend(unit: unit, measure: rule.measure, years: years, panel: panel, totals: totals),
                      let lastYear = trend.years.last, let lastCount = trend.counts.last else { continue }
                var row = ForecastRow(trend: trend, rule: rule, lastYear: lastYear, lastCount: lastCount)
                let policy = zeroBase ?? pack.zeroBase
                guard let target = rule.test.targetMax(previous: lastCount, zeroBase: policy) else {
                    row.problem = LocalizedText(vi: "năm \(lastYear) bằng 0: tiêu chí không áp dụng",
                                                en: "\(lastYear) is zero: the rule does not apply")
                    rows.append(row)
                    continue
                }
                guard target >= 0 else {
                    row.problem = LocalizedText(vi: "không có mức nào đạt tiêu chí", en: "no count meets the rule")
                    rows.append(row)
                    continue
                }
                if let model = trend.countModel {
                    row.forecast = model.forecast(model: trendOptions.model, targetMax: target)
                } else {
                    row.problem = trend.problem ?? LocalizedText(vi: "cần ít nhất 3 năm đầy đủ", en: "needs at least 3 complete years")
                }
                rows.append(row)
            }
        }
        return rows
    }
}
