import BinhYenCore
import BinhYenStats

/// The outcome of one rule for one unit, or of all rules for one unit (SPEC §5).
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
    case met
    case notMet = "not_met"
    /// The rule does not apply (zero base under `zero_base = "not_applicable"`, or a pack without rules).
    case notApplicable = "not_applicable"
    /// A year is missing or incomplete, a population is missing, or a value is invalid.
    case insufficientData = "insufficient_data"

    /// Word for tables: "Đạt" / "met", "Không đạt" / "not met", "Không áp dụng" / "not applicable",
    /// "Thiếu số liệu" / "insufficient data".
    public var label: LocalizedText {
        switch self {
        case .met: return LocalizedText(vi: "Đạt", en: "met")
        case .notMet: return LocalizedText(vi: "Không đạt", en: "not met")
        case .notApplicable: return LocalizedText(vi: "Không áp dụng", en: "not applicable")
        case .insufficientData: return LocalizedText(vi: "Thiếu số liệu", en: "insufficient data")
        }
    }
}

/// Stable codes of the `note` field (JSON/CSV), explaining a verdict or an undefined value.
public enum VerdictNoteCode: String, Sendable, Hashable, Codable, CaseIterable {
    /// prev = 0 and curr = 0 under `met_if_zero`: met, "duy trì không xảy ra".
    case maintainedZero = "maintained_zero"
    /// prev = 0 and curr > 0 under `met_if_zero`: not met, "phát sinh mới".
    case newCases = "new_cases"
    /// prev = 0 under `zero_base = "not_applicable"`: the percentage rule does not apply.
    case zeroBase = "zero_base"
    /// The previous or current year (or a village of the commune) has no value.
    case missingYear = "missing_year"
    /// The previous or current year is built from subperiods with some missing.
    case incompleteYear = "incomplete_year"
    /// `useRates` was asked but a population (exposure) is missing or zero.
    case missingPopulation = "missing_population"
    /// Force-majeure exclusions exceed the count, or a total overflows.
    case invalidValue = "invalid_value"
    /// The pack has no active rule (e.g. the 2026–2030 template).
    case noRules = "no_rules"
    /// Overall row: the rules that are not met are listed.
    case rulesNotMet = "rules_not_met"
    /// Overall row: the rules lacking data are listed.
    case rulesInsufficient = "rules_insufficient"
    /// Overall row: the rules that do not apply are listed.
    case rulesNotApplicable = "rules_not_applicable"
    /// Condition row: judged from the conditions file (file, line and value in the detail).
    case conditionsFile = "conditions_file"
    /// Condition row: the conditions file has no row for this commune, year and condition.
    case conditionNotSupplied = "condition_not_supplied"
}

/// A note code with its reason in words (which villages or months are missing, which rules failed).
public struct VerdictNote: Sendable, Hashable {
    public var code: VerdictNoteCode
    public var detail: LocalizedText

    public init(_ code: VerdictNoteCode, _ detail: LocalizedText) {
        self.code = code
        self.detail = detail
    }
}

