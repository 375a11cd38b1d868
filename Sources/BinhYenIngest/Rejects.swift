import BinhYenCore

/// An input row that gave nothing to the panel, with its cells and the reasons (`--rejects`).
public struct RejectedRow: Sendable, Hashable {
    /// The file as given.
    public var file: String
    /// The sheet of a workbook; nil for text files.
    public var sheet: String?
    /// Line (text file) or row (sheet) number.
    public var line: Int
    /// The cells as read (NFC).
    public var cells: [String]
    /// The errors that rejected it: those logged at its line, else those of its table (a
    /// missing column rejects every row).
    public var reasons: [Diagnostic]

    /// A rejected row made of its parts.
    public init(file: String, sheet: String?, line: Int, cells: [String], reasons: [Diagnostic]) {
        self.file = file
        self.sheet = sheet
        self.line = line
        self.cells = cells
        self.reasons = reasons
    }

    static func collect(accounts: [FileAccount], lines: [[Int]], texts: [RetainedText?], diagnostics: [Diagnostic]) -> [RejectedRow] {
        var errors: [TableKey: [Int: [Diagnostic]]] = [:]
        for diagnostic in diagnostics where diagnostic.severity == .error {
            guard let location = diagnostic.location else { continue }
            errors[TableKey(file: location.file, sheet: location.sheet), default: [:]][location.line, default: []].append(diagnostic)
        }
        var rows: [RejectedRow] = []
        for (index, account) in accounts.enumerated() {
            let wanted = Array(Set(lines[index])).sorted()
            guard !wanted.isEmpty else { continue }
            let cells = texts[index]?.cells(at: Set(wanted)) ?? [:]
            let tableErrors = errors[TableKey(file: account.file, sheet: account.sheet)] ?? [:]
            let general = tableErrors.filter { !wanted.contains($0.key) }.sorted { $0.key < $1.key }.flatMap(\.value)
            for line in wanted {
                rows.append(RejectedRow(file: account.file, sheet: account.sheet, line: line, cells: cells[line] ?? [],
                                        reasons: tableErrors[line] ?? general))
            }
        }
        return rows
    }

    /// The rows as CSV (UTF-8, `,`): file, sheet, line, reason codes, reasons in `language`,
    /// then the row's cells. Text starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with
    /// `'` so that a spreadsheet does not run it as a formula (SPEC §8).
    public static func csv(_ rows: [RejectedRow], language: Language) -> [UInt8] {
        let width = rows.map(\.cells.count).max() ?? 0
        var header = ["file", "sheet", "line", "codes", "reasons"]
        header += (0..<width).map { "cell_\($0 + 1)" }
        var out = line(header)
        for row in rows {
            let codes = row.reasons.map(\.code.rawValue)
            var unique: [String] = []
            for code in codes where !unique.contains(code) { unique.append(code) }
            var fields = [row.file, row.sheet ?? "", String(row.line), unique.joined(separator: ";"),
                          row.reasons.map { $0.message(language) }.joined(separator: " | ")]
            fields += row.cells
            out += line(fields)
        }
        return Array(out.utf8)
    }

    private static func line(_ fields: [String]) -> String {
        fields.map { field -> String in
            var text = field
            if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
            if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
            }
            return text
        }.joined(separator: ",") + "\n"
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}

/// The text of a table kept until the end of reading, to give the cells of rejected rows.
enum RetainedText {
    case delimited(DecodedText)
    case sheet(arena: [UInt8], SheetTable)

    func cells(at lines: Set<Int>) -> [Int: [String]] {
        var found: [Int: [String]] = [:]
        var fields: [FieldSpan] = []
        switch self {
        case .delimited(let decoded):
            decoded.bytes.withUnsafeBytes { all in
                let text = UnsafeRawBufferPointer(rebasing: all[decoded.start...])
                var cursor = DelimitedCursor(text, delimiter: DelimitedText.detectDelimiter(in: text))
                while found.count < lines.count && cursor.next(into: &fields) {
                    if lines.contains(cursor.recordNumber) { found[cursor.recordNumber] = fields.map { FastText.nfc(DelimitedText.string($0, in: text)) } }
                }
            }
        case .sheet(let arena, let table):
            arena.withUnsafeBytes { text in
                var cursor = SheetCursor(table)
                cursor.repeatAllMergedCells()
                while found.count < lines.count && cursor.next(into: &fields) {
                    if lines.contains(cursor.recordNumber) { found[cursor.recordNumber] = fields.map { FastText.nfc(DelimitedText.string($0, in: text)) } }
                }
            }
        }
        return found
    }
}
