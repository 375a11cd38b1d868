import BinhYenCore
import BinhYenStats

/// Options of `binhyen ytd` (SPEC §7).
public struct YearToDateOptions: Sendable, Hashable {
    /// The reporting year and the last month counted (`--through YYYY-MM`); months are the
    /// labelled months of the data (`YearValue.months`).
    public var through: PeriodPoint
    /// Overrides the pack's `zero_base`.
    public var zeroBase: ZeroBasePolicy?
    public var level: UnitLevel
    /// Level of the prediction interval of the year's total, in (0, 1).
    public var confidence: Double
    /// Complete years before the current one used for the seasonal profile and the prior level (≥ 1).
    public var historyYears: Int
    /// Weight of the prior level, in years (> 0); see `YearEndProjection`.
    public var priorWeight: Double
    /// Only the rules of these categories (`--category`); nil = every rule of the pack.
    public var categories: Set<CategoryID>?

    public init(through: PeriodPoint, zeroBase: ZeroBasePolicy? = nil, level: UnitLevel = .all, confidence: Double = 0.95,
                historyYears: Int = 5, priorWeight: Double = 0.5, categories: Set<CategoryID>? = nil) {
        self.categories = categories
        self.through = through
        self.zeroBase = zeroBase
        self.level = level
        self.confidence = confidence
        self.historyYears = historyYears
        self.priorWeight = priorWeight
    }
}

/// Stable codes of the notes of a year-to-date row.
public enum YearToDateNoteCode: String, Sendable, Hashable, CaseIterable {
    /// Some months of the current year up to `through` are missing: no year to date.
    case missingMonths = "missing_months"
    /// The previous full year is missing or incomplete: no target.
    case previousYearUnavailable = "previous_year_unavailable"
    /// Zero base under `not_applicable`: no target.
    case zeroBase = "zero_base"
    /// Zero base under `met_if_zero`: the target is 0.
    case zeroBaseTargetZero = "zero_base_target_zero"
    /// The same months of the previous year are not all present: no comparison.
    case previousMonthsMissing = "previous_months_missing"
    /// Force-majeure cases of the year could not be assigned to months: counts are raw.
    case exclusionsNotAttributed = "exclusions_not_attributed"
    /// No complete monthly history: the remaining months are spread evenly.
    case noSeasonalHistory = "no_seasonal_history"
    /// `through` is the last month: the year is complete, P(meet) is 0 or 1.
    case yearComplete = "year_complete"
    /// The rule is already lost: the count so far exceeds the target.
    case alreadyLost = "already_lost"
}

/// A note code with its reason in words.
public struct YearToDateNote: Sendable, Hashable {
    public var code: YearToDateNoteCode
    public var detail: LocalizedText
}

/// One (unit, rule) row of `binhyen ytd`.
///
/// Counts are judged counts (force majeure removed) when the exclusions can be placed in the
/// months, else raw (note `exclusions_not_attributed`).
public struct YearToDateRow: Sendable, Hashable {
    public var unitKind: UnitKind
    public var commune: String?
    public var communeCode: String?
    /// Nil for commune rows.
    public var village: String?
    public var villageCode: String?
    public var measure: Measure
    public var label: LocalizedText
    /// Canonical rule code (`reduce_by_pct(5)`, `decrease`, `zero`).
    public var ruleCode: String
    public var ruleText: LocalizedText
    public var rulePackID: String
    public var period: PeriodScheme
    public var year: Int
    /// Last month counted (1–12).
    public var throughMonth: Int
    public var prevYear: Int
    /// Count of months 1…through of `year`; nil when a month is missing.
    public var ytd: Int?
    /// Count of the same months of the previous year; nil when one is missing.
    public var ytdPrev: Int?
    /// `ytd − ytdPrev`.
    public var ytdChange: Int?
    /// `100·(ytd − ytdPrev)/ytdPrev`; nil when `ytdPrev = 0`.
    public var ytdPctChange: Double?
    /// The previous FULL year's judged count; nil when missing or incomplete.
    public var prev: Int?
    /// The largest yearly count that still meets the rule (`⌊19·prev/20⌋` for 5%, `prev − 1` for
    /// `decrease`, 0 for `zero`); nil when undefined.
    public var targetMax: Int?
    /// `targetMax − ytd`: how many more cases the rest of the year can hold (negative: lost).
    public var headroom: Int?
    /// `ytd > targetMax`.
    public var lost: Bool?
    /// Expected count of the remaining months (model of `YearEndProjection`).
    public var expectedRemaining: Double?
    /// `ytd + expectedRemaining`.
    public var projectedTotal: Double?
    /// Prediction interval of the year's total at the options' confidence.
    public var totalLow: Int?
    public var totalHigh: Int?
    /// `P(ytd + remaining ≤ targetMax)`.
    public var pMeet: Double?
    /// Seasonal share of the year already elapsed, `Π`.
    public var elapsedShare: Double?
    /// Overdispersion φ of the monthly history.
    public var dispersion: Double?
    /// Complete years used for the seasonal profile and the prior level.
    public var historyYears: Int
    public var notes: [YearToDateNote]

