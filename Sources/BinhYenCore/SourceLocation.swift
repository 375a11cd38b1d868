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

    /// `file:line` or `file[sheet]:line:column (heading)`, the form used in every message.
    public var description: String {
        var text = file
        if let sheet { text += "[\(sheet)]" }
        text += ":\(line)"
        if let column { text += ":\(column)" }
        if let columnName { text += " (\(columnName))" }
        return text
    }
}
