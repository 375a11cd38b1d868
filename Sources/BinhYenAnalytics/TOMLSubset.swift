import BinhYenCore

/// A number literal kept as written, so that decimals can be converted exactly (no Double).
struct NumberLiteral: Hashable {
    var negative: Bool
    var integerDigits: String
    /// Digits after the point; nil for an integer literal.
    var fractionDigits: String?

    /// The value if it is an integer that fits in `Int`.
    var integerValue: Int? {
        guard fractionDigits == nil, let magnitude = Int(integerDigits) else { return nil }
        return negative ? -magnitude : magnitude
    }

    var text: String {
        (negative ? "-" : "") + integerDigits + (fractionDigits.map { "." + $0 } ?? "")
    }
}

/// A value of the TOML subset read by `TOMLSubsetReader`.
enum TOMLValue: Hashable {
    case string(String)
    case number(NumberLiteral)
    case boolean(Bool)
    case array([TOMLValue])

    /// Name of the type for error messages.
    var kindName: LocalizedText {
        switch self {
        case .string: return LocalizedText(vi: "chuỗi", en: "a string")
        case .number(let n): return n.fractionDigits == nil ? LocalizedText(vi: "số nguyên", en: "an integer")
                                                            : LocalizedText(vi: "số thập phân", en: "a decimal number")
        case .boolean: return LocalizedText(vi: "giá trị true/false", en: "a boolean")
        case .array: return LocalizedText(vi: "mảng", en: "an array")
        }
    }
}

/// One `key = value` line with its position.
struct TOMLEntry {
    var value: TOMLValue
    var line: Int
    var column: Int
}

/// A table: the top level, one `[[rule]]` or a `[name]` table, with the line of its header
/// (1 for the top level).
struct TOMLTable {
    var name: String
    var line: Int
    /// True for a `[[name]]` array-of-tables entry, false for `[name]` and the top level.
    var isArrayEntry = false
    var entries: [String: TOMLEntry] = [:]
    /// Keys in file order (for deterministic messages).
    var order: [String] = []
}

/// The parsed document: top-level keys, the `[[name]]` tables in order and the `[name]` tables
/// in order (each name at most once).
struct TOMLDocument {
    var top: TOMLTable
    var arrayTables: [TOMLTable]
    var tables: [TOMLTable] = []
}

/// Reader of the strict TOML subset used by rule packs.
///
/// Supported: `#` comments; bare keys (`A–Z a–z 0–9 _ -`); `key = value` with basic strings
/// (`"…"`, escapes `\" \\ \n \t \r \b \f \uXXXX \UXXXXXXXX`), literal strings (`'…'`), integers
/// and plain decimals (`5`, `-3`, `2.25`), `true`/`false`, arrays of those (may span lines,
/// trailing comma allowed); `[[name]]` array-of-tables headers and `[name]` table headers (a name
/// at most once). Everything else (dotted or quoted keys, inline tables, multi-line strings, dates, exponents, `inf`/`nan`,
/// underscores in numbers, nested arrays) is rejected with the line and column. The reader never
/// traps: every index is checked and every failure is a `RulePackError`.
struct TOMLSubsetReader {
    private let scalars: [Unicode.Scalar]
    private let origin: String
    private var position = 0
    private var line = 1
    private var column = 1

    init(text: String, origin: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.scalars = scalars
        self.origin = origin
    }

    // MARK: Errors

    private func error(_ vi: String, _ en: String, line: Int? = nil, column: Int? = nil) -> RulePackError {
        RulePackError(origin: origin, line: line ?? self.line, column: column ?? self.column,
                      message: LocalizedText(vi: vi, en: en))
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "'\(Character(scalar))'"
    }

