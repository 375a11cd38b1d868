import BinhYenAnalytics
import BinhYenCore

/// Tables of `binhyen ytd` (SPEC §7): year to date, headroom and the probability of meeting
/// each rule at year end.
public enum YearToDateReport {
    /// Canonical JSON/CSV fields, in order.
    public static let fieldKeys = [
        "unit_kind", "commune", "commune_code", "village", "village_code", "category", "metric", "rule", "year",
        "through_month", "prev_year", "ytd", "ytd_prev", "ytd_change", "ytd_pct_change", "prev", "target_max", "headroom",
        "lost", "expected_remaining", "projected_total", "total_lo", "total_hi", "p_meet", "elapsed_share", "dispersion",
        "history_years", "model", "note", "sentence", "rule_pack", "period",
    ]

    /// The model behind `p_meet`, as written in the `model` field.
    public static let modelID = "seasonal_gamma_poisson"

    /// The model in words, printed under terminal and Markdown tables.
    public static let modelStatement = LocalizedText(
        vi: "Mô hình: số vụ mỗi tháng theo phân phối Poisson (có hệ số phân tán φ từ các năm trước) với tỷ trọng theo mùa ước lượng từ tối đa 5 năm đủ 12 tháng; mức của năm nay ước lượng từ lũy kế, kết hợp với mức trung bình các năm trước (trọng số nửa năm) và tiên nghiệm Jeffreys; sai số của mức này được tính vào (phân phối nhị thức âm). Khả năng đạt = P(lũy kế + số vụ các tháng còn lại ≤ mức tối đa); không tính trước các vụ bất khả kháng.",
        en: "Model: monthly counts Poisson (with the dispersion φ of past years), seasonal shares from up to 5 complete monthly years; this year's level estimated from the count so far, shrunk towards the mean of past years (weight of half a year) with Jeffreys' prior; the level's uncertainty is included (negative binomial). P(meet) = P(count so far + remaining months ≤ max allowed); future force-majeure exclusions are not anticipated.")

    /// Every canonical field per row; undefined values are null with their reason in `note`.
    public static func fullTable(_ rows: [YearToDateRow], language: Language, catalogue: Catalogue = .standard) -> OutputTable {
        let body = rows.map { row -> [OutputCell] in
            let cells: [String: OutputCell] = [
                "unit_kind": .text(row.unitKind.rawValue),
                "commune": .text(row.commune),
                "commune_code": .text(row.communeCode),
                "village": .text(row.village),
                "village_code": .text(row.villageCode),
                "category": .text(row.measure.category.rawValue),
                "metric": .text(row.measure.metric.rawValue),
                "rule": .text(row.ruleCode),
                "year": .integer(row.year, grouped: false),
                "through_month": .integer(row.throughMonth),
                "prev_year": .integer(row.prevYear, grouped: false),
                "ytd": .integer(row.ytd),
                "ytd_prev": .integer(row.ytdPrev),
                "ytd_change": .integer(row.ytdChange, signed: true),
                "ytd_pct_change": .percent(row.ytdPctChange, signed: true),
                "prev": .integer(row.prev),
                "target_max": .integer(row.targetMax),
                "headroom": .integer(row.headroom, signed: true),
                "lost": .boolean(row.lost),
                "expected_remaining": .decimal(row.expectedRemaining, digits: 1),
                "projected_total": .decimal(row.projectedTotal, digits: 1),
                "total_lo": .integer(row.totalLow),
                "total_hi": .integer(row.totalHigh),
                "p_meet": .pValue(row.pMeet),
                "elapsed_share": .decimal(row.elapsedShare, digits: 3),
                "dispersion": .decimal(row.dispersion, digits: 2),
                "history_years": .integer(row.historyYears),
                "model": .text(row.expectedRemaining == nil ? nil : modelID),
                "note": .text(row.notes.isEmpty ? nil : row.notes.map(\.code.rawValue).joined(separator: ";")),
                "sentence": .text(sentence(row, language: language, catalogue: catalogue)),
                "rule_pack": .text(row.rulePackID),
                "period": .text(row.period.rawValue),
            ]
            return fieldKeys.map { cells[$0] ?? .null() }
        }
        return OutputTable(title: title(rows), columns: fieldKeys.map { OutputColumn($0) }, rows: body, metadata: metadata(rows))
    }

    /// The compact table: unit, rule label, count so far, same months last year, previous year,
    /// max allowed, headroom, projected total with its interval, P(meet) and notes.
    public static func compactTable(_ rows: [YearToDateRow], language: Language, footnotes: [LocalizedText] = []) -> OutputTable {
        let columns = [
            OutputColumn("unit", LocalizedText(vi: "Đơn vị", en: "Unit")),
            OutputColumn("measure", LocalizedText(vi: "Lĩnh vực", en: "Measure")),
            OutputColumn("ytd", LocalizedText(vi: "Lũy kế", en: "So far")),
            OutputColumn("ytd_prev", LocalizedText(vi: "Cùng kỳ", en: "Same months")),
            OutputColumn("prev", LocalizedText(vi: "Cả năm trước", en: "Last year")),
            OutputColumn("target_max", LocalizedText(vi: "Mức tối đa", en: "Max allowed")),
            OutputColumn("headroom", LocalizedText(vi: "Còn được", en: "Headroom")),
            OutputColumn("projected_total", LocalizedText(vi: "Dự báo cả năm", en: "Projected year")),
            OutputColumn("p_meet", LocalizedText(vi: "Khả năng đạt", en: "P(meet)")),
            OutputColumn("note", LocalizedText(vi: "Ghi chú", en: "Note")),
        ]
        let body = rows.map { row -> [OutputCell] in
            [
                .text(row.unitName),
                .text(row.label(language)),
                .integer(row.ytd),
                .integer(row.ytdPrev),
                .integer(row.prev),
                .integer(row.targetMax),
                OutputCell(row.headroom.map(CellValue.integer) ?? .null(reason: nil), signed: true,
                           tone: row.lost == true ? .bad : nil),
                .text(projection(row, language: language)),
                OutputCell(row.pMeet.map { CellValue.decimal($0, digits: 2) } ?? .null(reason: nil), tone: tone(row)),
                .text(row.notes.isEmpty ? nil : row.notes.map { $0.detail(language) }.joined(separator: "; ")),
            ]
        }
        return OutputTable(title: title(rows), columns: columns, rows: body,
                           footnotes: footnotes + [modelStatement], metadata: metadata(rows))
    }

