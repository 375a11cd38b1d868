import BinhYenCore

/// The largest count accepted (10^12): a guard against overflow and typing slips. Money
/// (`damage_vnd`) up to 1,000 billion đồng fits.
let maximumCount = 1_000_000_000_000

/// What a count cell (or a population / households cell) holds.
enum CountReading: Equatable {
    /// Empty cell: the value is missing, never zero.
    case empty
    /// An explicit "not available" marker (NA, N/A, #N/A, null, NaN): missing, with a note.
    case notAvailable(String)
    /// A whole number ≥ 0; `repair` says what was changed to read it, if anything.
    case value(Int, repair: LocalizedText?)
    /// Not a valid count: code and reason.
    case invalid(DiagnosticCode, LocalizedText)
}

/// Reads counts written by people: the slow path for cells that are not plain digits.
///
/// Accepted with a repair note: leading zeros ("02"); thousands separators when only one reading
/// is a whole number ("3.954", "1.234.567" Vietnamese, "1,234" English; "3.000" is ambiguous and
/// rejected); a zero decimal part ("3.0", "3,00"); a trailing unit word ("02 vụ", "3 người",
/// "5 cases"); full-width or other Unicode decimal digits. Rejected: negative, fractional,
/// non-numeric, above 10^12.
enum CountParser {
    /// Unit words that may follow a count (compared with `TextKey.loose`).
    static let unitWords: Set<String> = Set([
        "vụ", "vụ việc", "người", "đối tượng", "trường hợp", "lượt", "hộ", "khẩu", "nhân khẩu", "đồng", "vnđ", "vnd",
        "case", "cases", "person", "persons", "people", "incidents", "households",
    ].map(TextKey.loose))

    /// Spellings of "not available" (compared with `TextKey.loose`, so "#N/A" = "n/a" = "NA").
    static let notAvailableWords: Set<String> = Set(["na", "n/a", "nan", "null", "none", "không có số liệu", "chưa có số liệu"].map(TextKey.loose))

    static func read(_ raw: String) -> CountReading {
        let text = raw.trimmingWhitespace()
        if text.isEmpty { return .empty }
        if notAvailableWords.contains(TextKey.loose(text)) { return .notAvailable(text) }
        var repairs: [LocalizedText] = []

        // Digits to ASCII; split the leading sign and number from a trailing word.
        var number: [UInt8] = []
        var negative = false
        var sawNonASCIIDigit = false
        var index = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        if let first = scalars.first, first == "-" || first == "\u{2212}" || first == "\u{2013}" {
            negative = true
            index = scalars.index(after: index)
        }
        while index < scalars.endIndex {
            let s = scalars[index]
            if s.properties.numericType == .decimal, let v = s.properties.numericValue, v >= 0, v <= 9 {
                if !s.isASCII { sawNonASCIIDigit = true }
                number.append(ASCII.zero + UInt8(v))
            } else if s == "." || s == "," {
                number.append(UInt8(s.value))
            } else {
                break
            }
            index = scalars.index(after: index)
        }
        let rest = Substring(String(scalars[index...])).trimmingWhitespaceSubstring()
        if sawNonASCIIDigit {
            repairs.append(LocalizedText(vi: "chữ số toàn khổ/Unicode", en: "full-width or Unicode digits"))
        }
        guard number.contains(where: { $0 >= ASCII.zero && $0 <= ASCII.nine }) else {
            return .invalid(.nonNumericCount, notANumber(text))
        }
        if !rest.isEmpty {
            guard unitWords.contains(TextKey.loose(String(rest))) else { return .invalid(.nonNumericCount, notANumber(text)) }
            repairs.append(LocalizedText(vi: "bỏ đơn vị “\(rest)”", en: "unit word “\(rest)” dropped"))
        }
        let parsed = wholeNumber(number, original: text)
        switch parsed {
        case .failure(let code, let message):
            return .invalid(code, message)
        case .success(let value, let repair):
            if let repair { repairs.append(repair) }
            if negative {
                return .invalid(.negativeCount, LocalizedText(
                    vi: "Số lượng âm “\(text)”: số vụ, số người phải là số nguyên không âm.",
                    en: "Negative count “\(text)”: counts must be whole numbers ≥ 0."))
            }
            if value > maximumCount { return .invalid(.countTooLarge, tooLarge(text)) }
            let note = repairs.isEmpty ? nil : LocalizedText(
                vi: "“\(text)” được đọc là \(value) (\(repairs.map(\.vi).joined(separator: "; "))).",
                en: "“\(text)” read as \(value) (\(repairs.map(\.en).joined(separator: "; "))).")
            return .value(value, repair: note)
        }
    }

    private enum Whole {
        case success(Int, repair: LocalizedText?)
        case failure(DiagnosticCode, LocalizedText)
    }