    // MARK: Cursor

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        let index = position + offset
        return index >= 0 && index < scalars.count ? scalars[index] : nil
    }

    private mutating func advance() {
        guard let scalar = current else { return }
        position += 1
        if scalar == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }

    private mutating func skipBlanks() {
        while let c = current, c == " " || c == "\t" { advance() }
    }

    /// Skips a comment up to (not including) the end of the line; rejects control characters in it.
    private mutating func skipComment() throws(RulePackError) {
        guard current == "#" else { return }
        while let c = current, c != "\n", !(c == "\r" && peek(1) == "\n") {
            if Self.isForbiddenControl(c) {
                throw error("ký tự điều khiển \(Self.describe(c)) trong chú thích",
                            "control character \(Self.describe(c)) in a comment")
            }
            advance()
        }
    }

    /// Consumes an end of line (blanks, optional comment, then `\n`, `\r\n` or end of text).
    private mutating func expectLineEnd() throws(RulePackError) {
        skipBlanks()
        try skipComment()
        switch current {
        case nil: return
        case "\n": advance()
        case "\r" where peek(1) == "\n": advance(); advance()
        case "\r":
            throw error("ký tự CR (U+000D) đứng một mình; dùng xuống dòng LF hoặc CRLF",
                        "stray carriage return (U+000D); use LF or CRLF line ends")
        case let c?:
            throw error("thừa \(Self.describe(c)) sau giá trị; mỗi dòng chỉ được có một cặp khoá = giá trị",
                        "unexpected \(Self.describe(c)) after the value; one key = value per line")
        }
    }

    private static func isForbiddenControl(_ c: Unicode.Scalar) -> Bool {
        (c.value < 0x20 && c != "\t") || c.value == 0x7F
    }

    private static func isBareKeyScalar(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": return true
        default: return false
        }
    }

    private static func isDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return ("0"..."9").contains(c)
    }

    // MARK: Document

    /// Parses the whole text. Duplicate keys in one table are errors.
    mutating func parse() throws(RulePackError) -> TOMLDocument {
        var top = TOMLTable(name: "", line: 1)
        var tables: [TOMLTable] = []
        while let c = current {
            switch c {
            case " ", "\t":
                skipBlanks()
            case "\n":
                advance()
            case "\r":
                guard peek(1) == "\n" else {
                    throw error("ký tự CR (U+000D) đứng một mình; dùng xuống dòng LF hoặc CRLF",
                                "stray carriage return (U+000D); use LF or CRLF line ends")
                }
                advance(); advance()
            case "#":
                try skipComment()
            case "[":
                let table = try parseTableHeader()
                if !table.isArrayEntry, let earlier = tables.first(where: { !$0.isArrayEntry && $0.name == table.name }) {
                    throw error("bảng [\(table.name)] bị lặp (đã có ở dòng \(earlier.line))",
                                "duplicate table [\(table.name)] (already on line \(earlier.line))", line: table.line, column: 1)
                }
                tables.append(table)
            default:
                let (key, entry) = try parseKeyValue()
                if tables.isEmpty {
                    try insert(key, entry, into: &top)
                } else {
                    try insert(key, entry, into: &tables[tables.count - 1])
                }
            }
        }
        return TOMLDocument(top: top, arrayTables: tables.filter(\.isArrayEntry), tables: tables.filter { !$0.isArrayEntry })
    }

    private func insert(_ key: String, _ entry: TOMLEntry, into table: inout TOMLTable) throws(RulePackError) {
        if let previous = table.entries[key] {
            throw error("khoá '\(key)' bị lặp (đã có ở dòng \(previous.line))",
                        "duplicate key '\(key)' (already set on line \(previous.line))",
                        line: entry.line, column: entry.column)
        }
        table.entries[key] = entry
        table.order.append(key)
    }

    private mutating func parseTableHeader() throws(RulePackError) -> TOMLTable {
        let headerLine = line
        advance() // [
        let isArrayEntry = current == "["
        if isArrayEntry { advance() }
        skipBlanks()
        var name = ""
        while let c = current, Self.isBareKeyScalar(c) {
            name.unicodeScalars.append(c)
            advance()
        }
        if name.isEmpty {
            throw error(isArrayEntry ? "thiếu tên bảng trong [[…]]" : "thiếu tên bảng trong […]",
                        isArrayEntry ? "missing table name in [[…]]" : "missing table name in […]")
        }
        skipBlanks()
        let closed = isArrayEntry ? (current == "]" && peek(1) == "]") : current == "]"
        guard closed else {
            if current == "." {
                throw error("tên bảng có dấu chấm không được hỗ trợ", "dotted table names are not supported")
            }
            throw error(isArrayEntry ? "thiếu ']]' để đóng tiêu đề bảng" : "thiếu ']' để đóng tiêu đề bảng",
                        isArrayEntry ? "missing ']]' to close the table header" : "missing ']' to close the table header")
        }
        advance()
        if isArrayEntry { advance() }
        try expectLineEnd()
        return TOMLTable(name: name, line: headerLine, isArrayEntry: isArrayEntry)
    }

    private mutating func parseKeyValue() throws(RulePackError) -> (String, TOMLEntry) {
        let keyLine = line
        let keyColumn = column
        if current == "\"" || current == "'" {
            throw error("khoá trong dấu nháy không được hỗ trợ; viết khoá không dấu nháy (vd. title_vi)",
                        "quoted keys are not supported; write a bare key (e.g. title_vi)")
        }
        var key = ""
        while let c = current, Self.isBareKeyScalar(c) {
            key.unicodeScalars.append(c)
            advance()
        }
        guard !key.isEmpty else {
            let found = current.map(Self.describe) ?? "?"
            throw error("cần một khoá (chữ, số, '_' hoặc '-') nhưng gặp \(found)",
                        "expected a key (letters, digits, '_' or '-') but found \(found)")
        }
        skipBlanks()
        if current == "." {
            throw error("khoá có dấu chấm ('\(key).…') không được hỗ trợ", "dotted keys ('\(key).…') are not supported")
        }
        guard current == "=" else {
            throw error("thiếu '=' sau khoá '\(key)'", "missing '=' after key '\(key)'")
        }
        advance()
        skipBlanks()
        let value = try parseValue(allowArray: true)
        try expectLineEnd()
        return (key, TOMLEntry(value: value, line: keyLine, column: keyColumn))
    }

    // MARK: Values

    private mutating func parseValue(allowArray: Bool) throws(RulePackError) -> TOMLValue {
        guard let c = current, c != "\n", c != "#", !(c == "\r" && peek(1) == "\n") else {
            throw error("thiếu giá trị", "missing value")
        }
        switch c {
        case "\"":
            if peek(1) == "\"", peek(2) == "\"" {
                throw error("chuỗi nhiều dòng (\"\"\") không được hỗ trợ", "multi-line strings (\"\"\") are not supported")
            }
            return .string(try parseBasicString())
        case "'":
            if peek(1) == "'", peek(2) == "'" {
                throw error("chuỗi nhiều dòng (''') không được hỗ trợ", "multi-line strings (''') are not supported")
            }
            return .string(try parseLiteralString())
        case "[":
            guard allowArray else {
                throw error("mảng lồng nhau không được hỗ trợ", "nested arrays are not supported")
            }
            return try parseArray()
        case "{":
            throw error("bảng nội tuyến ({…}) không được hỗ trợ", "inline tables ({…}) are not supported")
        case "t", "f":
            return try parseBoolean()
        case "+", "-", "0"..."9":
            return .number(try parseNumber())
        default:
            var word = ""
            while let w = current, Self.isBareKeyScalar(w) || w == "." {
                word.unicodeScalars.append(w)
                advance()
            }
            let shown = word.isEmpty ? Self.describe(c) : "'\(word)'"
            throw error("giá trị không hợp lệ \(shown); chuỗi phải đặt trong dấu nháy kép",
                        "invalid value \(shown); strings must be in double quotes")
        }
    }

    private mutating func parseBoolean() throws(RulePackError) -> TOMLValue {
        let startColumn = column
        var word = ""
        while let w = current, Self.isBareKeyScalar(w) {
            word.unicodeScalars.append(w)
            advance()
        }
        switch word {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        default:
            throw error("giá trị không hợp lệ '\(word)'; dùng true hoặc false, chuỗi đặt trong dấu nháy kép",
                        "invalid value '\(word)'; use true or false, and double quotes for strings", column: startColumn)
        }
    }

    private mutating func parseNumber() throws(RulePackError) -> NumberLiteral {
        let startColumn = column
        var negative = false
        if current == "+" || current == "-" {
            negative = current == "-"
            advance()
        }
        var integerDigits = ""
        while let d = current, Self.isDigit(d) {
            integerDigits.unicodeScalars.append(d)
            advance()
        }
        guard !integerDigits.isEmpty else {
            throw error("cần chữ số sau dấu", "expected digits after the sign", column: startColumn)
        }
        if integerDigits.count > 1 && integerDigits.hasPrefix("0") {
            throw error("số không được bắt đầu bằng chữ số 0 ('\(integerDigits)')",
                        "numbers may not have leading zeros ('\(integerDigits)')", column: startColumn)
        }
        var fractionDigits: String?
        if current == "." {
            advance()
            var digits = ""
            while let d = current, Self.isDigit(d) {
                digits.unicodeScalars.append(d)
                advance()
            }
            guard !digits.isEmpty else {
                throw error("cần chữ số sau dấu chấm thập phân", "expected digits after the decimal point")
            }
            fractionDigits = digits
        }
        if let c = current {
            switch c {
            case "_":
                throw error("dấu '_' trong số không được hỗ trợ", "underscores in numbers are not supported")
            case "e", "E":
                throw error("số mũ (e) không được hỗ trợ", "exponents (e) are not supported")
            case ",":
                // Allowed only inside arrays; the caller decides.
                break
            case " ", "\t", "\n", "#", "\r", "]":
                break
            default:
                throw error("số không hợp lệ: ký tự \(Self.describe(c)) không mong đợi",
                            "invalid number: unexpected \(Self.describe(c))")
            }
        }
        if integerDigits.count > 18 {
            throw error("số quá lớn ('\(integerDigits)')", "number too large ('\(integerDigits)')", column: startColumn)
        }
        return NumberLiteral(negative: negative, integerDigits: integerDigits, fractionDigits: fractionDigits)
    }

    private mutating func parseBasicString() throws(RulePackError) -> String {
        let startLine = line
        let startColumn = column
        advance() // opening quote
        var result = String.UnicodeScalarView()
        while true {
            guard let c = current, c != "\n" else {
                throw error("chuỗi chưa được đóng (thiếu dấu \" cuối)", "unterminated string (missing closing \")",
                            line: startLine, column: startColumn)
            }
            if c == "\"" {
                advance()
                return TextKey.nfc(String(result))
            }
            if c == "\\" {
                advance()
                result.append(try parseEscape())
                continue
            }
            if Self.isForbiddenControl(c) {
                throw error("ký tự điều khiển \(Self.describe(c)) trong chuỗi; dùng chuỗi thoát (vd. \\t)",
                            "control character \(Self.describe(c)) in a string; use an escape (e.g. \\t)")
            }
            result.append(c)
            advance()
        }
    }

    private mutating func parseEscape() throws(RulePackError) -> Unicode.Scalar {
        guard let c = current else {
            throw error("chuỗi thoát bị cắt ở cuối tệp", "escape sequence cut off at end of file")
        }
        advance()
        switch c {
        case "\"": return "\""
        case "\\": return "\\"
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "u": return try parseHexEscape(digits: 4)
        case "U": return try parseHexEscape(digits: 8)
        default:
            throw error("chuỗi thoát không hợp lệ '\\\(Character(c))'", "invalid escape sequence '\\\(Character(c))'")
        }
    }

    private mutating func parseHexEscape(digits: Int) throws(RulePackError) -> Unicode.Scalar {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let c = current, c.isASCII, let digit = UInt32(String(c), radix: 16) else {
                throw error("cần \(digits) chữ số hệ 16 sau \\\(digits == 4 ? "u" : "U")",
                            "expected \(digits) hexadecimal digits after \\\(digits == 4 ? "u" : "U")")
            }
            value = value &* 16 &+ digit
            advance()
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("mã Unicode không hợp lệ trong chuỗi thoát", "invalid Unicode scalar in escape sequence")
        }
        return scalar
    }

    private mutating func parseLiteralString() throws(RulePackError) -> String {
        let startLine = line
        let startColumn = column
        advance()
        var result = String.UnicodeScalarView()
        while true {
            guard let c = current, c != "\n" else {
                throw error("chuỗi chưa được đóng (thiếu dấu ' cuối)", "unterminated string (missing closing ')",
                            line: startLine, column: startColumn)
            }
            if c == "'" {
                advance()
                return TextKey.nfc(String(result))
            }
            if Self.isForbiddenControl(c) {
                throw error("ký tự điều khiển \(Self.describe(c)) trong chuỗi", "control character \(Self.describe(c)) in a string")
            }
            result.append(c)
            advance()
        }
    }

    /// Skips blanks, newlines and comments inside an array.
    private mutating func skipArraySpace() throws(RulePackError) {
        while let c = current {
            switch c {
            case " ", "\t", "\n": advance()
            case "\r" where peek(1) == "\n": advance(); advance()
            case "#": try skipComment()
            default: return
            }
        }
    }

    private mutating func parseArray() throws(RulePackError) -> TOMLValue {
        let startLine = line
        let startColumn = column
        advance() // [
        var items: [TOMLValue] = []
        while true {
            try skipArraySpace()
            guard let c = current else {
                throw error("mảng chưa được đóng (thiếu ']')", "unterminated array (missing ']')",
                            line: startLine, column: startColumn)
            }
            if c == "]" {
                advance()
                return .array(items)
            }
            items.append(try parseValue(allowArray: false))
            try skipArraySpace()
            switch current {
            case ","?:
                advance()
            case "]"?:
                continue
            case nil:
                throw error("mảng chưa được đóng (thiếu ']')", "unterminated array (missing ']')",
                            line: startLine, column: startColumn)
            case let other?:
                throw error("cần ',' hoặc ']' trong mảng nhưng gặp \(Self.describe(other))",
                            "expected ',' or ']' in the array but found \(Self.describe(other))")
            }
        }
    }
}
