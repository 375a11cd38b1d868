/// Why the XML of a workbook part was refused.
enum XMLScanError: Error, Equatable {
    /// A document type declaration (`<!DOCTYPE`): DTDs, and so entity definitions, are never read.
    case documentTypeDeclaration
    /// An entity reference other than the five predefined ones and character references.
    case undeclaredEntity(String)
    /// Elements nested deeper than the limit.
    case tooDeep(limit: Int)
    /// One tag, comment or entity reference longer than the limit.
    case tokenTooLong(limit: Int)
    /// The part is not UTF-8 XML (a UTF-16 byte-order mark).
    case unsupportedEncoding
    /// Broken markup, with a short reason.
    case malformed(String)
}

/// An attribute of a start tag: byte ranges of its local name and raw value in the tag's buffer.
struct XMLAttribute {
    var name: Range<Int>
    var value: Range<Int>
    var hasReferences: Bool
}

/// A start tag as seen by an `XMLHandler`; valid only during the call that receives it.
struct XMLTag {
    let buffer: UnsafeRawBufferPointer
    /// Local name (after any namespace prefix).
    let name: Range<Int>
    let attributes: [XMLAttribute]

    /// Whether the local name is `local` (ASCII).
    func isNamed(_ local: StaticString) -> Bool {
        XMLNames.equal(buffer, name, local)
    }

    /// The decoded value of the attribute whose local name is `local`, or nil.
    func attribute(_ local: StaticString) -> String? {
        guard let attribute = attributes.first(where: { XMLNames.equal(buffer, $0.name, local) }) else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: buffer[attribute.value])
        if !attribute.hasReferences { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        // Attribute values were checked when the tag was scanned; a failure here cannot happen.
        if (try? XMLText.decodeReferences(raw, into: &out)) == nil { return nil }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Receives the events of `XMLScanner`.
protocol XMLHandler {
    /// A start tag (also called for an empty-element tag, followed by `end`).
    mutating func start(_ tag: XMLTag) throws
    /// An end tag; `name` is the local name.
    mutating func end(_ name: UnsafeRawBufferPointer) throws
    /// Character data inside the root element, with references decoded; one text node may
    /// arrive in several pieces.
    mutating func text(_ bytes: UnsafeRawBufferPointer) throws
}

enum XMLNames {
    static func equal(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, _ local: StaticString) -> Bool {
        guard range.count == local.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: local.utf8Start, count: local.utf8CodeUnitCount)
        var i = 0
        for k in range {
            if buffer[k] != expected[i] { return false }
            i += 1
        }
        return true
    }

    /// Whether the local name bytes equal `local`.
    static func equal(_ name: UnsafeRawBufferPointer, _ local: StaticString) -> Bool {
        equal(name, 0..<name.count, local)
    }
}

/// Character references and the five predefined entities of XML 1.0 §4.6; nothing else.
enum XMLText {
    static func decodeReferences(_ raw: UnsafeRawBufferPointer, into out: inout [UInt8]) throws {
        var i = 0
        let n = raw.count
        while i < n {
            let b = raw[i]
            guard b == UInt8(ascii: "&") else {
                out.append(b)
                i += 1
                continue
            }
            var j = i + 1
            while j < n && raw[j] != UInt8(ascii: ";") && j - i < 16 { j += 1 }
            guard j < n, raw[j] == UInt8(ascii: ";") else { throw XMLScanError.malformed("unterminated entity reference") }
            let name = Array(raw[(i + 1)..<j])
            switch name {
            case Array("lt".utf8): out.append(UInt8(ascii: "<"))
            case Array("gt".utf8): out.append(UInt8(ascii: ">"))
            case Array("amp".utf8): out.append(UInt8(ascii: "&"))
            case Array("quot".utf8): out.append(UInt8(ascii: "\""))
            case Array("apos".utf8): out.append(UInt8(ascii: "'"))
            default:
                guard name.first == UInt8(ascii: "#"), name.count > 1 else {
                    throw XMLScanError.undeclaredEntity(String(decoding: name, as: UTF8.self))
                }
                let hex = name[1] == UInt8(ascii: "x")
                let digits = String(decoding: name.dropFirst(hex ? 2 : 1), as: UTF8.self)
                guard let value = UInt32(digits, radix: hex ? 16 : 10), let scalar = Unicode.Scalar(value), value != 0 else {
                    throw XMLScanError.malformed("invalid character reference &\(String(decoding: name, as: UTF8.self));")
                }
                UTF8.encode(scalar) { out.append($0) }
            }
            i = j + 1
        }
    }
}

/// A streaming, byte-level XML scanner for the parts of a workbook.
///
/// Deliberately small and strict: no DTD (a `<!DOCTYPE` is refused, so no entity can be
/// defined or expanded: "billion laughs" files fail at once), only the five predefined
/// entities and character references, a nesting limit and a limit on the length of one tag,
/// comment or processing instruction. Text is passed on in pieces, so memory stays bounded
/// by the chunk size plus the longest tag, whatever the size of the part. Namespace prefixes
/// are dropped (only local names are reported); processing instructions, comments and the
/// XML declaration are skipped; CDATA sections are text. Well-formedness beyond that (matching
/// end tags, attribute uniqueness) is not checked: a wrong workbook gives wrong cells, never
/// unbounded work.
struct XMLScanner {
    let maxDepth: Int
    let maxToken: Int
    private var buffer: [UInt8] = []
    private var depth = 0
    private var started = false
    private var attributes: [XMLAttribute] = []
    private var decoded: [UInt8] = []
    /// The most bytes held back between chunks (an incomplete tag plus one chunk).
    private(set) var peakBufferedBytes = 0

