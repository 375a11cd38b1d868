import BinhYenAnalytics
import BinhYenCore

/// Tables of `binhyen alerts` (SPEC §6 "aberration"): one row per unit, measure and monitored period.
public enum AlertsReport {
    /// Canonical JSON/CSV fields, in order.
    public static let fieldKeys = [
        "unit_kind", "commune", "commune_code", "village", "village_code", "category", "metric", "method",
        "subperiod_kind", "period", "year", "subperiod", "index", "observed", "expected", "upper", "score",
        "score_limit", "score_lower_limit", "alarm", "alarm_low", "reason", "p_value", "dispersion", "trend_used",
        "trend_coefficient", "mu0_quantile", "baseline_size", "recent_cases", "sentence",
    ]

    /// Every canonical field per row. Numbers in full precision; undefined values are null
    /// (the `reason` code says why).
    public static func fullTable(_ rows: [AlertRow], language: Language, catalogue: Catalogue = .standard) -> OutputTable {
        let body = rows.map { row -> [OutputCell] in
            let cells: [String: OutputCell] = [
                "unit_kind": .text(row.unitKind.rawValue),
                "commune": .text(row.commune),
                "commune_code": .text(row.communeCode),
                "village": .text(row.village),
                "village_code": .text(row.villageCode),
                "category": .text(row.measure.category.rawValue),
                "metric": .text(row.measure.metric.rawValue),
                "method": .text(row.method.rawValue),
                "subperiod_kind": .text(row.kind.rawValue),
                "period": .text(row.period.label(row.kind)),
                "year": .integer(row.period.year, grouped: false),
                "subperiod": .integer(row.period.number),
                "index": .integer(row.index),
                "observed": .integer(row.observed),
                "expected": .decimal(row.expected, digits: 2),
                "upper": .decimal(row.upper, digits: 2),
                "score": .decimal(row.score, digits: 2),
                "score_limit": .decimal(row.scoreLimit, digits: 2),
                "score_lower_limit": .decimal(row.scoreLowerLimit, digits: 2),
                "alarm": .boolean(row.alarm),
                "alarm_low": .boolean(row.lowAlarm),
                "reason": .text(row.reason.rawValue),
                "p_value": .pValue(row.pValue),
                "dispersion": .decimal(row.dispersion, digits: 3),
                "trend_used": .boolean(row.trendUsed),
                "trend_coefficient": .decimal(row.trendCoefficient, digits: 4),
                "mu0_quantile": .decimal(row.mu0Quantile, digits: 2),
                "baseline_size": .integer(row.baselineSize),
                "recent_cases": .integer(row.recentCases),
                "sentence": .text(sentence(row, language: language, catalogue: catalogue)),
            ]
            return fieldKeys.map { cells[$0] ?? .null() }
        }
        return OutputTable(title: title(rows), columns: fieldKeys.map { OutputColumn($0) }, rows: body, metadata: metadata(rows))
    }

    /// The compact table: unit, measure, period, observed, expected, upper bound, score, alarm and why.
    public static func compactTable(_ rows: [AlertRow], language: Language, catalogue: Catalogue = .standard,
                                    footnotes: [LocalizedText] = []) -> OutputTable {
        let columns = [
            OutputColumn("unit", LocalizedText(vi: "Đơn vị", en: "Unit")),
            OutputColumn("measure", LocalizedText(vi: "Lĩnh vực", en: "Measure")),
            OutputColumn("period", LocalizedText(vi: "Kỳ", en: "Period")),
            OutputColumn("observed", LocalizedText(vi: "Thực tế", en: "Observed")),
            OutputColumn("expected", LocalizedText(vi: "Kỳ vọng", en: "Expected")),
            OutputColumn("upper", LocalizedText(vi: "Ngưỡng", en: "Upper")),
            OutputColumn("score", LocalizedText(vi: "Điểm", en: "Score")),
            OutputColumn("alarm", LocalizedText(vi: "Cảnh báo", en: "Alarm")),
            OutputColumn("reason", LocalizedText(vi: "Lý do", en: "Reason")),
        ]
        let body = rows.map { row -> [OutputCell] in
            [
                .text(row.unitName),
                .text(TrendReport.measureLabel(row.measure, catalogue: catalogue)(language)),
                .text(row.period.label(row.kind)),
                .integer(row.observed),
                .decimal(row.expected, digits: 2),
                .decimal(row.upper, digits: 2),
                .decimal(row.score, digits: 2),
                .text(alarmWord(row)?(language), tone: row.alarm == true ? .bad : (row.lowAlarm == true ? .warning : nil)),
                .text(reasonText(row.reason)(language), tone: row.reason == .aboveThreshold ? .bad : .muted),
            ]
        }
        return OutputTable(title: title(rows), columns: columns, rows: body, footnotes: footnotes, metadata: metadata(rows))
    }

