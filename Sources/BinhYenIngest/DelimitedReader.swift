/// One field of a delimited record: the byte range `start..<end` of the decoded UTF-8 text.
///
/// For a quoted field the range excludes the opening quote. When `needsUnescaping` is set the
/// range still contains the doubled quotes (`""`) and the closing quote of a field with text
/// after it (`"a"b`); `DelimitedText.string(_:)` removes them.
public struct FieldSpan: Sendable, Hashable {
    /// Byte offset of the first byte of the field (after an opening quote).
    public var start: Int
    /// Byte offset just past the field (before a closing quote, or after text that follows it).
    public var end: Int
    /// The field began with a double quote (RFC 4180).
    public var isQuoted: Bool
    /// The range holds quote characters that are not part of the value.
    public var needsUnescaping: Bool
    /// Text followed the closing quote before the next delimiter (`"a"b`); read as `ab`, like Excel.
    public var hasTextAfterClosingQuote: Bool

    /// A field over `start..<end` with the given quoting flags.
    public init(start: Int, end: Int, isQuoted: Bool = false, needsUnescaping: Bool = false,
                hasTextAfterClosingQuote: Bool = false) {
        self.start = start
        self.end = end
        self.isQuoted = isQuoted
        self.needsUnescaping = needsUnescaping
        self.hasTextAfterClosingQuote = hasTextAfterClosingQuote
    }

    /// Number of bytes in the range.
    public var count: Int { end - start }
}

/// A cursor over the records of delimited text (CSV, TSV, `;`- or `|`-separated), RFC 4180.
///
/// Works on raw UTF-8 bytes and yields the byte ranges of the fields of each record; no string is
/// made unless the caller asks for one. Quoted fields may hold delimiters, doubled quotes and
/// line breaks. Records end at LF, CRLF or a lone CR. A quote that is not at the start of a
/// field is an ordinary character (as in Excel).
///
/// `recordNumber` numbers records from 1 as a spreadsheet numbers rows: blank lines count, a
/// quoted line break does not start a new row. `physicalLine` is the text-editor line where the
/// record began.
///
/// The cursor does not own the bytes: they must stay alive and unchanged while it is used.
public struct DelimitedCursor {
    private let base: UnsafePointer<UInt8>?
    private let byteCount: Int
    /// The byte that separates fields (`,` `;` tab `|`).
    public let delimiter: UInt8
    /// `true` for the bytes that end an unquoted field: the delimiter, LF and CR.
    private let stops: [Bool]
    private var position: Int
    /// 1-based number of the record last returned (0 before the first).
    public private(set) var recordNumber = 0
    /// 1-based text line on which the record last returned began.
    public private(set) var physicalLine = 0
    private var nextLine = 1
    /// The problem of the record last returned, nil when it was well formed.
    public private(set) var problem: Problem?

    /// What went wrong while reading one record.
    public enum Problem: Sendable, Hashable {
        /// A quoted field was still open at the end of the input; it opened on this text line.
        case unterminatedQuote(openedOnLine: Int)
        /// The record has more than `fieldLimit` fields; the rest of its line was added to the
        /// last field, so that a hostile line of delimiters cannot fill memory.
        case tooManyFields(limit: Int)
    }

    /// Most fields a record is split into (16,384, Excel's column limit).
    public static let fieldLimit = 16_384

    /// A cursor at the start of `bytes` (valid UTF-8, byte-order mark already skipped).
    public init(_ bytes: UnsafeRawBufferPointer, delimiter: UInt8) {
        base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        byteCount = bytes.count
        self.delimiter = delimiter
        var stops = [Bool](repeating: false, count: 256)
        stops[Int(delimiter)] = true
        stops[Int(ASCII.lf)] = true
        stops[Int(ASCII.cr)] = true
        self.stops = stops
        position = 0
    }

    /// Reads the next record into `fields` (cleared first). Returns false at the end of the
    /// input. `problem` tells what was wrong with the record just read, if anything.
    public mutating func next(into fields: inout [FieldSpan]) -> Bool {
        guard let p = base, position < byteCount else { return false }
        fields.removeAll(keepingCapacity: true)
        recordNumber += 1
        physicalLine = nextLine
        problem = nil
        let n = byteCount
        let delimiter = self.delimiter
        let delimiterPattern = UInt64(delimiter) &* Self.ones
        var i = position
        var line = nextLine
        var found: Problem?
        stops.withUnsafeBufferPointer { stop in
            while true {
                if i < n && p[i] == ASCII.quote {
                    let start = i + 1
                    let openedOn = line
                    var j = start
                    var escaped = false
                    var closed = false
                    while j < n {
                        let b = p[j]
                        if b == ASCII.quote {
                            if j + 1 < n && p[j + 1] == ASCII.quote {
                                escaped = true
                                j += 2
                                continue
                            }
                            closed = true
                            break
                        }
                        if b == ASCII.lf || (b == ASCII.cr && !(j + 1 < n && p[j + 1] == ASCII.lf)) { line += 1 }
                        j += 1
                    }
                    if !closed {
                        found = .unterminatedQuote(openedOnLine: openedOn)
                        fields.append(FieldSpan(start: start, end: n, isQuoted: true, needsUnescaping: escaped))
                        i = n
                    } else {
                        i = j + 1
                        if i < n && !stop[Int(p[i])] {
                            while i < n && !stop[Int(p[i])] { i += 1 }
                            fields.append(FieldSpan(start: start, end: i, isQuoted: true, needsUnescaping: true,
                                                    hasTextAfterClosingQuote: true))
                        } else {
                            fields.append(FieldSpan(start: start, end: j, isQuoted: true, needsUnescaping: escaped))
                        }
                    }
                } else {
                    let start = i
                    // Eight bytes at a time: the lowest byte flagged is the first delimiter or line end.
                    while i + 8 <= n {
                        let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self).littleEndian
                        let found = Self.bytesEqual(word, delimiterPattern) | Self.bytesEqual(word, Self.lfPattern)
                            | Self.bytesEqual(word, Self.crPattern)
                        if found != 0 {
                            i += found.trailingZeroBitCount >> 3
                            break
                        }
                        i += 8
                    }
                    while i < n && !stop[Int(p[i])] { i += 1 }
                    fields.append(FieldSpan(start: start, end: i))
                }
                if i >= n { return }
                var b = p[i]
                i += 1
                if b == delimiter {
                    if fields.count < Self.fieldLimit { continue }
                    // Too many fields: the rest of the line joins the last one.
                    while i < n && p[i] != ASCII.lf && p[i] != ASCII.cr { i += 1 }
                    fields[fields.count - 1].end = i
                    found = .tooManyFields(limit: Self.fieldLimit)
                    if i >= n { return }
                    b = p[i]
                    i += 1
                }
                if b == ASCII.cr && i < n && p[i] == ASCII.lf { i += 1 }
                line += 1
                return
            }
        }
        position = i
        nextLine = line
        problem = found
        return true
    }
}

