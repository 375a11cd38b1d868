import BinhYenAnalytics
import BinhYenCore
import BinhYenStats

/// Tables of the `forecast` command (SPEC §6 "forecast" fields).
public enum ForecastReport {
    /// Canonical fields of JSON and CSV, in order.
    public static let fieldKeys = [
        "unit_kind", "commune", "commune_code", "village", "village_code", "category", "metric", "rule",
        "last_year", "last_count", "forecast_year", "model", "forecast_mean", "mean_lo", "mean_hi",
        "pi_lo", "pi_hi", "target_max", "p_meet", "p_meet_plugin", "n_years", "note",
    ]

    public static func fullTable(_ rows: [ForecastRow], language: Language) -> OutputTable {
        let body = rows.map { row -> [OutputCell] in
            let f = row.forecast
            let t = row.trend
            let cells: [String: OutputCell] = [
                "unit_kind": .text(t.unitKind.rawValue),
                "commune": .text(t.commune),
                "commune_code": .text(t.communeCode),
                "village": .text(t.village),
                "village_code": .text(t.villageCode),
                "category": .text(row.rule.measure.category.rawValue),
                "metric": .text(row.rule.measure.metric.rawValue),
                "rule": .text(row.rule.test.code),
                "last_year": .integer(row.lastYear, grouped: false),
                "last_count": .integer(row.lastCount),
                "forecast_year": .integer(f?.year ?? row.lastYear + 1, grouped: false),
                "model": .text(f?.model?.rawValue),
                "forecast_mean": .decimal(f?.mean, digits: 1),
                "mean_lo": .decimal(f?.meanInterval?.lowerBound, digits: 1),
                "mean_hi": .decimal(f?.meanInterval?.upperBound, digits: 1),
                "pi_lo": .integer(f?.predictionInterval?.lowerBound),
                "pi_hi": .integer(f?.predictionInterval?.upperBound),
                "target_max": .integer(f?.targetMax),
                "p_meet": .decimal(f?.probabilityOfMeetingTarget, digits: 2),
                "p_meet_plugin": .decimal(f?.plugInProbabilityOfMeetingTarget, digits: 2),
                "n_years": .integer(t.years.count),
                "note": .text(note(row)?(language)),
            ]
            return fieldKeys.map { cells[$0] ?? .null() }
        }
        return OutputTable(title: title, columns: fieldKeys.map { OutputColumn($0) }, rows: body)
    }

    /// Terminal and Markdown: unit, rule, last count, forecast mean with its 95% prediction
    /// interval, the largest count that meets the rule and the probability of meeting it.
    public static func compactTable(_ rows: [ForecastRow], language: Language, catalogue: Catalogue = .standard) -> OutputTable {
        let columns = [
            OutputColumn("unit", LocalizedText(vi: "Đơn vị", en: "Unit")),
            OutputColumn("measure", LocalizedText(vi: "Lĩnh vực", en: "Measure")),
            OutputColumn("last", LocalizedText(vi: "Năm gần nhất", en: "Last year")),
            OutputColumn("forecast_mean", LocalizedText(vi: "Dự báo", en: "Forecast")),
            OutputColumn("pi", LocalizedText(vi: "Khoảng dự báo 95%", en: "95% interval")),
            OutputColumn("target_max", LocalizedText(vi: "Mức tối đa", en: "Max allowed")),
            OutputColumn("p_meet", LocalizedText(vi: "Xác suất đạt", en: "P(met)")),
            OutputColumn("model", LocalizedText(vi: "Mô hình", en: "Model")),
            OutputColumn("note", LocalizedText(vi: "Ghi chú", en: "Note")),
        ]
        let body = rows.map { row -> [OutputCell] in
            let f = row.forecast
            let interval = f?.predictionInterval.map { "\($0.lowerBound)–\($0.upperBound)" }
            return [
                .text(row.trend.unitName),
                .text(TrendReport.measureLabel(row.rule.measure, catalogue: catalogue)(language)),
                .text("\(row.lastYear): \(NumberStyle.integer(row.lastCount, language: language))"),
                .decimal(f?.mean, digits: 1),
                .text(interval),
                .integer(f?.targetMax),
                .percent(f?.probabilityOfMeetingTarget.map { $0 * 100 }, digits: 0),
                .text(f?.model?.rawValue),
                .text(note(row)?(language)),
            ]
        }
        return OutputTable(title: title, columns: columns, rows: body)
    }

    static let title = LocalizedText(vi: "Dự báo năm tới và xác suất đạt tiêu chí (có tính bất định của tham số)",
                                     en: "Next-year forecast and probability of meeting the rule (parameter uncertainty included)")

    static func note(_ row: ForecastRow) -> LocalizedText? {
        var parts: [LocalizedText] = []
        if let problem = row.problem { parts.append(problem) }
        parts += (row.forecast?.notes ?? []).map(TrendReport.modelNote)
        guard !parts.isEmpty else { return nil }
        return LocalizedText(vi: parts.map(\.vi).joined(separator: "; "), en: parts.map(\.en).joined(separator: "; "))
    }
}

extension VerifyReport {
    /// Trend and forecast columns for `verify --details`: `sen_slope`, `mk_p` (exact when
    /// computed), `direction`, `annual_rr`, `model`, `forecast_mean`, `pi_lo`, `pi_hi`, `p_meet`
    /// (the probability that the next year meets the same rule against the judged year).
    public static func withDetails(_ table: OutputTable, rows: [VerdictRow], details: VerdictDetails,
                                   language: Language, compact: Bool) -> OutputTable {
        let columns: [OutputColumn]
        if compact {
            columns = [
                OutputColumn("direction", LocalizedText(vi: "Xu hướng", en: "Trend")),
                OutputColumn("p_meet", LocalizedText(vi: "P(đạt năm sau)", en: "P(met next year)")),
            ]
        } else {
            columns = ["sen_slope", "mk_p", "direction", "annual_rr", "model", "forecast_mean", "pi_lo", "pi_hi", "p_meet"]
                .map { OutputColumn($0) }
        }
        let cells = rows.map { row -> [OutputCell] in
            let forecast = details.forecast(for: row)
            let summary = forecast?.trend.summary
            let f = forecast?.forecast
            if compact {
                return [
                    .text(summary.map { TrendReport.directionLabel($0.direction)(language) }, tone: summary.map { TrendReport.tone($0.direction) }),
                    .percent(f?.probabilityOfMeetingTarget.map { $0 * 100 }, digits: 0),
                ]
            }
            return [
                .decimal(summary?.senSlope, digits: 3, signed: true),
                .pValue(summary?.mkPExact ?? summary?.mkP),
                .text(summary?.direction.rawValue),
                .decimal(forecast?.trend.countModel?.annualRateRatio, digits: 3),
                .text(f?.model?.rawValue),
                .decimal(f?.mean, digits: 1),
                .integer(f?.predictionInterval?.lowerBound),
                .integer(f?.predictionInterval?.upperBound),
                .decimal(f?.probabilityOfMeetingTarget, digits: 2),
            ]
        }
        return table.appending(columns: columns, cells: cells)
    }
}