    /// Interprets ASCII digits with `.`/`,` separators as a whole number.
    private static func wholeNumber(_ bytes: [UInt8], original: String) -> Whole {
        let separators = Set(bytes.filter { $0 == 0x2E || $0 == ASCII.comma })
        let digits = String(decoding: bytes, as: UTF8.self)
        func integer(_ text: Substring) -> Int? {
            guard !text.isEmpty, text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(text)
        }
        if separators.isEmpty {
            guard let value = integer(Substring(digits)) else {
                return digits.count > 18 ? .failure(.countTooLarge, tooLarge(original)) : .failure(.nonNumericCount, notANumber(original))
            }
            if digits.count > 1 && digits.first == "0" {
                return .success(value, repair: LocalizedText(vi: "bỏ số 0 ở đầu", en: "leading zeros dropped"))
            }
            return .success(value, repair: nil)
        }
        // The last separator is the decimal mark when both kinds occur, or when the single kind
        // cannot be grouping.
        let groupingRepair = LocalizedText(vi: "bỏ dấu phân cách hàng nghìn", en: "thousands separators dropped")
        let zeroDecimalRepair = LocalizedText(vi: "bỏ phần thập phân bằng 0", en: "zero decimal part dropped")
        func grouped(_ text: Substring, by separator: Character) -> Int? {
            let parts = text.split(separator: separator, omittingEmptySubsequences: false)
            guard let head = parts.first, (1...3).contains(head.count), head.first != "0" || parts.count == 1,
                  parts.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            return integer(Substring(parts.joined()))
        }
        func decimal(whole: Substring, fraction: Substring) -> Whole {
            guard let value = integer(whole), fraction.allSatisfy({ $0.isASCII && $0.isNumber }), !fraction.isEmpty else {
                return .failure(.nonNumericCount, notANumber(original))
            }
            if fraction.allSatisfy({ $0 == "0" }) { return .success(value, repair: zeroDecimalRepair) }
            return .failure(.fractionalCount, LocalizedText(
                vi: "Số lượng có phần lẻ “\(original)”: số vụ, số người phải là số nguyên.",
                en: "Fractional count “\(original)”: counts must be whole numbers."))
        }
        if separators.count == 2 {
            guard let lastMark = digits.lastIndex(where: { $0 == "." || $0 == "," }) else { return .failure(.nonNumericCount, notANumber(original)) }
            let decimalMark = digits[lastMark]
            let groupMark: Character = decimalMark == "." ? "," : "."
            let whole = digits[..<lastMark]
            let fraction = digits[digits.index(after: lastMark)...]
            guard !whole.contains(decimalMark), let value = grouped(whole, by: groupMark) else {
                return .failure(.nonNumericCount, notANumber(original))
            }
            return decimal(whole: Substring(String(value)), fraction: fraction)
        }
        let mark: Character = separators.first == ASCII.comma ? "," : "."
        let parts = digits.split(separator: mark, omittingEmptySubsequences: false)
        if parts.count > 2 {
            guard let value = grouped(Substring(digits), by: mark) else { return .failure(.nonNumericCount, notANumber(original)) }
            return .success(value, repair: groupingRepair)
        }
        let whole = parts[0]
        let fraction = parts[1]
        if fraction.count == 3, let value = grouped(Substring(digits), by: mark) {
            if fraction == "000" {
                return .failure(.nonNumericCount, LocalizedText(
                    vi: "Số “\(excerpt(original))” không rõ nghĩa: có thể là \(whole) hoặc \(value). Hãy viết số không có dấu phân cách.",
                    en: "The number “\(excerpt(original))” is ambiguous: it may be \(whole) or \(value). Write it without separators."))
            }
            return .success(value, repair: groupingRepair)
        }
        return decimal(whole: whole, fraction: fraction)
    }

    /// Longest cell text quoted in a message (characters); longer text is cut with "…" so that
    /// a hostile cell cannot flood stderr.
    static let quotedTextLimit = 40

    /// `text` cut to its first `quotedTextLimit` characters followed by "…" when longer.
    static func excerpt(_ text: String) -> String {
        guard text.utf8.count > quotedTextLimit, text.count > quotedTextLimit else { return text }
        return String(text.prefix(quotedTextLimit)) + "…"
    }

    static func notANumber(_ raw: String) -> LocalizedText {
        let text = excerpt(raw)
        if text == "-" || text == "–" || text == "—" {
            return LocalizedText(vi: "“\(text)” không phải số: ghi 0 nếu không có vụ nào, để trống nếu không có số liệu.",
                                 en: "“\(text)” is not a number: write 0 for none, leave the cell empty when the value is unknown.")
        }
        return LocalizedText(vi: "“\(text)” không phải số nguyên.", en: "“\(text)” is not a whole number.")
    }

    static func tooLarge(_ raw: String) -> LocalizedText {
        let text = excerpt(raw)
        return LocalizedText(vi: "Số “\(text)” quá lớn (giới hạn 10^12).", en: "The number “\(text)” is too large (limit 10^12).")
    }
}

/// Which period number a cell holds.
enum PeriodField {
    case year, month, quarter, week

