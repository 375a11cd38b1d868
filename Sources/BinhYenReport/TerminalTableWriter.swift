import BinhYenCore

/// An aligned plain-text table for terminals (SPEC §8).
///
/// Column widths use `DisplayWidth` (combining marks 0, East Asian wide 2), so Vietnamese in NFC
/// or NFD and CJK names line up. Number columns (every non-null cell a number) are right-aligned.
/// Numbers use the language's style (`−3,56%`, `1.234` in Vietnamese). Control characters in
/// cells (including ESC from user data) are replaced by spaces so they cannot move the cursor.
/// ANSI colour (bold headers, cell tones) only when `color` is true — the CLI sets it only
/// when standard output is a terminal.
public struct TerminalTableWriter: TableWriter {
    public var language: Language
    public var color: Bool

    public init(language: Language, color: Bool = false) {
        self.language = language
        self.color = color
    }

    public func render(_ table: OutputTable) -> String {
        let layout = TableLayout(table, language: language, sanitize: TableLayout.stripControls)
        var lines: [String] = []
        if let title = table.title { lines.append(TableLayout.stripControls(title(language))) }
        let header = layout.headers.indices.map { column -> String in
            let padded = DisplayWidth.pad(layout.headers[column], to: layout.widths[column], rightAligned: layout.rightAligned[column])
            return color ? "\u{1B}[1m" + padded + "\u{1B}[0m" : padded
        }
        lines.append(header.joined(separator: "  "))
        lines.append(layout.widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        for (rowIndex, row) in layout.body.enumerated() {
            let cells = table.cells(ofRow: rowIndex)
            let rendered = row.indices.map { column -> String in
                let padded = DisplayWidth.pad(row[column], to: layout.widths[column], rightAligned: layout.rightAligned[column])
                guard color, let tone = cells[column].tone else { return padded }
                return Self.ansi(tone) + padded + "\u{1B}[0m"
            }
            lines.append(rendered.joined(separator: "  "))
        }
        for note in table.footnotes { lines.append(TableLayout.stripControls(note(language))) }
        return lines.map(Self.trimmingTrailingSpaces).joined(separator: "\n") + "\n"
    }

    private static func ansi(_ tone: CellTone) -> String {
        switch tone {
        case .good: return "\u{1B}[32m"
        case .bad: return "\u{1B}[31m"
        case .warning: return "\u{1B}[33m"
        case .muted: return "\u{1B}[2m"
        }
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        var scalars = Array(line.unicodeScalars)
        while scalars.last == " " { scalars.removeLast() }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }
}

/// Display texts, widths and alignment of a table, shared by the terminal and Markdown writers.
struct TableLayout {
    var headers: [String]
    var body: [[String]]
    var widths: [Int]
    var rightAligned: [Bool]

    init(_ table: OutputTable, language: Language, sanitize: (String) -> String) {
        headers = table.columns.map { sanitize($0.header(language)) }
        body = table.rows.indices.map { index in table.cells(ofRow: index).map { sanitize($0.displayText(language)) } }
        widths = headers.map(DisplayWidth.of)
        rightAligned = Array(repeating: false, count: table.columns.count)
        for column in table.columns.indices {
            var anyNumber = false
            var allNumbers = true
            for index in table.rows.indices {
                let cell = table.cells(ofRow: index)[column]
                if cell.isNumeric { anyNumber = true } else if case .null = cell.value {} else { allNumbers = false }
            }
            rightAligned[column] = anyNumber && allNumbers
            for row in body { widths[column] = max(widths[column], DisplayWidth.of(row[column])) }
        }
    }

    /// Replaces C0/C1 control characters (tab, line breaks, ESC, …) by spaces.
    static func stripControls(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            out.append(value < 0x20 || (0x7F..<0xA0).contains(value) ? " " : scalar)
        }
        return String(out)
    }
}
