/// A JSON document built in code, written with keys in the order given (so output is
/// byte-for-byte reproducible) and strings escaped as in `JSONWriter` (RFC 8259).
///
/// Pretty-printed with two-space indentation; an object or array holding only scalars is kept
/// on one line, so inline data stays one record per line.
public indirect enum JSONValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    /// A finite number in shortest round-trip form; NaN and ±∞ are written as `null`.
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([JSONMember])

    /// A string, or `null` for nil.
    public static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// The document as text, ending with a line feed.
    public func rendered() -> String { render(indent: 0) + "\n" }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        case .string, .integer, .number, .bool, .null: return true
        }
    }

    private func render(indent: Int) -> String {
        switch self {
        case .string(let text): return JSONWriter.quoted(text)
        case .integer(let value): return String(value)
        case .number(let value): return NumberStyle.machine(value) ?? "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            if items.allSatisfy(\.isScalar) { return "[" + items.map { $0.render(indent: 0) }.joined(separator: ", ") + "]" }
            let pad = String(repeating: " ", count: indent + 2)
            let body = items.map { pad + $0.render(indent: indent + 2) }.joined(separator: ",\n")
            return "[\n" + body + "\n" + String(repeating: " ", count: indent) + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            if members.allSatisfy(\.value.isScalar) {
                return "{" + members.map { JSONWriter.quoted($0.key) + ": " + $0.value.render(indent: 0) }.joined(separator: ", ") + "}"
            }
            let pad = String(repeating: " ", count: indent + 2)
            let body = members.map { pad + JSONWriter.quoted($0.key) + ": " + $0.value.render(indent: indent + 2) }
            return "{\n" + body.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "}"
        }
    }
}

/// One key and value of a JSON object.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
