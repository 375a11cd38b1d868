import BinhYenAnalytics
import BinhYenCore
import BinhYenStats

/// Tables of the `trend` command (SPEC §6 "trend" fields).
public enum TrendReport {
    /// Canonical fields of JSON and CSV, in order.
    public static let fieldKeys = [
        "unit_kind", "commune", "commune_code", "village", "village_code", "category", "metric",
        "first_year", "last_year", "n_years", "years_skipped",
        "ols_slope", "ols_se", "ols_p", "mk_s", "mk_var_s", "mk_z", "mk_p", "mk_p_exact", "mk_tau_b",
        "sen_slope", "sen_lo", "sen_hi", "direction",
        "model", "annual_rr", "annual_rr_lo", "annual_rr_hi", "model_p", "dispersion", "theta", "note",
    ]

    /// Every canonical field per row; undefined statistics are null cells with the reason in `note`.
    public static func fullTable(_ rows: [TrendRow], language: Language) -> OutputTable {
        let body = rows.map { row -> [OutputCell] in
            let s = row.summary
            let m = row.countModel
            let cells: [String: OutputCell] = [
                "unit_kind": .text(row.unitKind.rawValue),
                "commune": .text(row.commune),
                "commune_code": .text(row.communeCode),
                "village": .text(row.village),
                "village_code": .text(row.villageCode),
                "category": .text(row.measure.category.rawValue),
                "metric": .text(row.measure.metric.rawValue),
                "first_year": .integer(row.years.first, grouped: false),
                "last_year": .integer(row.years.last, grouped: false),
                "n_years": .integer(row.years.count),
                "years_skipped": .text(row.skipped.isEmpty ? nil : row.skipped.map { String($0.year) }.joined(separator: " ")),
                "ols_slope": .decimal(s?.olsSlope, digits: 3, signed: true),
                "ols_se": .decimal(s?.olsStandardError, digits: 3),
                "ols_p": .pValue(s?.olsPValue),
                "mk_s": .integer(s?.mkS, signed: true),
                "mk_var_s": .decimal(s?.mkVarianceS, digits: 2),
                "mk_z": .decimal(s?.mkZ, digits: 3, signed: true),
                "mk_p": .pValue(s?.mkP),
                "mk_p_exact": .pValue(s?.mkPExact),
                "mk_tau_b": .decimal(s?.mkTauB, digits: 3, signed: true),
                "sen_slope": .decimal(s?.senSlope, digits: 3, signed: true),
                "sen_lo": .decimal(s?.senLower, digits: 3, signed: true),
                "sen_hi": .decimal(s?.senUpper, digits: 3, signed: true),
                "direction": .text(s?.direction.rawValue),
                "model": .text(m?.model?.rawValue),
                "annual_rr": .decimal(m?.annualRateRatio, digits: 3),
                "annual_rr_lo": .decimal(m?.annualRateRatioLower, digits: 3),
                "annual_rr_hi": .decimal(m?.annualRateRatioUpper, digits: 3),
                "model_p": .pValue(m?.modelP),
                "dispersion": .decimal(m?.dispersion, digits: 3),
                "theta": .decimal(m?.theta, digits: 3),
                "note": .text(note(row)?(language)),
            ]
            return fieldKeys.map { cells[$0] ?? .null() }
        }
        return OutputTable(title: title, columns: fieldKeys.map { OutputColumn($0) }, rows: body)
    }

