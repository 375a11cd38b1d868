import BinhYenCore

/// An HTML `<table>` (for the `report` page): title as `<caption>`, localized headers, numbers
/// in the language's style and right-aligned (class `num`), cell tones as classes (`good`,
/// `bad`, `warning`, `muted`) and footnotes as a list after the table. Every text is escaped
/// with `MarkupText`, so cell content can never become markup.
public struct HTMLTableWriter: TableWriter {
    public var language: Language

    public init(language: Language) {
        self.language = language
    }

    public func render(_ table: OutputTable) -> String {
        var html = "<table>\n"
        if let title = table.title { html += "<caption>\(MarkupText.escaped(title(language)))</caption>\n" }
        let numeric = table.columns.indices.map { column in
            table.rows.indices.contains { table.cells(ofRow: $0)[column].isNumeric }
        }
        html += "<thead><tr>"
        for (index, column) in table.columns.enumerated() {
            html += "<th\(numeric[index] ? " class=\"num\"" : "") scope=\"col\">\(MarkupText.escaped(column.header(language)))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for index in table.rows.indices {
            html += "<tr>"
            for (column, cell) in table.cells(ofRow: index).enumerated() {
                var classes: [String] = []
                if numeric[column] { classes.append("num") }
                if let tone = cell.tone { classes.append(tone.rawValue) }
                let attribute = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                html += "<td\(attribute)>\(MarkupText.escaped(cell.displayText(language)))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if !table.footnotes.isEmpty {
            html += "<ul class=\"notes\">\n"
            for note in table.footnotes { html += "<li>\(MarkupText.escaped(note(language)))</li>\n" }
            html += "</ul>\n"
        }
        return html
    }
}