    /// "Cảnh báo bất thường (farrington-flexible), theo tháng 2024-01 … 2025-12"; nil without rows.
    public static func title(_ rows: [AlertRow]) -> LocalizedText? {
        guard let first = rows.first else { return nil }
        let periods = rows.map(\.period)
        let from = periods.min().map { $0.label(first.kind) } ?? ""
        let to = periods.max().map { $0.label(first.kind) } ?? ""
        return LocalizedText(
            vi: "Cảnh báo bất thường theo \(first.kind.label.vi) (\(methodName(first.method).vi)), \(from) – \(to)",
            en: "\(first.kind == .month ? "Monthly" : "Weekly") aberration alarms (\(methodName(first.method).en)), \(from) – \(to)")
    }

    /// `method`, `subperiod_kind`, `from`, `to`.
    public static func metadata(_ rows: [AlertRow]) -> [MetadataEntry] {
        guard let first = rows.first, let from = rows.map(\.period).min(), let to = rows.map(\.period).max() else { return [] }
        return [MetadataEntry("method", first.method.rawValue), MetadataEntry("subperiod_kind", first.kind.rawValue),
                MetadataEntry("from", from.label(first.kind)), MetadataEntry("to", to.label(first.kind))]
    }

    /// The reference each method follows.
    public static func methodName(_ method: AlertMethod) -> LocalizedText {
        switch method {
        case .farrington: return .same("Farrington 1996, surveillance::algo.farrington")
        case .farringtonFlexible: return .same("Noufaily 2013, surveillance::farringtonFlexible")
        case .cusum: return .same("CUSUM, surveillance::algo.cusum")
        case .poissonCUSUM: return LocalizedText(vi: "CUSUM Poisson (Lucas 1985)", en: "Poisson CUSUM (Lucas 1985)")
        case .poissonEWMA: return LocalizedText(vi: "EWMA Poisson (Borror và cs. 1998)", en: "Poisson EWMA (Borror et al. 1998)")
        }
    }

    /// Words for the reason codes.
    public static func reasonText(_ reason: AlertReason) -> LocalizedText {
        switch reason {
        case .aboveThreshold: return LocalizedText(vi: "vượt ngưỡng", en: "above the threshold")
        case .withinThreshold: return LocalizedText(vi: "trong ngưỡng", en: "within the threshold")
        case .tooFewCases: return LocalizedText(vi: "vượt ngưỡng nhưng quá ít vụ gần đây", en: "above the threshold but too few recent cases")
        case .belowLowerLimit: return LocalizedText(vi: "thấp bất thường", en: "unusually low")
        case .missingObservation: return LocalizedText(vi: "thiếu số liệu kỳ này", en: "no data for this period")
        case .noFit: return LocalizedText(vi: "không đủ số liệu tham chiếu", en: "not enough reference data")
        }
    }

    private static func alarmWord(_ row: AlertRow) -> LocalizedText? {
        if row.alarm == true { return LocalizedText(vi: "CÓ", en: "YES") }
        if row.lowAlarm == true { return LocalizedText(vi: "thấp", en: "low") }
        if row.alarm == false { return LocalizedText(vi: "không", en: "no") }
        return nil
    }

    /// "Thôn Đông, Phạm tội về TTXH, 2025-03: 6 vụ, kỳ vọng 2,10, ngưỡng 5,43: vượt ngưỡng".
    public static func sentence(_ row: AlertRow, language: Language, catalogue: Catalogue = .standard) -> String {
        let unit = catalogue.info(row.measure.category)?.metric(row.measure.metric)?.unit(language) ?? ""
        var parts = ["\(row.unitName), \(TrendReport.measureLabel(row.measure, catalogue: catalogue)(language)), \(row.period.label(row.kind))"]
        var facts: [String] = []
        if let observed = row.observed { facts.append("\(NumberStyle.integer(observed, language: language)) \(unit)") }
        if let expected = row.expected, let text = NumberStyle.decimal(expected, digits: 2, language: language) {
            facts.append(language == .vi ? "kỳ vọng \(text)" : "expected \(text)")
        }
        if let upper = row.upper, let text = NumberStyle.decimal(upper, digits: 2, language: language) {
            facts.append(language == .vi ? "ngưỡng \(text)" : "threshold \(text)")
        }
        if !facts.isEmpty { parts.append(facts.joined(separator: ", ")) }
        return parts.joined(separator: ": ") + ": " + reasonText(row.reason)(language)
    }
}