    /// The compact table for terminals and Markdown: unit, measure, years, Theil–Sen slope per
    /// year with its interval, Mann–Kendall p (exact when computed), direction and note.
    public static func compactTable(_ rows: [TrendRow], language: Language, catalogue: Catalogue = .standard) -> OutputTable {
        let columns = [
            OutputColumn("unit", LocalizedText(vi: "Đơn vị", en: "Unit")),
            OutputColumn("measure", LocalizedText(vi: "Lĩnh vực", en: "Measure")),
            OutputColumn("years", LocalizedText(vi: "Các năm", en: "Years")),
            OutputColumn("sen_slope", LocalizedText(vi: "Độ dốc Sen/năm", en: "Sen slope/yr")),
            OutputColumn("sen_ci", LocalizedText(vi: "Khoảng tin cậy", en: "Interval")),
            OutputColumn("mk_p", LocalizedText(vi: "p (MK)", en: "p (MK)")),
            OutputColumn("direction", LocalizedText(vi: "Xu hướng", en: "Direction")),
            OutputColumn("annual_rr", LocalizedText(vi: "Tỷ số/năm", en: "Rate ratio/yr")),
            OutputColumn("model", LocalizedText(vi: "Mô hình", en: "Model")),
            OutputColumn("note", LocalizedText(vi: "Ghi chú", en: "Note")),
        ]
        let body = rows.map { row -> [OutputCell] in
            let s = row.summary
            let years = row.years.first.map { "\($0)–\(row.years.last ?? $0) (n = \(row.years.count))" }
            return [
                .text(row.unitName),
                .text(measureLabel(row.measure, catalogue: catalogue)(language)),
                .text(years),
                .decimal(s?.senSlope, digits: 2, signed: true),
                .text(interval(s?.senLower, s?.senUpper, language: language)),
                .pValue(s?.mkPExact ?? s?.mkP),
                .text(s.map { directionLabel($0.direction)(language) }, tone: s.map { tone($0.direction) }),
                .decimal(row.countModel?.annualRateRatio, digits: 2),
                .text(row.countModel?.model?.rawValue),
                .text(note(row)?(language)),
            ]
        }
        return OutputTable(title: title, columns: columns, rows: body)
    }

    static let title = LocalizedText(vi: "Xu hướng theo năm (OLS, Mann–Kendall, Theil–Sen; mô hình đếm log-tuyến tính)",
                                     en: "Yearly trends (OLS, Mann–Kendall, Theil–Sen; log-linear count model)")

    /// "Phạm tội về TTXH" for cases, "TNGT – số người chết" for another metric.
    static func measureLabel(_ measure: Measure, catalogue: Catalogue) -> LocalizedText {
        guard let info = catalogue.info(measure.category) else { return .same(measure.description) }
        guard measure.metric != .cases, let metric = info.metric(measure.metric) else { return info.label }
        return LocalizedText(vi: "\(info.short.vi) – \(metric.label.vi)", en: "\(info.short.en) – \(metric.label.en)")
    }

    static func directionLabel(_ direction: TrendDirection) -> LocalizedText {
        switch direction {
        case .increasing: return LocalizedText(vi: "tăng", en: "increasing")
        case .decreasing: return LocalizedText(vi: "giảm", en: "decreasing")
        case .noTrend: return LocalizedText(vi: "không rõ xu hướng", en: "no trend")
        }
    }

    static func tone(_ direction: TrendDirection) -> CellTone {
        switch direction {
        case .increasing: return .bad
        case .decreasing: return .good
        case .noTrend: return .muted
        }
    }

    private static func interval(_ lower: Double?, _ upper: Double?, language: Language) -> String? {
        guard let lower, let upper,
              let lo = NumberStyle.decimal(lower, digits: 2, language: language, signed: true),
              let hi = NumberStyle.decimal(upper, digits: 2, language: language, signed: true) else { return nil }
        return "[\(lo); \(hi)]"
    }

    /// Why fields are null, the years left out, and the count model's notes.
    static func note(_ row: TrendRow) -> LocalizedText? {
        var parts: [LocalizedText] = []
        if let problem = row.problem { parts.append(problem) }
        if let notes = row.summary?.notes {
            if notes.contains(.constantSeries) {
                parts.append(LocalizedText(vi: "chuỗi không đổi", en: "constant series"))
            } else if notes.contains(.perfectLinearFit) {
                parts.append(LocalizedText(vi: "các điểm nằm trên một đường thẳng", en: "values on a straight line"))
            }
            if notes.contains(.fewerThanThreeValues) {
                parts.append(LocalizedText(vi: "dưới 3 năm: không có sai số chuẩn", en: "fewer than 3 years: no standard error"))
            }
            if notes.contains(.senIntervalUnavailable) {
                parts.append(LocalizedText(vi: "quá ít năm cho khoảng tin cậy", en: "too few years for the interval"))
            }
        }
        parts += (row.countModel?.notes ?? []).map(modelNote)
        guard !parts.isEmpty else { return nil }
        return LocalizedText(vi: parts.map(\.vi).joined(separator: "; "), en: parts.map(\.en).joined(separator: "; "))
    }

    static func modelNote(_ note: CountModelNote) -> LocalizedText {
        LocalizedText(vi: note.vietnamese, en: note.english)
    }
}
