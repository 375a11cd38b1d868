/// CSV (RFC 4180 quoting) with the column keys as header (SPEC §8).
///
/// - Default: UTF-8 without BOM, `,` separator, `.` decimal mark, LF line ends.
/// - `excel: true`: UTF-8 BOM (so Excel detects the encoding, DOMAIN §6), `;` separator (the list
///   separator of Vietnamese-locale Excel), CRLF line ends; numbers stay machine-readable.
/// - A field is quoted when it contains the separator, `"`, CR or LF; `"` is doubled.
/// - Formula injection (OWASP "CSV injection"): a *text* cell that begins with `=`, `+`, `-`,
///   `@`, tab or CR gets a leading `'`. Number cells are written as numbers and never prefixed.
/// - Null cells are empty; numbers are full precision (`NumberStyle.machine`).
/// - `metadata` (`--metadata comment`): `# key: value` lines after the BOM and before the
///   header, for readers that skip comment lines (pandas `comment="#"`, R `comment.char = "#"`).
public struct CSVWriter: TableWriter {
    public var excel: Bool
    public var metadata: ExportMetadata?

    public init(excel: Bool = false, metadata: ExportMetadata? = nil) {
        self.excel = excel
        self.metadata = metadata
    }

    public var separator: Character { excel ? ";" : "," }
    var lineEnd: String { excel ? "\r\n" : "\n" }

    public func render(_ table: OutputTable) -> String {
        var output = excel ? "\u{FEFF}" : ""
        for line in metadata?.commentLines() ?? [] { output += line + lineEnd }
        output += table.columns.map { field($0.key) }.joined(separator: String(separator)) + lineEnd
        for index in table.rows.indices {
            let cells = table.cells(ofRow: index)
            output += cells.map(text(of:)).joined(separator: String(separator)) + lineEnd
        }
        return output
    }

    private func text(of cell: OutputCell) -> String {
        guard let raw = cell.machineText else { return "" }
        if case .text = cell.value { return field(Self.neutralized(raw)) }
        return field(raw)
    }

    /// `text` with a leading `'` when it starts with a character spreadsheets read as a formula.
    static func neutralized(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        switch first {
        case "=", "+", "-", "@", "\t", "\r": return "'" + text
        default: return text
        }
    }

    /// RFC 4180 quoting of one field.
    private func field(_ text: String) -> String {
        let needsQuotes = text.unicodeScalars.contains { $0 == "\"" || $0 == "\n" || $0 == "\r" || Character($0) == separator }
        guard needsQuotes else { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }
}
