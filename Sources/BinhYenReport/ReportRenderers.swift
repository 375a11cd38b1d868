import BinhYenAnalytics
import BinhYenCore

/// Writes a `ReportDocument` as one self-contained HTML5 page (issue 7; SPEC §8).
///
/// Self-contained: CSS inline, charts as inline SVG, the system font stack, no script, no
/// image, no link. A Content-Security-Policy of `default-src 'none'` (inline styles allowed)
/// makes a browser refuse any request the page might still make. Every text is escaped
/// (`MarkupText`). Print: A4 portrait with 15 mm margins, table headers repeated on each page,
/// charts and headings kept with what follows, colours printed (`print-color-adjust: exact`).
public struct HTMLReportRenderer: Sendable {
    public var language: Language

    public init(language: Language) {
        self.language = language
    }

    static let css = """
    @page { size: A4; margin: 15mm; }
    :root { color-scheme: light; }
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif;
           font-size: 10.5pt; line-height: 1.4; color: #111; background: #fff; margin: 0 auto; max-width: 190mm; padding: 8mm; }
    h1 { font-size: 17pt; margin: 0 0 2mm; }
    h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1.5pt solid #1f4e79; padding-bottom: 1mm; break-after: avoid; }
    h3 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; }
    p.subtitle { color: #444; margin: 0 0 4mm; }
    table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; font-size: 9pt; break-inside: auto; }
    caption { text-align: left; font-weight: 600; padding: 1mm 0; }
    thead { display: table-header-group; }
    tr { break-inside: avoid; }
    th, td { border: 0.5pt solid #b8bec4; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
    th { background: #eef2f6; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; width: 1%; }
    td.num { white-space: nowrap; }
    td:not(.num):nth-child(8):last-child { width: 36%; }
    td.good, td.bad, td.warning, td.muted { white-space: nowrap; }
    td.good { color: #1a7f4b; font-weight: 600; }
    td.bad { color: #c0392b; font-weight: 600; }
    td.warning { color: #8a5a00; }
    td.muted { color: #666; font-style: italic; }
    ul.notes { font-size: 8.5pt; color: #333; margin: 0 0 3mm; padding-left: 5mm; }
    .verdict { border-left: 3mm solid; padding: 2mm 3mm; margin: 2mm 0 3mm; font-size: 11pt; break-inside: avoid; }
    .verdict.met { border-color: #1a7f4b; background: #e9f5ee; }
    .verdict.not_met { border-color: #c0392b; background: #fbeceb; }
    .verdict.insufficient_data, .verdict.not_applicable { border-color: #8c8c8c; background: #f1f2f3; }
    figure { margin: 3mm 0; break-inside: avoid; }
    figure svg { width: 100%; height: auto; display: block; }
    footer { margin-top: 8mm; font-size: 8.5pt; color: #555; border-top: 0.5pt solid #b8bec4; padding-top: 2mm; }
    @media print { body { padding: 0; max-width: none; } * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
    """

    public func render(_ document: ReportDocument) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="generator" content="BinhYen">
        <title>\(MarkupText.escaped(document.title(language)))</title>
        <style>
        \(Self.css)
        </style>
        </head>
        <body>
        <header>
        <h1>\(MarkupText.escaped(document.title(language)))</h1>
        <p class="subtitle">\(MarkupText.escaped(document.subtitle(language)))</p>
        </header>
        <main>

