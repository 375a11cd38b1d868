/// Where a value came from: file, optional sheet, 1-based line (row) and optional column.
///
/// Every accepted, repaired or rejected value carries one, so that a user can find it in the
/// original file. `line` counts physical records of the source as a spreadsheet user sees
/// them (the header is line 1 in a CSV without preamble).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var sheet: String?
    public var line: Int
    public var column: Int?
    public var columnName: String?

    public init(file: String, sheet: String? = nil, line: Int, column: Int? = nil, columnName: String? = nil) {
        self.file = file
        self.sheet = sheet
        self.line = line
        self.column = column
        self.columnName = columnName
    }

    /// `file:line:column (heading)`, or `file[sheet]:row:C (heading)` in a workbook (the
    /// column in A1 letters, as Excel shows it); the form used in every message.
    public var description: String {
        var text = file
        if let sheet { text += "[\(sheet)]" }
        text += ":\(line)"
        if let column { text += ":" + (sheet == nil ? String(column) : Self.columnLetters(column)) }
        if let columnName { text += " (\(columnName))" }
        return text
    }

    /// The A1 letters of 1-based column `column`: 1 → "A", 27 → "AA"; "?" below 1.
    public static func columnLetters(_ column: Int) -> String {
        guard column >= 1 else { return "?" }
        var n = column
        var letters: [Character] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }
}
