import BinhYenCore

/// A GitHub-flavoured Markdown table (SPEC §8), padded so the source is aligned too.
///
/// The title becomes a bold line above the table, footnotes a list below it. Numbers use the
/// language's style; number columns are right-aligned (`---:`). Cell text is escaped: `\`, `|`,
/// `` ` ``, `*`, `<` and `>` get a backslash, line breaks become `<br>`, other control characters
/// spaces.
public struct MarkdownWriter: TableWriter {
    public var language: Language

    public init(language: Language) {
        self.language = language
    }

    public func render(_ table: OutputTable) -> String {
        let layout = TableLayout(table, language: language, sanitize: Self.escaped)
        var lines: [String] = []
        if let title = table.title {
            lines.append("**" + Self.escaped(title(language)) + "**")
            lines.append("")
        }
        func row(_ texts: [String]) -> String {
            let padded = texts.indices.map { DisplayWidth.pad(texts[$0], to: layout.widths[$0], rightAligned: layout.rightAligned[$0]) }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        lines.append(row(layout.headers))
        let rule = layout.widths.indices.map { column -> String in
            let dashes = String(repeating: "-", count: max(3, layout.widths[column]) - 1)
            return layout.rightAligned[column] ? dashes + ":" : ":" + dashes
        }
        lines.append("|" + rule.map { " \($0) " }.joined(separator: "|") + "|")
        for texts in layout.body { lines.append(row(texts)) }
        if !table.footnotes.isEmpty {
            lines.append("")
            for note in table.footnotes { lines.append("- " + Self.escaped(note(language))) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Markdown-escaped single-line text.
    static func escaped(_ text: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\", "|", "`", "*", "<", ">":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case "\r":
                out += "<br>"
            case "\n":
                if !previousWasCR { out += "<br>" }
            default:
                let value = scalar.value
                if value < 0x20 || (0x7F..<0xA0).contains(value) {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
