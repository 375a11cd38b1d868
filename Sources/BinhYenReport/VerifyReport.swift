import BinhYenAnalytics
import BinhYenCore

/// Tables of `verify` (SPEC §5–§8): the canonical field set for JSON/CSV and a compact,
/// localized table for terminals and Markdown.
public enum VerifyReport {
    /// The canonical JSON/CSV field names, in order (keep exactly; scripts depend on them).
    public static let fieldKeys = [
        "unit_kind", "commune", "commune_code", "village", "village_code", "category", "metric", "rule", "year",
        "prev_year", "prev", "curr", "prev_excluded", "curr_excluded", "prev_exposure", "curr_exposure", "change",
        "pct_change", "reduction_pct", "target_max", "verdict", "note", "p_exact", "p_exact_less", "p_exact_greater",
        "p_midp", "p_midp_lower", "p_midp_upper", "rate_ratio", "rr_lo", "rr_hi", "rr_hi_infinite", "rr_midp_lo",
        "rr_midp_hi", "rr_median_unbiased", "rr_wald_lo", "rr_wald_hi", "significant", "sentence", "rule_pack", "period",
    ]

    /// Display headers of the canonical fields.
    static let fieldHeaders: [String: LocalizedText] = [
        "unit_kind": LocalizedText(vi: "Cấp", en: "Unit kind"),
        "commune": LocalizedText(vi: "Xã", en: "Commune"),
        "commune_code": LocalizedText(vi: "Mã xã", en: "Commune code"),
        "village": LocalizedText(vi: "Khu dân cư", en: "Village"),
        "village_code": LocalizedText(vi: "Mã khu dân cư", en: "Village code"),
        "category": LocalizedText(vi: "Lĩnh vực", en: "Category"),
        "metric": LocalizedText(vi: "Chỉ số", en: "Metric"),
        "rule": LocalizedText(vi: "Tiêu chí", en: "Rule"),
        "year": LocalizedText(vi: "Năm", en: "Year"),
        "prev_year": LocalizedText(vi: "Năm so sánh", en: "Previous year"),
        "prev": LocalizedText(vi: "Năm trước", en: "Previous"),
        "curr": LocalizedText(vi: "Năm nay", en: "Current"),
        "prev_excluded": LocalizedText(vi: "Bất khả kháng năm trước", en: "Excluded (previous)"),
        "curr_excluded": LocalizedText(vi: "Bất khả kháng năm nay", en: "Excluded (current)"),
        "prev_exposure": LocalizedText(vi: "Dân số năm trước", en: "Population (previous)"),
        "curr_exposure": LocalizedText(vi: "Dân số năm nay", en: "Population (current)"),
        "change": LocalizedText(vi: "Thay đổi", en: "Change"),
        "pct_change": LocalizedText(vi: "Tỷ lệ", en: "% change"),
        "reduction_pct": LocalizedText(vi: "Mức giảm", en: "Reduction"),
        "target_max": LocalizedText(vi: "Mức tối đa", en: "Max allowed"),
        "verdict": LocalizedText(vi: "Kết quả", en: "Verdict"),
        "note": LocalizedText(vi: "Ghi chú", en: "Note"),
        "p_exact": .same("p"),
        "p_exact_less": LocalizedText(vi: "p (giảm)", en: "p (decrease)"),
        "p_exact_greater": LocalizedText(vi: "p (tăng)", en: "p (increase)"),
        "p_midp": .same("p mid-p"),
        "p_midp_lower": LocalizedText(vi: "mid-p (giảm)", en: "mid-p (decrease)"),
        "p_midp_upper": LocalizedText(vi: "mid-p (tăng)", en: "mid-p (increase)"),
        "rate_ratio": LocalizedText(vi: "Tỷ số", en: "Rate ratio"),
        "rr_lo": LocalizedText(vi: "KTC dưới", en: "CI low"),
        "rr_hi": LocalizedText(vi: "KTC trên", en: "CI high"),
        "rr_hi_infinite": LocalizedText(vi: "KTC trên vô hạn", en: "CI high infinite"),
        "rr_midp_lo": LocalizedText(vi: "KTC mid-p dưới", en: "mid-p CI low"),
        "rr_midp_hi": LocalizedText(vi: "KTC mid-p trên", en: "mid-p CI high"),
        "rr_median_unbiased": LocalizedText(vi: "Tỷ số (trung vị không chệch)", en: "Median-unbiased RR"),
        "rr_wald_lo": LocalizedText(vi: "KTC Wald dưới", en: "Wald CI low"),
        "rr_wald_hi": LocalizedText(vi: "KTC Wald trên", en: "Wald CI high"),
        "significant": LocalizedText(vi: "Có ý nghĩa", en: "Significant"),
        "sentence": LocalizedText(vi: "Diễn giải", en: "Sentence"),
        "rule_pack": LocalizedText(vi: "Bộ quy tắc", en: "Rule pack"),
        "period": LocalizedText(vi: "Kỳ", en: "Period"),
    ]

