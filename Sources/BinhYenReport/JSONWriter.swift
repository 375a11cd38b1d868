/// JSON: an array of flat records, one per row, keys = column keys in column order (SPEC §8).
///
/// Integers are JSON integers; reals use Swift's shortest round-trip description (`0.95`,
/// `-4.761904761904762`, `1e-05`); NaN and ±∞ become `null` (JSON has no such numbers);
/// null cells are `null`; booleans `true`/`false`. Strings are escaped per RFC 8259: `"` and
/// `\` escaped, control characters as `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`, and U+2028/U+2029
/// as `\u2028`/`\u2029` (safe in JavaScript); `</` as `<\/`, so that a name holding
/// `</script>` cannot end a `<script>` element that embeds the JSON in a web page; other
/// characters are written as UTF-8.
/// One record per line, so diffs stay readable.
public struct JSONWriter: TableWriter {
    public init() {}

    public func render(_ table: OutputTable) -> String {
        guard !table.rows.isEmpty else { return "[]\n" }
        let keys = table.columns.map { Self.quoted($0.key) }
        var lines: [String] = []
        for index in table.rows.indices {
            let cells = table.cells(ofRow: index)
            let fields = zip(keys, cells).map { key, cell in "\(key): \(Self.value(of: cell))" }
            lines.append("  {" + fields.joined(separator: ", ") + "}")
        }
        return "[\n" + lines.joined(separator: ",\n") + "\n]\n"
    }

    static func value(of cell: OutputCell) -> String {
        switch cell.value {
        case .text(let text): return quoted(text)
        case .integer(let number): return String(number)
        case .decimal(let number, _), .percent(let number, _), .pValue(let number):
            return NumberStyle.machine(number) ?? "null"
        case .boolean(let flag): return flag ? "true" : "false"
        case .null: return "null"
        }
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        var afterLessThan = false
        for scalar in text.unicodeScalars {
            defer { afterLessThan = scalar == "<" }
            switch scalar {
            case "/" where afterLessThan: out += "\\/"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