    /// Village name, else commune name.
    public var unitName: String { village ?? commune ?? "" }
}

/// Year to date against the same months of the previous year, headroom and the probability of
/// meeting each rule of a pack at year end (SPEC §7 `ytd`).
///
/// Per unit (commune totals and villages) and rule:
/// * `ytd` = months 1…M of the year (every month must be present; a commune without rows of its
///   own sums its villages, each of which must have the month), `ytd_prev` the same months of the
///   previous year;
/// * target: `RuleTest.targetMax` of the previous FULL year's judged count (missing or
///   incomplete → none; zero base per the pack's policy), `headroom = target − ytd`, lost when
///   negative;
/// * `p_meet = P(ytd + R ≤ target)` with `R` the count of months M+1…12 from `YearEndProjection`:
///   seasonal shares and dispersion from up to `historyYears` complete monthly years before the
///   current one (`SeasonalProfile`), the year's level from the count so far with a prior of
///   `priorWeight` years at the mean yearly count of the complete history years; future
///   force-majeure exclusions are not anticipated (conservative).
public struct YearToDateEngine: Sendable {
    public var pack: RulePack
    public var options: YearToDateOptions

    public init(pack: RulePack, options: YearToDateOptions) {
        self.pack = pack
        self.options = options
    }

    /// One row per unit at `options.level` and rule of the pack (of `options.categories`).
    public func rows(_ panel: Panel) -> [YearToDateRow] {
        let totals = YearTotals(panel: panel)
        let months = SubperiodCounts(panel: panel, kind: .month)
        let rules = pack.rules.filter { options.categories?.contains($0.measure.category) ?? true }
        var rows: [YearToDateRow] = []
        for unit in panel.unitIndices(at: options.level) {
            for rule in rules {
                rows.append(row(rule, unit: unit, panel: panel, totals: totals, months: months))
            }
        }
        return rows
    }

    private var zeroBase: ZeroBasePolicy { options.zeroBase ?? pack.zeroBase }

    /// The count of months 1…M of `year` with its exclusions, or the missing months.
    struct MonthsSoFar {
        var raw: Int
        /// Raw minus the year's exclusions when they all fall in months 1…M, else nil.
        var judged: Int?
        var missing: [Int]
    }

    func monthsSoFar(unit: Int, measure: Measure, year: Int, panel: Panel, months: SubperiodCounts) -> MonthsSoFar {
        let through = options.through.number
        let counts = months.counts(unit: unit, measure: measure, year: year)
        let missing = (1...through).filter { counts[$0] == nil }
        let raw = (1...through).reduce(0) { $0 + (counts[$1] ?? 0) }
        // Exclusions are yearly: they belong to months 1…M only when no later month has data.
        var values: [YearValue] = []
        if let own = panel.series[SeriesKey(unit: unit, measure: measure)]?[year] {
            values = [own]
        } else if panel.units[unit].kind == .commune {
            values = panel.villages(of: unit).compactMap { panel.series[SeriesKey(unit: $0, measure: measure)]?[year] }
        }
        var excluded = 0
        var attributable = true
        for value in values where value.excluded > 0 {
            if value.months.keys.contains(where: { $0 > through }) { attributable = false }
            excluded += value.excluded
        }
        return MonthsSoFar(raw: raw, judged: attributable ? raw - excluded : nil, missing: missing)
    }