    /// Every canonical field for each row (JSON and CSV). Machine values: ids for category,
    /// metric, verdict and note codes; the sentence in `language`. Undefined values are null
    /// cells; rr_hi is null when the upper limit is infinite, with `rr_hi_infinite = true`.
    public static func fullTable(_ rows: [VerdictRow], language: Language, catalogue: Catalogue = .standard) -> OutputTable {
        let columns = fieldKeys.map { OutputColumn($0, fieldHeaders[$0] ?? .same($0)) }
        let body = rows.map { row -> [OutputCell] in
            let cells = fields(row, language: language, catalogue: catalogue)
            return fieldKeys.map { cells[$0] ?? .null() }
        }
        return OutputTable(title: title(rows), columns: columns, rows: body, metadata: metadata(rows))
    }

    /// `rule_pack`, `period`, `year` and `prev_year` of the rows (empty without rows).
    public static func metadata(_ rows: [VerdictRow]) -> [MetadataEntry] {
        guard let first = rows.first else { return [] }
        return [MetadataEntry("period", first.period.rawValue), MetadataEntry("rule_pack", first.rulePackID),
                MetadataEntry("year", String(first.year)), MetadataEntry("prev_year", String(first.prevYear))]
    }

    /// The compact table for terminals and Markdown: unit, measure label, previous, current,
    /// change, % change, largest allowed count, verdict word, p and the note, with localized
    /// headers ("Đơn vị", "Lĩnh vực", "Năm trước", "Năm nay", "Thay đổi", "Tỷ lệ", "Mức tối đa",
    /// "Kết quả", "p", "Ghi chú"). The title states the years, their windows, the period scheme
    /// and the rule pack.
    public static func compactTable(_ rows: [VerdictRow], language: Language, footnotes: [LocalizedText] = []) -> OutputTable {
        let columns = [
            OutputColumn("unit", LocalizedText(vi: "Đơn vị", en: "Unit")),
            OutputColumn("measure", LocalizedText(vi: "Lĩnh vực", en: "Measure")),
            OutputColumn("prev", LocalizedText(vi: "Năm trước", en: "Previous")),
            OutputColumn("curr", LocalizedText(vi: "Năm nay", en: "Current")),
            OutputColumn("change", LocalizedText(vi: "Thay đổi", en: "Change")),
            OutputColumn("pct_change", LocalizedText(vi: "Tỷ lệ", en: "% change")),
            OutputColumn("target_max", LocalizedText(vi: "Mức tối đa", en: "Max allowed")),
            OutputColumn("verdict", LocalizedText(vi: "Kết quả", en: "Verdict")),
            OutputColumn("p_exact", .same("p")),
            OutputColumn("note", LocalizedText(vi: "Ghi chú", en: "Note")),
        ]
        let body = rows.map { row -> [OutputCell] in
            [
                .text(row.unitName),
                .text(row.label(language)),
                .integer(row.prev),
                .integer(row.curr),
                .integer(row.change, signed: true),
                .percent(row.pctChange, signed: true),
                .integer(row.targetMax),
                .text(row.verdict.label(language), tone: tone(row.verdict)),
                .pValue(row.comparison?.pExactTwoSided),
                .text(row.note?.detail(language)),
            ]
        }
        return OutputTable(title: title(rows), columns: columns, rows: body, footnotes: footnotes, metadata: metadata(rows))
    }