    var range: ClosedRange<Int> {
        switch self {
        case .year: return 1900...2100
        case .month: return 1...12
        case .quarter: return 1...4
        case .week: return 1...53
        }
    }

    /// Words that may precede the number ("Tháng 3", "Quý II", "T3", "Q1", "W05", "Năm 2024").
    var prefixes: [String] {
        switch self {
        case .year: return ["nam", "year"]
        case .month: return ["thang", "month", "t", "m"]
        case .quarter: return ["quy", "quarter", "q"]
        case .week: return ["tuan", "week", "w"]
        }
    }

    var outOfRangeCode: DiagnosticCode {
        switch self {
        case .year: return .yearOutOfRange
        case .month: return .monthOutOfRange
        case .quarter: return .quarterOutOfRange
        case .week: return .weekOutOfRange
        }
    }

    var name: LocalizedText {
        switch self {
        case .year: return LocalizedText(vi: "năm", en: "year")
        case .month: return LocalizedText(vi: "tháng", en: "month")
        case .quarter: return LocalizedText(vi: "quý", en: "quarter")
        case .week: return LocalizedText(vi: "tuần", en: "week")
        }
    }
}

/// Reads year, month, quarter and week cells.
enum PeriodParser {
    private static let monthNames: [String: Int] = {
        let names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        var table: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            table[name] = i + 1
            table[String(name.prefix(3))] = i + 1
        }
        table["sept"] = 9
        return table
    }()

    private static let romans: [String: Int] = ["i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12]

    /// The number in `raw`, or the reason it is not a valid `field`. Empty cells are the caller's business.
    static func read(_ raw: String, as field: PeriodField) -> Result<Int, PeriodError> {
        var tokens = TextKey.loose(raw).split(separator: " ").map(String.init)
        if tokens.count > 1, field.prefixes.contains(tokens[0]) { tokens.removeFirst() }
        if tokens.count == 1 {
            var token = tokens[0]
            if let letter = field.prefixes.first(where: { $0.count == 1 && token.hasPrefix($0) }),
               token.dropFirst(letter.count).allSatisfy({ $0.isASCII && $0.isNumber }), token.count > 1 {
                token = String(token.dropFirst(letter.count))
            }
            var value: Int?
            if token.allSatisfy({ $0.isASCII && $0.isNumber }), token.count <= 9 {
                value = Int(token)
            } else if field == .month {
                value = monthNames[token] ?? romans[token]
            } else if field == .quarter {
                value = romans[token]
            }
            if let value {
                return field.range.contains(value) ? .success(value) : .failure(.outOfRange(value))
            }
        }
        return .failure(.notANumber)
    }

    enum PeriodError: Error, Equatable {
        case outOfRange(Int)
        case notANumber
    }

    /// The diagnostic for a failed period cell.
    static func diagnostic(_ error: PeriodError, raw: String, field: PeriodField, at location: SourceLocation) -> Diagnostic {
        let range = field.range
        switch error {
        case .outOfRange(let value):
            return Diagnostic(.error, field.outOfRangeCode, at: location, LocalizedText(
                vi: "\(field.name.vi.capitalizedFirst) \(value) nằm ngoài khoảng \(range.lowerBound)–\(range.upperBound).",
                en: "\(field.name.en.capitalizedFirst) \(value) is outside \(range.lowerBound)–\(range.upperBound)."))
        case .notANumber:
            return Diagnostic(.error, field == .year ? .invalidYear : field.outOfRangeCode, at: location, LocalizedText(
                vi: "“\(raw)” không phải \(field.name.vi) hợp lệ (\(range.lowerBound)–\(range.upperBound)).",
                en: "“\(raw)” is not a valid \(field.name.en) (\(range.lowerBound)–\(range.upperBound))."))
        }
    }
}

extension String {
    /// The string without leading and trailing white space (Unicode, including no-break spaces).
    func trimmingWhitespace() -> String {
        String(Substring(self).trimmingWhitespaceSubstring())
    }

    /// The string with its first character upper-cased.
    var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}

extension Substring {
    func trimmingWhitespaceSubstring() -> Substring {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[start..<end]
    }
}

/// Fast paths around `TextKey` for the reader's hot loop; the results equal `TextKey`'s.
enum FastText {
    /// `TextKey.nfc(text)`, without the Unicode normalisation pass when `text` is made only of
    /// ASCII and precomposed Latin letters (U+00C0–U+024F, U+1EA0 block U+1E00–U+1EFF: already
    /// NFC) with single inner spaces, as almost every cell is.
    static func nfc(_ text: String) -> String {
        if text.isEmpty { return text }
        var previousWasSpace = true
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0x20 {
                if previousWasSpace { return TextKey.nfc(text) }
                previousWasSpace = true
            } else if (0x21...0x7E).contains(value) || (0xC0...0x24F).contains(value) || (0x1E00...0x1EFF).contains(value) {
                previousWasSpace = false
            } else {
                return TextKey.nfc(text)
            }
        }
        return previousWasSpace ? TextKey.nfc(text) : text
    }
}