    private func row(_ rule: Rule, unit: Int, panel: Panel, totals: YearTotals, months: SubperiodCounts) -> YearToDateRow {
        let year = options.through.year
        let through = options.through.number
        let own = panel.units[unit]
        let parent = own.parent.flatMap { panel.units.indices.contains($0) ? panel.units[$0] : nil }
        let commune = own.kind == .commune ? own : parent
        var row = YearToDateRow(
            unitKind: own.kind, commune: commune?.name, communeCode: commune?.code,
            village: own.kind == .village ? own.name : nil, villageCode: own.kind == .village ? own.code : nil,
            measure: rule.measure, label: rule.label, ruleCode: rule.test.code, ruleText: rule.test.shortText,
            rulePackID: pack.id, period: panel.scheme, year: year, throughMonth: through, prevYear: year - 1,
            historyYears: 0, notes: [])

        let current = monthsSoFar(unit: unit, measure: rule.measure, year: year, panel: panel, months: months)
        let previousMonths = monthsSoFar(unit: unit, measure: rule.measure, year: year - 1, panel: panel, months: months)
        var ytd: Int?
        if current.missing.isEmpty {
            ytd = current.judged ?? current.raw
            if current.judged == nil { row.notes.append(exclusionsNote(year: year)) }
        } else {
            row.notes.append(YearToDateNote(code: .missingMonths, detail: LocalizedText(
                vi: "năm \(year) thiếu số liệu tháng \(current.missing.map(String.init).joined(separator: ", "))",
                en: "\(year): no data for month \(current.missing.map(String.init).joined(separator: ", "))")))
        }
        row.ytd = ytd
        if previousMonths.missing.isEmpty {
            let value = previousMonths.judged ?? previousMonths.raw
            row.ytdPrev = value
            if let ytd {
                row.ytdChange = ytd - value
                if value > 0 { row.ytdPctChange = 100 * Double(ytd - value) / Double(value) }
            }
        } else {
            row.notes.append(YearToDateNote(code: .previousMonthsMissing, detail: LocalizedText(
                vi: "năm \(year - 1) thiếu số liệu tháng \(previousMonths.missing.map(String.init).joined(separator: ", ")) để so sánh cùng kỳ",
                en: "\(year - 1): no data for month \(previousMonths.missing.map(String.init).joined(separator: ", ")) to compare the same months")))
        }

        // Target from the previous full year.
        if case .zero = rule.test {
            row.targetMax = 0
        } else {
            switch totals.total(unit: unit, measure: rule.measure, year: year - 1) {
            case .success(let previous):
                row.prev = previous.judged
                row.targetMax = rule.test.targetMax(previous: previous.judged, zeroBase: zeroBase)
                if previous.judged == 0 {
                    row.notes.append(zeroBase == .notApplicable
                        ? YearToDateNote(code: .zeroBase, detail: LocalizedText(
                            vi: "năm \(year - 1) không xảy ra vụ nào: tiêu chí không áp dụng", en: "none in \(year - 1): the rule does not apply"))
                        : YearToDateNote(code: .zeroBaseTargetZero, detail: LocalizedText(
                            vi: "năm \(year - 1) không xảy ra vụ nào: phải giữ ở 0", en: "none in \(year - 1): the year must stay at 0")))
                }
            case .failure(let problem):
                row.notes.append(YearToDateNote(code: .previousYearUnavailable, detail: problem.detail))
            }
        }
        guard let ytd else { return row }
        if let target = row.targetMax {
            row.headroom = target - ytd
            row.lost = ytd > target
            if ytd > target {
                row.notes.append(YearToDateNote(code: .alreadyLost, detail: LocalizedText(
                    vi: "đã vượt mức tối đa \(target) của cả năm", en: "already above the year's maximum of \(target)")))
            }
        }
        project(&row, unit: unit, rule: rule, raw: current.raw, judged: ytd, totals: totals, months: months)
        return row
    }

    /// Fills the model fields: expected remaining count, interval of the total and P(meet).
    private func project(_ row: inout YearToDateRow, unit: Int, rule: Rule, raw: Int, judged: Int, totals: YearTotals,
                         months: SubperiodCounts) {
        let year = options.through.year
        let firstHistoryYear = year - max(1, options.historyYears)
        var yearlyTotals: [Int] = []
        var monthlyRows: [[Int]] = []
        for past in firstHistoryYear..<year {
            guard case .success(let total) = totals.total(unit: unit, measure: rule.measure, year: past) else { continue }
            yearlyTotals.append(total.count)
            let counts = months.counts(unit: unit, measure: rule.measure, year: past)
            let monthly = (1...12).compactMap { counts[$0] }
            if monthly.count == 12 { monthlyRows.append(monthly) }
        }
        row.historyYears = yearlyTotals.count
        let profile = SeasonalProfile.estimate(history: monthlyRows, periods: 12)
        if monthlyRows.isEmpty {
            row.notes.append(YearToDateNote(code: .noSeasonalHistory, detail: LocalizedText(
                vi: "không có năm trước đủ 12 tháng: các tháng còn lại được coi như đều nhau",
                en: "no complete monthly year before: the remaining months are taken as even")))
        }
        let elapsed = min(1, profile.shares.prefix(options.through.number).reduce(0, +))
        row.elapsedShare = elapsed
        row.dispersion = profile.dispersion
        let priorMean = yearlyTotals.isEmpty ? nil : Double(yearlyTotals.reduce(0, +)) / Double(yearlyTotals.count)
        let completeYear = options.through.number == 12
        guard let projection = YearEndProjection(yearToDate: raw, elapsedShare: completeYear ? 1 : elapsed,
                                                 priorMean: priorMean, priorWeight: options.priorWeight,
                                                 dispersion: profile.dispersion) else { return }
        if completeYear {
            row.notes.append(YearToDateNote(code: .yearComplete, detail: LocalizedText(
                vi: "đã đủ 12 tháng: kết quả đã biết", en: "all 12 months counted: the outcome is known")))
        }
        row.expectedRemaining = projection.remainingMean
        row.projectedTotal = Double(judged) + projection.remainingMean
        let tail = (1 - options.confidence) / 2
        row.totalLow = projection.remainingQuantile(tail).map { judged + $0 }
        row.totalHigh = projection.remainingQuantile(1 - tail).map { judged + $0 }
        if let target = row.targetMax {
            row.pMeet = projection.probabilityRemainingAtMost(target - judged)
        }
    }

    private func exclusionsNote(year: Int) -> YearToDateNote {
        YearToDateNote(code: .exclusionsNotAttributed, detail: LocalizedText(
            vi: "năm \(year) có vụ bất khả kháng không xác định được tháng: tính theo số thô",
            en: "\(year): force-majeure cases cannot be placed in months: raw counts used"))
    }
}