    /// "Năm 2025 (15/12/2024–14/12/2025) so với năm 2024 (…); kỳ thống kê …; bộ quy tắc ntm-2021-2025";
    /// nil without rows.
    public static func title(_ rows: [VerdictRow]) -> LocalizedText? {
        guard let first = rows.first else { return nil }
        let scheme = first.period
        let current = "\(first.year) (\(scheme.window(of: first.year)))"
        let previous = "\(first.prevYear) (\(scheme.window(of: first.prevYear)))"
        return LocalizedText(
            vi: "Năm \(current) so với năm \(previous); \(scheme.label.vi); bộ quy tắc \(first.rulePackID)",
            en: "Year \(current) vs \(previous); \(scheme.label.en); rule pack \(first.rulePackID)")
    }

    static func tone(_ verdict: Verdict) -> CellTone {
        switch verdict {
        case .met: return .good
        case .notMet: return .bad
        case .insufficientData: return .warning
        case .notApplicable: return .muted
        }
    }

    private static func fields(_ row: VerdictRow, language: Language, catalogue: Catalogue) -> [String: OutputCell] {
        let comparison = row.comparison
        let noPercent = LocalizedText(vi: "năm trước bằng 0", en: "previous year is zero")
        var cells: [String: OutputCell] = [
            "unit_kind": .text(row.unitKind.rawValue),
            "commune": .text(row.commune),
            "commune_code": .text(row.communeCode),
            "village": .text(row.village),
            "village_code": .text(row.villageCode),
            "category": .text(row.measure?.category.rawValue),
            "metric": .text(row.measure?.metric.rawValue),
            "rule": .text(row.ruleCode),
            "year": .integer(row.year, grouped: false),
            "prev_year": .integer(row.prevYear, grouped: false),
            "prev": .integer(row.prev),
            "curr": .integer(row.curr),
            "prev_excluded": .integer(row.prevExcluded),
            "curr_excluded": .integer(row.currExcluded),
            "prev_exposure": .integer(row.prevExposure),
            "curr_exposure": .integer(row.currExposure),
            "change": .integer(row.change, signed: true),
            "pct_change": .percent(row.pctChange, signed: true, reason: row.prev == 0 ? noPercent : nil),
            "reduction_pct": .percent(row.reductionPct, reason: row.prev == 0 ? noPercent : nil),
            "target_max": .integer(row.targetMax),
            "verdict": .text(row.verdict.rawValue, tone: tone(row.verdict)),
            "note": .text(row.note?.code.rawValue),
            "sentence": .text(VerdictSentence.make(row, language: language, catalogue: catalogue)),
            "rule_pack": .text(row.rulePackID),
            "period": .text(row.period.rawValue),
            "significant": .boolean(row.significant),
        ]
        guard let comparison else { return cells }
        cells["p_exact"] = .pValue(comparison.pExactTwoSided)
        cells["p_exact_less"] = .pValue(comparison.pExactLess)
        cells["p_exact_greater"] = .pValue(comparison.pExactGreater)
        cells["p_midp"] = .pValue(comparison.pMidpTwoSided)
        cells["p_midp_lower"] = .pValue(comparison.pMidpLower)
        cells["p_midp_upper"] = .pValue(comparison.pMidpUpper)
        cells["rate_ratio"] = .decimal(comparison.rateRatio, digits: 3)
        cells["rr_lo"] = .decimal(comparison.exactInterval.lower, digits: 3)
        cells["rr_hi"] = .decimal(comparison.exactInterval.upper, digits: 3)
        cells["rr_hi_infinite"] = .boolean(comparison.exactInterval.upper == nil)
        cells["rr_midp_lo"] = .decimal(comparison.midpInterval?.lower, digits: 3)
        cells["rr_midp_hi"] = .decimal(comparison.midpInterval?.upper, digits: 3)
        cells["rr_median_unbiased"] = .decimal(comparison.medianUnbiasedRatio, digits: 3)
        cells["rr_wald_lo"] = .decimal(comparison.waldInterval?.lower, digits: 3)
        cells["rr_wald_hi"] = .decimal(comparison.waldInterval?.upper, digits: 3)
        return cells
    }
}
