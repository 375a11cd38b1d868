import BinhYenCore

/// The canonical long table of `normalize` (SPEC §7): one row per (unit, measure, year).
///
/// Fields: commune, commune_code, village, village_code, year, category, metric, count,
/// excluded, complete, missing_periods, population, source. Commune rows (totals given in the
/// input) have a null village. `missing_periods` lists the missing subperiods of an incomplete
/// year (`M11 M12`, `Q4`, `W05`), null when complete; `source` lists every contributing
/// location (`file[sheet]:line:column (heading)`) separated by `; `. Rows follow the panel's unit
/// order, then measure, then year.
public enum PanelReport {
    public static let fieldKeys = [
        "commune", "commune_code", "village", "village_code", "year", "category", "metric", "count", "excluded",
        "complete", "missing_periods", "population", "source",
    ]

    static let headers: [String: LocalizedText] = [
        "commune": LocalizedText(vi: "Xã", en: "Commune"),
        "commune_code": LocalizedText(vi: "Mã xã", en: "Commune code"),
        "village": LocalizedText(vi: "Khu dân cư", en: "Village"),
        "village_code": LocalizedText(vi: "Mã khu dân cư", en: "Village code"),
        "year": LocalizedText(vi: "Năm", en: "Year"),
        "category": LocalizedText(vi: "Lĩnh vực", en: "Category"),
        "metric": LocalizedText(vi: "Chỉ số", en: "Metric"),
        "count": LocalizedText(vi: "Số lượng", en: "Count"),
        "excluded": LocalizedText(vi: "Bất khả kháng", en: "Excluded"),
        "complete": LocalizedText(vi: "Đủ kỳ", en: "Complete"),
        "missing_periods": LocalizedText(vi: "Kỳ thiếu", en: "Missing periods"),
        "population": LocalizedText(vi: "Dân số", en: "Population"),
        "source": LocalizedText(vi: "Nguồn", en: "Source"),
    ]

    public static func table(_ panel: Panel) -> OutputTable {
        let columns = fieldKeys.map { OutputColumn($0, headers[$0] ?? .same($0)) }
        var rows: [[OutputCell]] = []
        for key in panel.series.keys.sorted() where panel.units.indices.contains(key.unit) {
            let unit = panel.units[key.unit]
            var commune: Unit?
            var village: Unit?
            if unit.kind == .commune {
                commune = unit
            } else {
                village = unit
                if let parent = unit.parent, panel.units.indices.contains(parent) { commune = panel.units[parent] }
            }
            for (year, value) in (panel.series[key] ?? [:]).sorted(by: { $0.key < $1.key }) {
                var missing: String?
                if case .incomplete(let gaps) = value.completeness {
                    missing = gaps.sorted().map(\.description).joined(separator: " ")
                }
                let sources = value.sources.map(\.description)
                rows.append([
                    .text(commune?.name), .text(commune?.code), .text(village?.name), .text(village?.code),
                    .integer(year, grouped: false), .text(key.measure.category.rawValue), .text(key.measure.metric.rawValue),
                    .integer(value.count), .integer(value.excluded), .boolean(value.isComplete), .text(missing),
                    .integer(panel.population[key.unit]?[year]),
                    .text(sources.isEmpty ? nil : sources.joined(separator: "; ")),
                ])
            }
        }
        return OutputTable(title: LocalizedText(vi: "Số liệu chuẩn hoá; \(panel.scheme.label.vi)",
                                                en: "Normalised data; \(panel.scheme.label.en)"),
                           columns: columns, rows: rows, metadata: [MetadataEntry("period", panel.scheme.rawValue)])
    }
}

/// The findings table of `check` (SPEC §2, §7): severity, code, file, line, column, message.
///
/// `severity` and `code` are the stable ids (`error`, `negative_count`); `file` includes the
/// sheet as `file[sheet]`; `line` and `column` are 1-based (null when unknown); the message is in
/// `language`. Errors and warnings are toned for colour terminals.
public enum DiagnosticsReport {
    public static let fieldKeys = ["severity", "code", "file", "line", "column", "message"]

    public static func table(_ diagnostics: [Diagnostic], language: Language) -> OutputTable {
        let columns = [
            OutputColumn("severity", LocalizedText(vi: "Mức độ", en: "Severity")),
            OutputColumn("code", LocalizedText(vi: "Mã", en: "Code")),
            OutputColumn("file", LocalizedText(vi: "Tệp", en: "File")),
            OutputColumn("line", LocalizedText(vi: "Dòng", en: "Line")),
            OutputColumn("column", LocalizedText(vi: "Cột", en: "Column")),
            OutputColumn("message", LocalizedText(vi: "Nội dung", en: "Message")),
        ]
        let rows = diagnostics.map { diagnostic -> [OutputCell] in
            let location = diagnostic.location
            let file = location.map { place in place.sheet.map { "\(place.file)[\($0)]" } ?? place.file }
            let tone: CellTone? = switch diagnostic.severity {
            case .error: .bad
            case .warning: .warning
            case .note: nil
            }
            return [
                .text(diagnostic.severity.rawValue, tone: tone), .text(diagnostic.code.rawValue), .text(file),
                .integer(location?.line, grouped: false), .integer(location?.column, grouped: false),
                .text(diagnostic.message(language)),
            ]
        }
        return OutputTable(columns: columns, rows: rows)
    }
}
