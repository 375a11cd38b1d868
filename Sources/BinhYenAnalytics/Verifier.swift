import BinhYenCore
import BinhYenStats

/// Options of `Verifier` (SPEC §7 `verify`).
public struct VerifyOptions: Sendable, Hashable {
    /// The judged year; nil = the latest year with data in the panel. The previous year is `year − 1`.
    public var year: Int?
    /// Overrides the pack's `zero_base` (`--zero-base met|not-applicable`).
    public var zeroBase: ZeroBasePolicy?
    /// Judge rates instead of counts (`--rates`): exposures are the population of each year
    /// (own figure, or for a commune the sum over its villages); a missing population gives
    /// `insufficient_data` (`missing_population`) for `reduce_by_pct` and `decrease` rules.
    public var useRates: Bool
    /// Confidence level of the rate-ratio intervals, in (0, 1) (`--conf`, default 0.95).
    public var confidence: Double
    /// Significance level of the exact two-sided test (`--alpha`, default 0.05).
    public var alpha: Double
    /// Which units to judge; nil = the pack's level.
    public var level: UnitLevel?

    public init(year: Int? = nil, zeroBase: ZeroBasePolicy? = nil, useRates: Bool = false, confidence: Double = 0.95,
                alpha: Double = 0.05, level: UnitLevel? = nil) {
        self.year = year
        self.zeroBase = zeroBase
        self.useRates = useRates
        self.confidence = confidence
        self.alpha = alpha
        self.level = level
    }
}

/// The verdict engine of SPEC §5: applies a rule pack to a panel, one row per (unit, rule) and
/// one overall row per unit.
///
/// Per rule: the judged counts are `count − excluded` (force majeure) of `year − 1` and `year`;
/// a missing or incomplete year (for a commune built from villages: any village without a
/// complete value) gives `insufficient_data` naming what is missing; the verdict follows
/// `RuleTest.judge` (exact integer arithmetic, zero-base policy); the evidence holds change,
/// percent change (nil when prev = 0), the largest current count that still meets the rule
/// (`targetMax`) and the exact conditional test of METHODS §2 (`TwoCountComparison`, R
/// `poisson.test`), with `significant = pExactTwoSided < alpha`. The `zero` rule needs only the
/// current year.
///
/// Overall row per unit: `not_met` if any rule is not met; else `insufficient_data` if any rule
/// lacks data; else `met` if at least one rule is met (rules that do not apply are listed in its
/// note, `rules_not_applicable`); else `not_applicable` (every rule not applicable, or a pack
/// without rules: note `no_rules`).
public struct Verifier: Sendable {
    public var pack: RulePack
    public var options: VerifyOptions

    public init(pack: RulePack, options: VerifyOptions = VerifyOptions()) {
        self.pack = pack
        self.options = options
    }

    /// The judged year: `options.year`, else the latest year with data; nil for an empty panel.
    public func year(in panel: Panel) -> Int? {
        options.year ?? panel.years.last
    }

    /// The units judged at the effective level (`options.level`, else the pack's level).
    public func judgedUnits(in panel: Panel) -> [Int] {
        panel.unitIndices(at: options.level ?? (pack.level == .commune ? .commune : .village))
    }

    /// All verdict rows: for each judged unit, one row per rule of the pack then its overall row.
    /// Empty when the panel has no year.
    public func verify(_ panel: Panel) -> [VerdictRow] {
        guard let year = year(in: panel) else { return [] }
        let totals = YearTotals(panel: panel)
        var rows: [VerdictRow] = []
        for unit in judgedUnits(in: panel) {
            let ruleRows = pack.rules.map { judge($0, unit: unit, year: year, panel: panel, totals: totals) }
            rows += ruleRows
            rows.append(overall(ruleRows, unit: unit, year: year, panel: panel))
        }
        return rows
    }

    private var zeroBase: ZeroBasePolicy { options.zeroBase ?? pack.zeroBase }

    /// A row for `unit` with identity fields filled and no evidence.
    private func blankRow(unit: Int, year: Int, panel: Panel, label: LocalizedText, measure: Measure?,
                          ruleCode: String, ruleText: LocalizedText, sources: [String]) -> VerdictRow {
        let own = panel.units[unit]
        var commune: Unit?
        var village: Unit?
        if own.kind == .commune {
            commune = own
        } else {
            village = own
            if let parent = own.parent, panel.units.indices.contains(parent) { commune = panel.units[parent] }
        }
        return VerdictRow(unitKind: own.kind, commune: commune?.name, communeCode: commune?.code,
                          village: village?.name, villageCode: village?.code, measure: measure, label: label,
                          ruleCode: ruleCode, ruleText: ruleText, year: year, prevYear: year - 1,
                          verdict: .insufficientData, ruleSources: sources, rulePackID: pack.id, period: panel.scheme)
    }