extension DelimitedCursor {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let lfPattern = UInt64(ASCII.lf) &* ones
    private static let crPattern = UInt64(ASCII.cr) &* ones

    /// High bit set in each byte of `word` equal to the byte repeated in `pattern`. Bytes above
    /// a match may be flagged falsely; the lowest flagged byte is always a true match.
    @inline(__always)
    private static func bytesEqual(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = word ^ pattern
        return (x &- ones) & ~x & 0x8080_8080_8080_8080
    }
}

/// Byte values used by the readers.
enum ASCII {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let tab: UInt8 = 0x09
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B
    static let pipe: UInt8 = 0x7C
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
}

/// Helpers on decoded UTF-8 text and its fields.
public enum DelimitedText {
    /// The delimiters BinhYen detects, in order of preference on a tie.
    public static let candidates: [UInt8] = [ASCII.comma, ASCII.semicolon, ASCII.tab, ASCII.pipe]

    /// Guesses the delimiter from up to the first 30 non-empty lines (at most 64 KiB), counting
    /// each candidate outside quotes. The winner is the candidate whose most frequent non-zero
    /// count per line occurs on the most lines (title rows without delimiters do not spoil it);
    /// ties go to the larger count, then to the order `,` `;` tab `|`. With no candidate at all
    /// the text has one column and `,` is returned. With `preferTab` (a `.tsv` file) a tab found
    /// on every line wins.
    public static func detectDelimiter(in text: UnsafeRawBufferPointer, preferTab: Bool = false) -> UInt8 {
        let limit = min(text.count, 1 << 16)
        var perLine: [[Int]] = []
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lineHasContent = false
        var i = 0
        func endLine() {
            if lineHasContent { perLine.append(counts) }
            counts = [Int](repeating: 0, count: candidates.count)
            lineHasContent = false
        }
        while i < limit && perLine.count < 30 {
            let b = text[i]
            if b == ASCII.quote {
                inQuotes.toggle()
                lineHasContent = true
            } else if !inQuotes && (b == ASCII.lf || b == ASCII.cr) {
                endLine()
            } else if !inQuotes, let k = candidates.firstIndex(of: b) {
                counts[k] += 1
                lineHasContent = true
            } else if b != ASCII.space {
                lineHasContent = true
            }
            i += 1
        }
        if perLine.count < 30 { endLine() }
        let tabIndex = 2
        if preferTab, !perLine.isEmpty, perLine.allSatisfy({ $0[tabIndex] > 0 }) { return ASCII.tab }
        var best: (lines: Int, width: Int, index: Int)?
        for k in candidates.indices {
            var frequency: [Int: Int] = [:]
            for line in perLine where line[k] > 0 { frequency[line[k], default: 0] += 1 }
            guard let mode = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { continue }
            let score = (lines: mode.value, width: mode.key, index: k)
            if let current = best {
                if (score.lines, score.width) > (current.lines, current.width) { best = score }
            } else {
                best = score
            }
        }
        return best.map { candidates[$0.index] } ?? ASCII.comma
    }

    /// The value of `field` as a string: quotes removed, doubled quotes made single. The text is
    /// assumed to be valid UTF-8 (checked by the decoder); it is not trimmed or normalised.
    public static func string(_ field: FieldSpan, in text: UnsafeRawBufferPointer) -> String {
        guard field.end > field.start, let base = text.baseAddress else { return "" }
        let raw = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self) + field.start, count: field.end - field.start)
        guard field.needsUnescaping else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            if b == ASCII.quote {
                if i + 1 < raw.count && raw[i + 1] == ASCII.quote { out.append(ASCII.quote); i += 2 } else { i += 1 }
                continue
            }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// All records of `text` as strings, with their record numbers: for small side files
    /// (villages, adjacency, conditions) and tests. The delimiter is detected when nil.
    public static func records(of text: UnsafeRawBufferPointer, delimiter: UInt8? = nil) -> [(line: Int, cells: [String])] {
        var cursor = DelimitedCursor(text, delimiter: delimiter ?? detectDelimiter(in: text))
        var fields: [FieldSpan] = []
        var rows: [(line: Int, cells: [String])] = []
        while cursor.next(into: &fields) {
            rows.append((cursor.recordNumber, fields.map { string($0, in: text) }))
        }
        return rows
    }
}