    /// "Lũy kế 6 tháng năm 2025 so với cùng kỳ 2024; kỳ thống kê …; bộ quy tắc …"; nil without rows.
    public static func title(_ rows: [YearToDateRow]) -> LocalizedText? {
        guard let first = rows.first else { return nil }
        let scheme = first.period
        return LocalizedText(
            vi: "Lũy kế tháng 1–\(first.throughMonth) năm \(first.year) so với cùng kỳ năm \(first.prevYear) và mức tối đa cả năm; \(scheme.label.vi); bộ quy tắc \(first.rulePackID)",
            en: "Months 1–\(first.throughMonth) of \(first.year) against the same months of \(first.prevYear) and the year's maximum; \(scheme.label.en); rule pack \(first.rulePackID)")
    }

    /// `period`, `rule_pack`, `year`, `through_month`.
    public static func metadata(_ rows: [YearToDateRow]) -> [MetadataEntry] {
        guard let first = rows.first else { return [] }
        return [MetadataEntry("period", first.period.rawValue), MetadataEntry("rule_pack", first.rulePackID),
                MetadataEntry("year", String(first.year)), MetadataEntry("through_month", String(first.throughMonth))]
    }

    /// One line: "Phạm tội về TTXH: tháng 1–6/2025: 18 vụ (cùng kỳ 2024: 21); tối đa cả năm 39 (năm 2024: 42); còn được 21; khả năng đạt 0,78".
    public static func sentence(_ row: YearToDateRow, language: Language, catalogue: Catalogue = .standard) -> String {
        let unit = catalogue.info(row.measure.category)?.metric(row.measure.metric)?.unit(language) ?? ""
        var parts: [String] = []
        let months = language == .vi ? "tháng 1–\(row.throughMonth)/\(row.year)" : "months 1–\(row.throughMonth) of \(row.year)"
        if let ytd = row.ytd {
            var text = "\(months): \(NumberStyle.integer(ytd, language: language)) \(unit)"
            if let previous = row.ytdPrev {
                text += language == .vi ? " (cùng kỳ \(row.prevYear): \(NumberStyle.integer(previous, language: language)))"
                                        : " (same months of \(row.prevYear): \(NumberStyle.integer(previous, language: language)))"
            }
            parts.append(text)
        } else {
            parts.append(language == .vi ? "\(months): thiếu số liệu" : "\(months): data missing")
        }
        if let target = row.targetMax {
            let base = row.prev.map { language == .vi ? " (năm \(row.prevYear): \(NumberStyle.integer($0, language: language)))"
                                                      : " (\(row.prevYear): \(NumberStyle.integer($0, language: language)))" } ?? ""
            parts.append(language == .vi ? "tối đa cả năm \(NumberStyle.integer(target, language: language))\(base)"
                                         : "at most \(NumberStyle.integer(target, language: language)) for the year\(base)")
        }
        if let headroom = row.headroom {
            if row.lost == true {
                parts.append(language == .vi ? "đã không đạt (vượt \(NumberStyle.integer(-headroom, language: language)))"
                                             : "already lost (over by \(NumberStyle.integer(-headroom, language: language)))")
            } else {
                parts.append(language == .vi ? "còn được \(NumberStyle.integer(headroom, language: language))"
                                             : "headroom \(NumberStyle.integer(headroom, language: language))")
            }
        }
        if let p = row.pMeet, let text = NumberStyle.decimal(p, digits: 2, language: language) {
            parts.append(language == .vi ? "khả năng đạt \(text)" : "P(meet) \(text)")
        }
        return "\(row.label(language)): " + parts.joined(separator: "; ")
    }

    /// "23,4 [18; 30]": the projected total and its interval.
    private static func projection(_ row: YearToDateRow, language: Language) -> String? {
        guard let total = row.projectedTotal, let text = NumberStyle.decimal(total, digits: 1, language: language) else { return nil }
        guard let low = row.totalLow, let high = row.totalHigh else { return text }
        return "\(text) [\(NumberStyle.integer(low, language: language)); \(NumberStyle.integer(high, language: language))]"
    }

    private static func tone(_ row: YearToDateRow) -> CellTone? {
        guard let p = row.pMeet else { return nil }
        if row.lost == true || p < 0.2 { return .bad }
        if p < 0.8 { return .warning }
        return .good
    }
}
