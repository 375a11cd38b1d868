import BinhYenCore

/// Adds the non-count conditions of indicator 19.2 (`--conditions`; SPEC §5) to the verdict
/// rows of `Verifier` (docs/guides/Conditions.md).
///
/// For each commune-level overall row (rule `all`), in this order after it:
///
/// 1. one row per condition of `NonCountCondition.indicator19_2` (rule `condition(<key>)`):
///    `met` or `not_met` as the conditions file says for that commune and the judged year (note
///    `conditions_file`, with the file, line, value and note as evidence), or `insufficient_data`
///    when the file has no such row (note `condition_not_supplied`);
/// 2. the overall verdict of the whole indicator (rule `all_with_conditions`): the count
///    verdict and the conditions combined as the count rules are — `not_met` if any is not met,
///    else `insufficient_data` if any lacks data or was not supplied, else `met` if any is met,
///    else `not_applicable`.
///
/// The count verdict (rule `all`, SPEC §5: every count rule met) is kept unchanged, so that
/// scripts reading it see the same value with or without a conditions file. Village rows are
/// left as they are (the conditions are commune conditions).
public enum ConditionJudgement {
    /// Rule code of the overall row that includes the conditions.
    public static let fullIndicatorCode = "all_with_conditions"

    /// Rule code of a condition row: `condition(mass_complaints)`.
    public static func ruleCode(_ key: ConditionKey) -> String { "condition(\(key.rawValue))" }

    /// `rows` with the condition rows and the whole-indicator row after each commune's overall row.
    /// `records` are matched by commune name (`VerdictRow.commune`) and the row's judged year.
    public static func apply(_ rows: [VerdictRow], records: [ConditionRecord]) -> [VerdictRow] {
        var result: [VerdictRow] = []
        for row in rows {
            result.append(row)
            guard row.isOverall, row.unitKind == .commune else { continue }
            let own = records.filter { $0.commune == row.commune && $0.year == row.year }
            let judged = NonCountCondition.indicator19_2.map { condition in
                conditionRow(condition, overall: row, record: own.first { $0.key == condition.key })
            }
            result += judged
            result.append(fullIndicator(count: row, conditions: judged))
        }
        return result
    }

    private static func conditionRow(_ condition: NonCountCondition, overall: VerdictRow, record: ConditionRecord?) -> VerdictRow {
        var row = overall
        row.label = condition.label
        row.ruleCode = ruleCode(condition.key)
        row.ruleText = condition.requirement
        row.condition = condition.key
        row.ruleSources = [condition.source]
        row.dataSources = []
        guard let record else {
            row.verdict = .insufficientData
            row.note = VerdictNote(.conditionNotSupplied, LocalizedText(
                vi: "tệp điều kiện không có dòng cho \(condition.key.rawValue) năm \(overall.year)",
                en: "the conditions file has no row for \(condition.key.rawValue) in \(overall.year)"))
            return row
        }
        row.verdict = record.met ? .met : .notMet
        row.dataSources = [record.source]
        let note = record.note.map { "; \($0)" } ?? ""
        row.note = VerdictNote(.conditionsFile, LocalizedText(
            vi: "theo tệp điều kiện \(record.source): “\(record.value)”\(note)",
            en: "from the conditions file \(record.source): “\(record.value)”\(note)"))
        return row
    }

    private static func fullIndicator(count: VerdictRow, conditions: [VerdictRow]) -> VerdictRow {
        var row = count
        row.label = LocalizedText(vi: "Toàn bộ chỉ tiêu 19.2", en: "Whole indicator 19.2")
        row.ruleCode = fullIndicatorCode
        row.ruleText = LocalizedText(vi: "mọi tiêu chí số vụ và mọi điều kiện đạt", en: "every count rule and every condition met")
        row.ruleSources = count.ruleSources + conditions.flatMap(\.ruleSources)
        row.dataSources = []
        let parts = [count] + conditions
        func labels(_ verdict: Verdict) -> LocalizedText? {
            let matching = parts.filter { $0.verdict == verdict }
            guard !matching.isEmpty else { return nil }
            let names = matching.map { $0.condition == nil ? LocalizedText(vi: "các tiêu chí số vụ", en: "the count rules") : $0.label }
            return LocalizedText(vi: names.map(\.vi).joined(separator: "; "), en: names.map(\.en).joined(separator: "; "))
        }
        if let notMet = labels(.notMet) {
            row.verdict = .notMet
            row.note = VerdictNote(.rulesNotMet, LocalizedText(vi: "không đạt: \(notMet.vi)", en: "not met: \(notMet.en)"))
        } else if let insufficient = labels(.insufficientData) {
            row.verdict = .insufficientData
            row.note = VerdictNote(.rulesInsufficient, LocalizedText(vi: "thiếu số liệu: \(insufficient.vi)",
                                                                     en: "insufficient data: \(insufficient.en)"))
        } else if parts.contains(where: { $0.verdict == .met }) {
            row.verdict = .met
            row.note = nil
        } else {
            row.verdict = .notApplicable
            row.note = VerdictNote(.rulesNotApplicable, LocalizedText(vi: "không áp dụng", en: "not applicable"))
        }
        return row
    }
}