    private func judge(_ rule: Rule, unit: Int, year: Int, panel: Panel, totals: YearTotals) -> VerdictRow {
        var row = blankRow(unit: unit, year: year, panel: panel, label: rule.label, measure: rule.measure,
                           ruleCode: rule.test.code, ruleText: rule.test.shortText,
                           sources: rule.sources.isEmpty ? pack.sources : rule.sources)
        let previousResult = totals.total(unit: unit, measure: rule.measure, year: year - 1)
        let currentResult = totals.total(unit: unit, measure: rule.measure, year: year)
        let previous = try? previousResult.get()
        let current = try? currentResult.get()
        row.prev = previous?.judged
        row.curr = current?.judged
        row.prevExcluded = previous?.excluded
        row.currExcluded = current?.excluded
        row.dataSources = (previous?.sources ?? []) + (current?.sources ?? [])
        if options.useRates {
            row.prevExposure = previous?.population
            row.currExposure = current?.population
        }

        var problems: [YearProblem] = []
        if rule.test.needsPreviousYear, case .failure(let problem) = previousResult { problems.append(problem) }
        if case .failure(let problem) = currentResult { problems.append(problem) }
        if options.useRates, rule.test.needsPreviousYear, problems.isEmpty {
            let missing = [(year - 1, previous?.population), (year, current?.population)].filter { $0.1 == nil }.map(\.0)
            if !missing.isEmpty {
                let years = missing.map(String.init).joined(separator: ", ")
                problems.append(YearProblem(.missingPopulation, LocalizedText(
                    vi: "thiếu số dân năm \(years) (cần để so sánh theo tỷ lệ)",
                    en: "no population for \(years) (needed to compare rates)")))
            }
        }

        if let previous, let current {
            fillEvidence(&row, previous: previous, current: current)
        }
        if !problems.isEmpty {
            row.verdict = .insufficientData
            row.note = Self.combined(problems)
            return row
        }
        guard let current else { return row }

        let exposures = options.useRates
            ? (previous?.population ?? 1, current.population ?? 1)
            : (1, 1)
        let outcome = rule.test.judge(previous: previous?.judged ?? 0, current: current.judged,
                                      exposurePrevious: exposures.0, exposureCurrent: exposures.1, zeroBase: zeroBase)
        row.verdict = outcome.verdict
        row.note = outcome.note.map { VerdictNote($0, Self.noteDetail($0)) }
        if case .zero = rule.test {
            row.targetMax = 0
        } else if let previous {
            row.targetMax = rule.test.targetMax(previous: previous.judged, exposurePrevious: exposures.0,
                                                exposureCurrent: exposures.1, zeroBase: zeroBase)
        }
        return row
    }

    /// Change, percent change and the two-count comparison of two available years.
    private func fillEvidence(_ row: inout VerdictRow, previous: YearTotal, current: YearTotal) {
        let a = previous.judged
        let b = current.judged
        row.change = b - a
        let exposures: (Int, Int)? = options.useRates
            ? previous.population.flatMap { p in current.population.map { (p, $0) } }
            : (1, 1)
        if a > 0, let (ta, tb) = exposures {
            let ratio = (Double(b) * Double(ta)) / (Double(a) * Double(tb))
            let percent = options.useRates ? 100 * (ratio - 1) : 100 * Double(b - a) / Double(a)
            if percent.isFinite {
                row.pctChange = percent
                row.reductionPct = -percent
            }
        }
        if let (ta, tb) = exposures,
           TwoCountComparison.inputProblem(previous: a, current: b, exposurePrevious: Double(ta),
                                           exposureCurrent: Double(tb), confidence: options.confidence) == nil {
            let comparison = TwoCountComparison(previous: a, current: b, exposurePrevious: Double(ta),
                                                exposureCurrent: Double(tb), confidence: options.confidence)
            row.comparison = comparison
            row.significant = comparison.pExactTwoSided < options.alpha
        }
    }