        """
        let tables = HTMLTableWriter(language: language)
        let charts = SVGChartRenderer(language: language, xmlDeclaration: false)
        for block in document.blocks {
            switch block {
            case .heading(let text, let level):
                let tag = "h\(min(max(level, 2), 4))"
                html += "<\(tag)>\(MarkupText.escaped(text(language)))</\(tag)>\n"
            case .paragraph(let text):
                html += "<p>\(MarkupText.escaped(text(language)))</p>\n"
            case .verdict(let verdict, let text):
                html += "<div class=\"verdict \(verdict.rawValue)\"><strong>\(MarkupText.escaped(verdict.label(language)))</strong> — "
                html += "\(MarkupText.escaped(text(language)))</div>\n"
            case .table(let table):
                html += tables.render(table)
            case .charts(let list):
                for chart in list {
                    html += "<figure>\n" + charts.render(chart) + "</figure>\n"
                }
            case .bullets(let items):
                html += "<ul>\n" + items.map { "<li>\(MarkupText.escaped($0(language)))</li>\n" }.joined() + "</ul>\n"
            }
        }
        html += "</main>\n<footer>\(MarkupText.escaped(document.footer(language)))</footer>\n</body>\n</html>\n"
        return html
    }
}

/// Writes a `ReportDocument` as GitHub-flavoured Markdown, the twin of the HTML page: the same
/// sections, tables through `MarkdownWriter`, and each chart as its title, subtitle and data
/// table (`ChartDataTable`) so that the numbers behind the picture are all there in text.
public struct MarkdownReportRenderer: Sendable {
    public var language: Language

    public init(language: Language) {
        self.language = language
    }

    public func render(_ document: ReportDocument) -> String {
        var parts = ["# " + MarkdownWriter.escaped(document.title(language)), MarkdownWriter.escaped(document.subtitle(language))]
        let tables = MarkdownWriter(language: language)
        for block in document.blocks {
            switch block {
            case .heading(let text, let level):
                parts.append(String(repeating: "#", count: min(max(level, 2), 4)) + " " + MarkdownWriter.escaped(text(language)))
            case .paragraph(let text):
                parts.append(MarkdownWriter.escaped(text(language)))
            case .verdict(let verdict, let text):
                parts.append("> **\(MarkdownWriter.escaped(verdict.label(language)))** — \(MarkdownWriter.escaped(text(language)))")
            case .table(let table):
                parts.append(tables.render(table).trimmingTrailingNewlines())
            case .charts(let list):
                for chart in list {
                    parts.append(tables.render(ChartDataTable.table(chart, language: language)).trimmingTrailingNewlines())
                }
            case .bullets(let items):
                parts.append(items.map { "- " + MarkdownWriter.escaped($0(language)) }.joined(separator: "\n"))
            }
        }
        parts.append("---")
        parts.append(MarkdownWriter.escaped(document.footer(language)))
        return parts.joined(separator: "\n\n") + "\n"
    }
}

/// The numbers behind a chart as a table: one row per panel and series, one column per x
/// category; the chart's title and subtitle as the table title, reference lines and notes as
/// footnotes. Used by the Markdown report and usable for any text output of a chart.
public enum ChartDataTable {
    /// The data table of `chart`; a chart on a continuous x axis (the funnel plot) gives one row
    /// per point: its label, x, y and what its colour means.
    public static func table(_ chart: Chart, language: Language) -> OutputTable {
        if chart.isContinuous { return pointTable(chart, language: language) }
        let several = chart.panels.count > 1
        var columns: [OutputColumn] = []
        if several { columns.append(OutputColumn("unit", LocalizedText(vi: "Đơn vị", en: "Unit"))) }
        columns.append(OutputColumn("series", LocalizedText(vi: "Dãy số", en: "Series")))
        columns += chart.xAxis.categories.map { OutputColumn("x_\($0.value)", $0.label) }
        var rows: [[OutputCell]] = []
        var footnotes: [LocalizedText] = []
        for panel in chart.panels {
            for series in panel.series {
                var row: [OutputCell] = several ? [.text(panel.title)] : []
                row.append(.text(series.label(language)))
                for category in chart.xAxis.categories {
                    let value = series.points.first { $0.x == category.value }?.y
                    row.append(.decimal(value, digits: value.map { $0 == $0.rounded() ? 0 : 1 } ?? 0))
                }
                rows.append(row)
            }
            footnotes += referenceNotes(panel, several: several)
        }
        return OutputTable(title: tableTitle(chart), columns: columns, rows: rows, footnotes: footnotes + chart.notes)
    }
}

extension ChartDataTable {
    /// The reference lines of `panel` as footnotes ("Mức tối đa …: 39"), prefixed by the panel
    /// title when the chart has several panels.
    static func referenceNotes(_ panel: ChartPanel, several: Bool) -> [LocalizedText] {
        panel.references.map { line in
            let prefix = several ? "\(panel.title ?? ""): " : ""
            return LocalizedText(vi: "\(prefix)\(line.label.vi): \(ChartScale.label(line.y, language: .vi))",
                                 en: "\(prefix)\(line.label.en): \(ChartScale.label(line.y, language: .en))")
        }
    }

    /// The chart's title followed by its subtitle, as the table's title.
    static func tableTitle(_ chart: Chart) -> LocalizedText {
        chart.subtitle.map { LocalizedText(vi: "\(chart.title.vi). \($0.vi)", en: "\(chart.title.en). \($0.en)") } ?? chart.title
    }

    static func pointTable(_ chart: Chart, language: Language) -> OutputTable {
        let several = chart.panels.count > 1
        var columns: [OutputColumn] = []
        if several { columns.append(OutputColumn("unit", LocalizedText(vi: "Đơn vị", en: "Unit"))) }
        columns += [OutputColumn("label", LocalizedText(vi: "Điểm", en: "Point")), OutputColumn("x", chart.xAxis.title),
                    OutputColumn("y", chart.yAxis.title), OutputColumn("flag", LocalizedText(vi: "Nhóm", en: "Group"))]
        var rows: [[OutputCell]] = []
        var footnotes: [LocalizedText] = []
        for panel in chart.panels {
            for point in panel.scatter {
                var row: [OutputCell] = several ? [.text(panel.title)] : []
                row += [.text(point.label), .decimal(point.x, digits: point.x == point.x.rounded() ? 0 : 1), .decimal(point.y, digits: 2),
                        .text(ChartPalette.legendLabel(point.tone)?(language))]
                rows.append(row)
            }
            footnotes += referenceNotes(panel, several: several)
        }
        return OutputTable(title: tableTitle(chart), columns: columns, rows: rows, footnotes: footnotes + chart.notes)
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