    init(maxDepth: Int = 64, maxToken: Int = 1 << 20) {
        self.maxDepth = maxDepth
        self.maxToken = maxToken
    }

    /// Scans the next piece of the document.
    mutating func feed<H: XMLHandler>(_ chunk: UnsafeRawBufferPointer, into handler: inout H) throws {
        buffer.append(contentsOf: chunk)
        peakBufferedBytes = max(peakBufferedBytes, buffer.count)
        if !started {
            guard buffer.count >= 3 else { return }
            started = true
            if buffer.starts(with: [0xFF, 0xFE]) || buffer.starts(with: [0xFE, 0xFF]) { throw XMLScanError.unsupportedEncoding }
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
        }
        let consumed = try scan(into: &handler, final: false)
        buffer.removeFirst(consumed)
    }

    /// Ends the document: scans what is left and checks that every element was closed.
    mutating func finish<H: XMLHandler>(into handler: inout H) throws {
        started = true
        let consumed = try scan(into: &handler, final: true)
        buffer.removeFirst(consumed)
        if !buffer.isEmpty { throw XMLScanError.malformed("unterminated markup at the end") }
        if depth != 0 { throw XMLScanError.malformed("\(depth) elements not closed") }
    }

    /// Scans complete tokens of `buffer`; returns how many bytes were consumed.
    private mutating func scan<H: XMLHandler>(into handler: inout H, final: Bool) throws -> Int {
        var localAttributes = attributes
        var localDecoded = decoded
        defer {
            attributes = localAttributes
            decoded = localDecoded
        }
        let pending = buffer
        return try pending.withUnsafeBytes { bytes -> Int in
            let n = bytes.count
            var pos = 0
            while pos < n {
                if bytes[pos] != UInt8(ascii: "<") {
                    // Character data up to the next markup.
                    var end = pos
                    while end < n && bytes[end] != UInt8(ascii: "<") { end += 1 }
                    var emitEnd = end
                    if end == n && !final {
                        // Keep a possibly incomplete reference for the next chunk.
                        var amp = end
                        var k = end
                        while k > pos && end - k < 16 {
                            k -= 1
                            if bytes[k] == UInt8(ascii: ";") { break }
                            if bytes[k] == UInt8(ascii: "&") { amp = k; break }
                        }
                        emitEnd = amp
                    }
                    if emitEnd > pos {
                        let raw = UnsafeRawBufferPointer(rebasing: bytes[pos..<emitEnd])
                        if depth > 0 {
                            if raw.contains(UInt8(ascii: "&")) {
                                localDecoded.removeAll(keepingCapacity: true)
                                try XMLText.decodeReferences(raw, into: &localDecoded)
                                try localDecoded.withUnsafeBytes { try handler.text($0) }
                            } else {
                                try handler.text(raw)
                            }
                        } else if raw.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) {
                            throw XMLScanError.malformed("text outside the root element")
                        }
                    }
                    pos = emitEnd
                    if end == n { return pos }
                    continue
                }
                // Markup.
                guard let end = try markupEnd(bytes, from: pos) else {
                    if n - pos > maxToken { throw XMLScanError.tokenTooLong(limit: maxToken) }
                    return pos
                }
                try markup(bytes, pos..<end, attributes: &localAttributes, handler: &handler)
                pos = end
            }
            return pos
        }
    }