    private func overall(_ ruleRows: [VerdictRow], unit: Int, year: Int, panel: Panel) -> VerdictRow {
        var row = blankRow(unit: unit, year: year, panel: panel, label: LocalizedText(vi: "Tổng hợp", en: "Overall"),
                           measure: nil, ruleCode: "all",
                           ruleText: LocalizedText(vi: "mọi tiêu chí đạt", en: "every rule met"), sources: pack.sources)
        guard !ruleRows.isEmpty else {
            row.verdict = .notApplicable
            row.note = VerdictNote(.noRules, LocalizedText(vi: "bộ quy tắc \(pack.id) không có tiêu chí nào đang áp dụng",
                                                           en: "rule pack \(pack.id) has no active rule"))
            return row
        }
        func labels(_ verdict: Verdict) -> LocalizedText? {
            let matching = ruleRows.filter { $0.verdict == verdict }
            guard !matching.isEmpty else { return nil }
            return LocalizedText(vi: matching.map(\.label.vi).joined(separator: "; "),
                                 en: matching.map(\.label.en).joined(separator: "; "))
        }
        let notMet = labels(.notMet)
        let insufficient = labels(.insufficientData)
        let notApplicable = labels(.notApplicable)
        var parts: [LocalizedText] = []
        if let notMet { parts.append(LocalizedText(vi: "không đạt: \(notMet.vi)", en: "not met: \(notMet.en)")) }
        if let insufficient {
            parts.append(LocalizedText(vi: "thiếu số liệu: \(insufficient.vi)", en: "insufficient data: \(insufficient.en)"))
        }
        if let notApplicable {
            parts.append(LocalizedText(vi: "không áp dụng: \(notApplicable.vi)", en: "not applicable: \(notApplicable.en)"))
        }
        let detail = LocalizedText(vi: parts.map(\.vi).joined(separator: " | "), en: parts.map(\.en).joined(separator: " | "))
        if notMet != nil {
            row.verdict = .notMet
            row.note = VerdictNote(.rulesNotMet, detail)
        } else if insufficient != nil {
            row.verdict = .insufficientData
            row.note = VerdictNote(.rulesInsufficient, detail)
        } else if ruleRows.contains(where: { $0.verdict == .met }) {
            row.verdict = .met
            row.note = notApplicable == nil ? nil : VerdictNote(.rulesNotApplicable, detail)
        } else {
            row.verdict = .notApplicable
            row.note = VerdictNote(.rulesNotApplicable, detail)
        }
        return row
    }

    /// One note for several year problems: the most serious code, every reason.
    private static func combined(_ problems: [YearProblem]) -> VerdictNote {
        let rank: [VerdictNoteCode: Int] = [.invalidValue: 0, .missingYear: 1, .incompleteYear: 2, .missingPopulation: 3]
        let code = problems.min { (rank[$0.code] ?? 9) < (rank[$1.code] ?? 9) }?.code ?? .missingYear
        return VerdictNote(code, LocalizedText(vi: problems.map(\.detail.vi).joined(separator: "; "),
                                               en: problems.map(\.detail.en).joined(separator: "; ")))
    }

    /// Reason text of the notes a rule judgement can give.
    static func noteDetail(_ code: VerdictNoteCode) -> LocalizedText {
        switch code {
        case .maintainedZero: return LocalizedText(vi: "duy trì không xảy ra", en: "kept at zero")
        case .newCases: return LocalizedText(vi: "phát sinh mới", en: "new cases")
        case .zeroBase: return LocalizedText(vi: "năm trước không xảy ra vụ nào, không tính được tỷ lệ",
                                             en: "none in the previous year, no percentage")
        case .invalidValue: return LocalizedText(vi: "số liệu không hợp lệ", en: "invalid value")
        case .missingYear: return LocalizedText(vi: "thiếu số liệu", en: "missing data")
        case .incompleteYear: return LocalizedText(vi: "năm chưa đủ kỳ", en: "incomplete year")
        case .missingPopulation: return LocalizedText(vi: "thiếu số dân", en: "missing population")
        case .noRules: return LocalizedText(vi: "không có tiêu chí", en: "no rules")
        case .rulesNotMet: return LocalizedText(vi: "có tiêu chí không đạt", en: "some rules not met")
        case .rulesInsufficient: return LocalizedText(vi: "có tiêu chí thiếu số liệu", en: "some rules lack data")
        case .rulesNotApplicable: return LocalizedText(vi: "có tiêu chí không áp dụng", en: "some rules do not apply")
        case .conditionsFile: return LocalizedText(vi: "theo tệp điều kiện", en: "from the conditions file")
        case .conditionNotSupplied: return LocalizedText(vi: "tệp điều kiện không có dòng này", en: "not in the conditions file")
        }
    }
}