/// One row of `verify`: a rule judged for one unit, or the overall verdict of one unit
/// (`measure == nil`). Carries all the evidence of SPEC §5.
///
/// Counts: `prev` and `curr` are the *judged* counts (after removing force-majeure cases);
/// the raw totals are `prev + prevExcluded` and `curr + currExcluded`.
public struct VerdictRow: Sendable, Hashable {
    public var unitKind: UnitKind
    public var commune: String?
    public var communeCode: String?
    /// Nil for commune rows.
    public var village: String?
    public var villageCode: String?
    /// The judged series; nil on the overall row.
    public var measure: Measure?
    /// The rule's sentence label ("Phạm tội về TTXH"), or "Tổng hợp" / "Overall".
    public var label: LocalizedText
    /// Canonical rule code (`reduce_by_pct(5)`, `decrease`, `zero`), or `all` on the overall row.
    public var ruleCode: String
    /// Short wording of the rule ("giảm ≥ 5%" / "down ≥ 5%"), or "mọi tiêu chí" / "every rule".
    public var ruleText: LocalizedText
    public var year: Int
    public var prevYear: Int
    /// Judged count of the previous year (count − excluded); nil when unavailable or on the overall row.
    public var prev: Int?
    /// Judged count of the current year.
    public var curr: Int?
    /// Force-majeure cases removed from the previous year's count.
    public var prevExcluded: Int?
    public var currExcluded: Int?
    /// Residents of the unit in the previous year; set only when judging rates.
    public var prevExposure: Int?
    public var currExposure: Int?
    /// `curr − prev` (judged counts).
    public var change: Int?
    /// `100·(curr − prev)/prev` (of the rates when judging rates); nil when prev = 0 (never 0, never ±∞).
    public var pctChange: Double?
    /// `−pctChange`: the reduction in percent.
    public var reductionPct: Double?
    /// The largest judged current count that still meets the rule given prev (and exposures);
    /// nil when undefined (zero base under `not_applicable`, missing prev, overall row).
    public var targetMax: Int?
    public var verdict: Verdict
    public var note: VerdictNote?
    /// Exact conditional test and rate-ratio intervals of prev vs curr (METHODS §2); nil when a
    /// count is missing.
    public var comparison: TwoCountComparison?
    /// `comparison.pExactTwoSided < alpha`; nil without comparison.
    public var significant: Bool?
    /// Document citations: the rule's, else the pack's.
    public var ruleSources: [String]
    /// Where the counts came from (file, sheet, line).
    public var dataSources: [SourceLocation]
    public var rulePackID: String
    public var period: PeriodScheme
    /// The non-count condition of a condition row (`--conditions`); nil on count-rule and overall rows.
    public var condition: ConditionKey?

    public init(unitKind: UnitKind, commune: String?, communeCode: String?, village: String?, villageCode: String?,
                measure: Measure?, label: LocalizedText, ruleCode: String, ruleText: LocalizedText, year: Int, prevYear: Int,
                prev: Int? = nil, curr: Int? = nil, prevExcluded: Int? = nil, currExcluded: Int? = nil,
                prevExposure: Int? = nil, currExposure: Int? = nil, change: Int? = nil, pctChange: Double? = nil,
                reductionPct: Double? = nil, targetMax: Int? = nil, verdict: Verdict, note: VerdictNote? = nil,
                comparison: TwoCountComparison? = nil, significant: Bool? = nil, ruleSources: [String] = [],
                dataSources: [SourceLocation] = [], rulePackID: String, period: PeriodScheme, condition: ConditionKey? = nil) {
        self.unitKind = unitKind
        self.commune = commune
        self.communeCode = communeCode
        self.village = village
        self.villageCode = villageCode
        self.measure = measure
        self.label = label
        self.ruleCode = ruleCode
        self.ruleText = ruleText
        self.year = year
        self.prevYear = prevYear
        self.prev = prev
        self.curr = curr
        self.prevExcluded = prevExcluded
        self.currExcluded = currExcluded
        self.prevExposure = prevExposure
        self.currExposure = currExposure
        self.change = change
        self.pctChange = pctChange
        self.reductionPct = reductionPct
        self.targetMax = targetMax
        self.verdict = verdict
        self.note = note
        self.comparison = comparison
        self.significant = significant
        self.ruleSources = ruleSources
        self.dataSources = dataSources
        self.rulePackID = rulePackID
        self.period = period
        self.condition = condition
    }

    /// True for the one-per-unit overall row of the count rules, and for the overall row that
    /// includes the non-count conditions (`ConditionJudgement.fullIndicatorCode`).
    public var isOverall: Bool { measure == nil && condition == nil }

    /// True for the overall row of the whole indicator, count rules and non-count conditions.
    public var isFullIndicator: Bool { isOverall && ruleCode == ConditionJudgement.fullIndicatorCode }

    /// The unit's display name: the village for village rows, else the commune.
    public var unitName: String { village ?? commune ?? "" }
}
