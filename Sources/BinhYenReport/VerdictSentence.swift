import BinhYenAnalytics
import BinhYenCore

/// The one-line evidence sentence of a verdict row (SPEC §5), in Vietnamese or English:
///
/// - `Phạm tội về TTXH: 20 → 19 vụ (−5,00%): đạt (giảm ≥ 5%); thay đổi không có ý nghĩa thống kê (p = 1,00)`
/// - `Social-order crime: 20 → 19 cases (−5.00%): met (down ≥ 5%); change not statistically significant (p = 1.00)`
/// - `… 0 → 3 vụ (không tính được tỷ lệ): không đạt (phát sinh mới); …`, `0 → 0 vụ (tương đương): đạt (duy trì không xảy ra)`
/// - a not-met rule adds the largest count that would have met it: `không đạt (giảm ≥ 5%, tối đa 19)`
/// - insufficient data: `Phạm tội về TTXH: thiếu số liệu (năm 2025 chưa đủ kỳ: thiếu tháng 11)`
/// - force-majeure exclusions are named: `Cháy, nổ: 6 → 5 vụ (−16,67%), đã trừ bất khả kháng: 1 năm 2025: đạt (giảm)`
/// - overall row: `Tổng hợp: không đạt (không đạt: Cháy, nổ)`
/// - condition row (`--conditions`): `Khiếu kiện đông người …: đạt (theo tệp điều kiện dieu-kien.csv:3: “đạt”)`
///
/// The percentage is signed with a typographic minus (U+2212) and 2 decimals, in the language's
/// decimal mark, as in Bộ Công an releases (DOMAIN §2.1). With rates (`prevExposure` set) the
/// percentage is that of the rate and says so. p-values: 2 decimals, 3 below 0.01, `< 0,001`.
public enum VerdictSentence {
    public static func make(_ row: VerdictRow, language: Language, catalogue: Catalogue = .standard) -> String {
        let label = row.label(language)
        let verdictWord = row.verdict.label(language).lowercased()
        if row.isOverall || row.condition != nil || row.verdict == .insufficientData {
            let reason = row.note?.detail(language) ?? row.ruleText(language)
            return "\(label): \(verdictWord) (\(reason))"
        }
        var sentence = "\(label): "
        if let prev = row.prev, let curr = row.curr {
            let unit = unitWord(row.measure, language: language, catalogue: catalogue)
            let counts = "\(count(prev, language)) → \(count(curr, language))" + (unit.isEmpty ? "" : " \(unit)")
            sentence += "\(counts) (\(changeText(row, prev: prev, curr: curr, language: language)))"
            sentence += exclusionText(row, language: language) + ": "
        } else if let curr = row.curr {
            let unit = unitWord(row.measure, language: language, catalogue: catalogue)
            sentence += "\(count(curr, language))" + (unit.isEmpty ? "" : " \(unit)") + ": "
        }
        sentence += "\(verdictWord) (\(reason(row, language: language)))"
        if let significance = significanceText(row, language: language) { sentence += "; " + significance }
        return sentence
    }

    private static func count(_ value: Int, _ language: Language) -> String {
        NumberStyle.integer(value, language: language).replacingMinus()
    }

    private static func unitWord(_ measure: Measure?, language: Language, catalogue: Catalogue) -> String {
        guard let measure, let metric = catalogue.info(measure.category)?.metric(measure.metric) else { return "" }
        return metric.unit(language)
    }

    private static func changeText(_ row: VerdictRow, prev: Int, curr: Int, language: Language) -> String {
        if prev == curr && (row.pctChange == nil || row.pctChange == 0) {
            return language == .vi ? "tương đương" : "unchanged"
        }
        guard let percent = row.pctChange,
              let text = NumberStyle.percent(percent, digits: 2, language: language, signed: true) else {
            return language == .vi ? "không tính được tỷ lệ" : "percentage not computable"
        }
        let typographic = text.replacingMinus()
        guard row.prevExposure != nil else { return typographic }
        return language == .vi ? "\(typographic) theo tỷ lệ trên số dân" : "\(typographic) per resident"
    }

    /// ", đã trừ 1 vụ bất khả kháng năm 2025" when force-majeure cases were excluded before judging.
    private static func exclusionText(_ row: VerdictRow, language: Language) -> String {
        var parts: [String] = []
        for (excluded, year) in [(row.prevExcluded, row.prevYear), (row.currExcluded, row.year)] {
            guard let excluded, excluded > 0 else { continue }
            let n = count(excluded, language)
            parts.append(language == .vi ? "\(n) năm \(year)" : "\(n) in \(year)")
        }
        guard !parts.isEmpty else { return "" }
        let list = parts.joined(separator: language == .vi ? " và " : " and ")
        return language == .vi ? ", đã trừ bất khả kháng: \(list)" : ", force majeure excluded: \(list)"
    }

    private static func reason(_ row: VerdictRow, language: Language) -> String {
        if let note = row.note, [.maintainedZero, .newCases, .zeroBase].contains(note.code) {
            return note.detail(language)
        }
        let rule = row.ruleText(language)
        guard row.verdict == .notMet, let target = row.targetMax else { return rule }
        let limit = count(target, language)
        return language == .vi ? "\(rule), tối đa \(limit)" : "\(rule), at most \(limit)"
    }

    private static func significanceText(_ row: VerdictRow, language: Language) -> String? {
        guard let comparison = row.comparison else { return nil }
        if comparison.previous + comparison.current == 0 {
            return language == .vi ? "không có vụ nào trong cả hai năm, không kiểm định" : "no events in either year, no test"
        }
        guard let p = NumberStyle.pValue(comparison.pExactTwoSided, language: language) else { return nil }
        let pText = p.hasPrefix("<") ? "p \(p)" : "p = \(p)"
        if row.significant == true {
            return language == .vi ? "thay đổi có ý nghĩa thống kê (\(pText))" : "change statistically significant (\(pText))"
        }
        return language == .vi ? "thay đổi không có ý nghĩa thống kê (\(pText))" : "change not statistically significant (\(pText))"
    }
}

extension String {
    /// The text with ASCII hyphen-minus signs replaced by U+2212 (typographic minus for prose).
    func replacingMinus() -> String {
        String(map { $0 == "-" ? "\u{2212}" : $0 })
    }
}