    /// The offset just past the markup starting at `start` (a `<`), or nil when it is incomplete.
    private func markupEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) throws -> Int? {
        let n = bytes.count
        func hasPrefix(_ text: StaticString) -> Bool? {
            let count = text.utf8CodeUnitCount
            let expected = UnsafeRawBufferPointer(start: text.utf8Start, count: count)
            for k in 0..<count {
                if start + k >= n { return nil }
                if bytes[start + k] != expected[k] { return false }
            }
            return true
        }
        func find(_ terminator: StaticString, from offset: Int) -> Int? {
            let count = terminator.utf8CodeUnitCount
            let expected = UnsafeRawBufferPointer(start: terminator.utf8Start, count: count)
            var i = offset
            while i + count <= n {
                var match = true
                for k in 0..<count where bytes[i + k] != expected[k] {
                    match = false
                    break
                }
                if match { return i + count }
                i += 1
            }
            return nil
        }
        guard start + 1 < n else { return nil }
        if bytes[start + 1] == UInt8(ascii: "!") {
            guard let isComment = hasPrefix("<!--") else { return nil }
            if isComment { return find("-->", from: start + 4) }
            guard let isCDATA = hasPrefix("<![CDATA[") else { return nil }
            if isCDATA { return find("]]>", from: start + 9) }
            // <!DOCTYPE, <!ENTITY, <!ELEMENT …: no DTD is ever read.
            if start + 2 < n { throw XMLScanError.documentTypeDeclaration }
            return nil
        }
        if bytes[start + 1] == UInt8(ascii: "?") { return find("?>", from: start + 2) }
        var quote: UInt8 = 0
        var i = start + 1
        while i < n {
            let b = bytes[i]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                return i + 1
            } else if b == UInt8(ascii: "<") {
                throw XMLScanError.malformed("“<” inside a tag")
            }
            i += 1
        }
        return nil
    }

    private mutating func markup<H: XMLHandler>(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>,
                                                attributes: inout [XMLAttribute], handler: inout H) throws {
        let start = range.lowerBound
        let second = bytes[start + 1]
        if second == UInt8(ascii: "?") { return }
        if second == UInt8(ascii: "!") {
            if bytes[start + 2] == UInt8(ascii: "[") {
                // CDATA: the text between "<![CDATA[" and "]]>".
                guard depth > 0 else { throw XMLScanError.malformed("CDATA outside the root element") }
                try handler.text(UnsafeRawBufferPointer(rebasing: bytes[(start + 9)..<(range.upperBound - 3)]))
            }
            return
        }
        if second == UInt8(ascii: "/") {
            let name = localName(bytes, from: start + 2, to: range.upperBound - 1)
            guard depth > 0 else { throw XMLScanError.malformed("end tag without start tag") }
            depth -= 1
            try handler.end(UnsafeRawBufferPointer(rebasing: bytes[name]))
            return
        }
        let selfClosing = bytes[range.upperBound - 2] == UInt8(ascii: "/")
        let contentEnd = range.upperBound - (selfClosing ? 2 : 1)
        var i = start + 1
        while i < contentEnd && !isSpace(bytes[i]) { i += 1 }
        let name = localName(bytes, from: start + 1, to: i)
        guard !name.isEmpty else { throw XMLScanError.malformed("empty tag name") }
        attributes.removeAll(keepingCapacity: true)
        while true {
            while i < contentEnd && isSpace(bytes[i]) { i += 1 }
            if i >= contentEnd { break }
            let nameStart = i
            while i < contentEnd && bytes[i] != UInt8(ascii: "=") && !isSpace(bytes[i]) { i += 1 }
            let attributeName = localName(bytes, from: nameStart, to: i)
            while i < contentEnd && isSpace(bytes[i]) { i += 1 }
            guard i < contentEnd, bytes[i] == UInt8(ascii: "=") else { throw XMLScanError.malformed("attribute without value") }
            i += 1
            while i < contentEnd && isSpace(bytes[i]) { i += 1 }
            guard i < contentEnd, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                throw XMLScanError.malformed("attribute value without quotes")
            }
            let quote = bytes[i]
            i += 1
            let valueStart = i
            var references = false
            while i < contentEnd && bytes[i] != quote {
                if bytes[i] == UInt8(ascii: "&") { references = true }
                i += 1
            }
            guard i < contentEnd else { throw XMLScanError.malformed("unterminated attribute value") }
            if references {
                var scratch: [UInt8] = []
                try XMLText.decodeReferences(UnsafeRawBufferPointer(rebasing: bytes[valueStart..<i]), into: &scratch)
            }
            attributes.append(XMLAttribute(name: attributeName, value: valueStart..<i, hasReferences: references))
            i += 1
        }
        depth += 1
        if depth > maxDepth { throw XMLScanError.tooDeep(limit: maxDepth) }
        try handler.start(XMLTag(buffer: bytes, name: name, attributes: attributes))
        if selfClosing {
            depth -= 1
            try handler.end(UnsafeRawBufferPointer(rebasing: bytes[name]))
        }
    }

    @inline(__always)
    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// The range of the local name (after the last `:`) of the qualified name in `start..<end`.
    private func localName(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Range<Int> {
        var nameEnd = start
        var local = start
        while nameEnd < end && !isSpace(bytes[nameEnd]) {
            if bytes[nameEnd] == UInt8(ascii: ":") { local = nameEnd + 1 }
            nameEnd += 1
        }
        return local..<nameEnd
    }
}
