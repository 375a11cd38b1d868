import Foundation
import BinhYenCore

/// The character encoding a text file was read in.
public enum TextEncoding: String, Sendable, Hashable, Codable {
    case utf8 = "utf-8"
    /// UTF-8 with a byte-order mark (EF BB BF), as Excel writes "CSV UTF-8".
    case utf8BOM = "utf-8-bom"
    /// UTF-16 little endian with a byte-order mark (Excel "Unicode text").
    case utf16LE = "utf-16le"
    /// UTF-16 big endian with a byte-order mark.
    case utf16BE = "utf-16be"
    /// Windows-1258 (CP1258): base letters and combining tone marks; converted to NFC.
    case windows1258 = "windows-1258"
    /// TCVN 5712 "ABC" (TCVN3), the .VnTime fonts; converted to NFC.
    case tcvn3 = "tcvn3"
    /// VNI Windows, the VNI-Times fonts (letter + mark bytes); converted to NFC.
    case vni = "vni"
    /// An `.xlsx` workbook (its XML is UTF-8).
    case xlsx = "xlsx"
}

/// The encoding to read text files in (`--encoding`).
public enum InputEncoding: String, Sendable, CaseIterable, Codable {
    /// UTF-8 (with or without byte-order mark) or UTF-16 with a byte-order mark; otherwise the
    /// legacy encoding that fits the text best, with its confidence.
    case auto
    /// UTF-8 only (a byte-order mark is skipped); other bytes are an error.
    case utf8 = "utf-8"
    /// UTF-16; little endian unless a byte-order mark or the position of NUL bytes says otherwise.
    case utf16 = "utf-16"
    /// Windows-1258, TCVN3 (ABC) or VNI Windows, without detection.
    case cp1258
    case tcvn3
    case vni
}

/// Decoded text: valid UTF-8 bytes in `bytes[start...]`, and the encoding it came from.
struct DecodedText {
    var bytes: [UInt8]
    /// Offset of the first byte after a byte-order mark.
    var start: Int
    var encoding: TextEncoding
    /// How sure the detection of a legacy encoding was (0–1); nil when it was not guessed.
    var confidence: Double?
}

/// Turns the bytes of a file into valid UTF-8 text, or explains why it cannot.
///
/// Checks, in order:
/// - empty file → `emptyFile`;
/// - the signature of a binary format (ZIP/XLSX, OLE2/XLS, PDF, gzip, images, HTML pages) →
///   `wrongFileType`, or `unreadableFile` for a workbook named .xlsx, .xlsm, .xls or .ods
///   (it is what its name says, but not text);
/// - a UTF-16 byte-order mark → decoded to UTF-8; a UTF-8 byte-order mark → skipped;
/// - NUL bytes (binary, or UTF-16 without a mark) → `wrongFileType`;
/// - invalid UTF-8 → one `encoding` error naming the first bad line and suggesting `--encoding`
///   (Windows-1258, TCVN3 and VNI are converted by a later reader).
enum TextDecoder {
    /// Known signatures of files that are not delimited text, with what they are.
    private static let signatures: [(magic: [UInt8], kind: LocalizedText)] = [
        ([0x50, 0x4B, 0x03, 0x04], LocalizedText(vi: "tệp nén ZIP (có thể là bảng tính Excel .xlsx hoặc .ods)", en: "a ZIP archive (perhaps an Excel .xlsx or .ods workbook)")),
        ([0x50, 0x4B, 0x05, 0x06], LocalizedText(vi: "tệp nén ZIP rỗng", en: "an empty ZIP archive")),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], LocalizedText(vi: "bảng tính Excel 97–2003 (.xls) hoặc tài liệu Office cũ", en: "an Excel 97–2003 workbook (.xls) or other legacy Office file")),
        (Array("%PDF-".utf8), LocalizedText(vi: "tài liệu PDF", en: "a PDF document")),
        ([0x1F, 0x8B], LocalizedText(vi: "tệp nén gzip", en: "a gzip archive")),
        ([0x89, 0x50, 0x4E, 0x47], LocalizedText(vi: "ảnh PNG", en: "a PNG image")),
        ([0xFF, 0xD8, 0xFF], LocalizedText(vi: "ảnh JPEG", en: "a JPEG image")),
        (Array("Rar!".utf8), LocalizedText(vi: "tệp nén RAR", en: "a RAR archive")),
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], LocalizedText(vi: "tệp nén 7z", en: "a 7z archive")),
    ]

    /// Extensions of workbooks, whose ZIP or OLE2 content is what the name says.
    static let workbookExtensions: Set<String> = ["xlsx", "xlsm", "xls", "ods"]

    enum Outcome {
        case text(DecodedText)
        case rejected(Diagnostic)
    }

    /// Decodes `bytes` in `encoding` (a forced encoding skips detection but not the checks
    /// for empty and binary files).
    static func decode(_ bytes: [UInt8], file: String, encoding: InputEncoding = .auto) -> Outcome {
        let location = SourceLocation(file: file, line: 1)
        if bytes.isEmpty {
            return .rejected(Diagnostic(.error, .emptyFile, at: location,
                                        LocalizedText(vi: "Tệp rỗng.", en: "The file is empty.")))
        }
        for (magic, kind) in signatures where bytes.count >= magic.count && bytes.starts(with: magic) {
            let ext = file.split(separator: ".").last.map { $0.lowercased() } ?? ""
            if magic.first == 0x50 || magic.first == 0xD0, workbookExtensions.contains(ext) {
                return .rejected(Diagnostic(.error, .unreadableFile, at: location, LocalizedText(
                    vi: "Đây là bảng tính Excel (.\(ext)); bộ đọc CSV/TSV không đọc được. Hãy lưu từng trang dạng “CSV UTF-8”.",
                    en: "This is an Excel workbook (.\(ext)), which the CSV/TSV reader does not read. Save each sheet as “CSV UTF-8”.")))
            }
            return .rejected(wrongType(kind, at: location))
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return decodeUTF16(bytes, from: 2, bigEndian: bytes[0] == 0xFE, file: file)
        }
        switch encoding {
        case .auto, .utf8: break
        case .utf16:
            let evenNULs = stride(from: 0, to: min(bytes.count, 4096), by: 2).filter { bytes[$0] == 0 }.count
            let oddNULs = stride(from: 1, to: min(bytes.count, 4096), by: 2).filter { bytes[$0] == 0 }.count
            return decodeUTF16(bytes, from: 0, bigEndian: evenNULs > oddNULs, file: file)
        case .cp1258: return legacy(bytes, .windows1258, confidence: nil)
        case .tcvn3: return legacy(bytes, .tcvn3, confidence: nil)
        case .vni: return legacy(bytes, .vni, confidence: nil)
        }
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let unicodeEncoding: TextEncoding = start == 3 ? .utf8BOM : .utf8
        if looksLikeHTML(bytes, from: start) {
            return .rejected(wrongType(LocalizedText(vi: "trang HTML (thường do phần mềm xuất “Excel” dạng web)",
                                                     en: "an HTML page (often what web software exports as “Excel”)"),
                                       at: location))
        }
        if let nul = firstNUL(bytes, from: start, limit: 1 << 16) {
            let oddNULs = stride(from: start + 1, to: min(bytes.count, start + 4096), by: 2).filter { bytes[$0] == 0 }.count
            let evenNULs = stride(from: start, to: min(bytes.count, start + 4096), by: 2).filter { bytes[$0] == 0 }.count
            let half = min(bytes.count - start, 4096) / 2
            let utf16Like = max(oddNULs, evenNULs) * 10 >= half * 8 && min(oddNULs, evenNULs) * 10 <= half
            let kind = utf16Like
                ? LocalizedText(vi: "văn bản UTF-16 không có dấu BOM (hãy lưu lại dạng “CSV UTF-8”)",
                                en: "UTF-16 text without a byte-order mark (save it again as “CSV UTF-8”)")
                : LocalizedText(vi: "tệp nhị phân (có byte NUL ở vị trí \(nul))", en: "a binary file (NUL byte at offset \(nul))")
            return .rejected(wrongType(kind, at: location))
        }
        if let bad = firstInvalidUTF8(bytes, from: start) {
            let badLocation = SourceLocation(file: file, line: lineNumber(of: bad, in: bytes, from: start))
            guard encoding == .auto, start == 0 else { return .rejected(invalidEncoding(at: badLocation)) }
            let guess = bytes.withUnsafeBytes { EncodingDetector.guess($0) }
            guard let guess, guess.confidence >= minimumConfidence else {
                return .rejected(invalidEncoding(at: badLocation, tried: guess))
            }
            return legacy(bytes, guess.encoding, confidence: guess.confidence)
        }
        return .text(DecodedText(bytes: bytes, start: start, encoding: unicodeEncoding))
    }

    private static func wrongType(_ kind: LocalizedText, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.error, .wrongFileType, at: location, LocalizedText(
            vi: "Tệp không phải văn bản CSV/TSV: nội dung là \(kind.vi). Hãy mở tệp bằng phần mềm tạo ra nó và lưu lại dạng “CSV UTF-8”.",
            en: "The file is not CSV/TSV text: its content is \(kind.en). Open it in the program that made it and save it as “CSV UTF-8”."))
    }

    /// Below this confidence a guessed legacy encoding is not used.
    static let minimumConfidence = 0.6

    private static func invalidEncoding(at location: SourceLocation, tried guess: EncodingDetector.Guess? = nil) -> Diagnostic {
        let triedVI = guess.map { " Đoán tốt nhất là \($0.encoding.textEncoding.rawValue) nhưng độ tin cậy chỉ \(Int(($0.confidence * 100).rounded()))%." } ?? ""
        let triedEN = guess.map { " The best guess, \($0.encoding.textEncoding.rawValue), has only \(Int(($0.confidence * 100).rounded()))% confidence." } ?? ""
        return Diagnostic(.error, .encoding, at: location, LocalizedText(
            vi: "Tệp không phải UTF-8 hợp lệ (byte sai đầu tiên ở dòng \(location.line)).\(triedVI) Có thể tệp dùng bảng mã cũ Windows-1258, TCVN3 (ABC) hoặc VNI: hãy lưu lại dạng “CSV UTF-8” hoặc chỉ rõ bảng mã bằng --encoding.",
            en: "The file is not valid UTF-8 (first bad byte on line \(location.line)).\(triedEN) It may use a legacy Vietnamese encoding (Windows-1258, TCVN3/ABC or VNI): save it as “CSV UTF-8” or name the encoding with --encoding."))
    }

    /// `bytes` converted from a legacy encoding to NFC UTF-8.
    private static func legacy(_ bytes: [UInt8], _ encoding: LegacyEncoding, confidence: Double?) -> Outcome {
        let text = bytes.withUnsafeBytes { encoding.decode($0) }
        return .text(DecodedText(bytes: Array(text.utf8), start: 0, encoding: encoding.textEncoding, confidence: confidence))
    }

    private static func looksLikeHTML(_ bytes: [UInt8], from start: Int) -> Bool {
        var i = start
        while i < bytes.count, bytes[i] == ASCII.space || bytes[i] == ASCII.lf || bytes[i] == ASCII.cr || bytes[i] == ASCII.tab { i += 1 }
        let head = bytes[i..<min(bytes.count, i + 15)].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return head.starts(with: Array("<!doctype html".utf8)) || head.starts(with: Array("<html".utf8))
            || head.starts(with: Array("<table".utf8))
    }

    private static func firstNUL(_ bytes: [UInt8], from start: Int, limit: Int) -> Int? {
        let end = min(bytes.count, start + limit)
        return bytes[start..<end].firstIndex(of: 0)
    }

    /// 1-based text line containing byte offset `offset`.
    static func lineNumber(of offset: Int, in bytes: [UInt8], from start: Int) -> Int {
        var line = 1
        var i = start
        while i < offset {
            let b = bytes[i]
            if b == ASCII.lf || (b == ASCII.cr && !(i + 1 < bytes.count && bytes[i + 1] == ASCII.lf)) { line += 1 }
            i += 1
        }
        return line
    }

    /// Offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates
    /// and code points above U+10FFFF rejected), or nil. ASCII runs are skipped eight bytes at a time.
    static func firstInvalidUTF8(_ bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBytes { raw -> Int? in
            let n = raw.count
            var i = start
            while i < n {
                if i + 8 <= n {
                    let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
                }
                let b0 = raw[i]
                if b0 < 0x80 { i += 1; continue }
                let length: Int
                var lower: UInt8 = 0x80
                var upper: UInt8 = 0xBF
                switch b0 {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; upper = 0x9F
                case 0xF0: length = 4; lower = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; upper = 0x8F
                default: return i
                }
                guard i + length <= n else { return i }
                let b1 = raw[i + 1]
                guard b1 >= lower && b1 <= upper else { return i }
                for k in 2..<length where raw[i + k] & 0xC0 != 0x80 { return i }
                i += length
            }
            return nil
        }
    }

    private static func decodeUTF16(_ bytes: [UInt8], from start: Int, bigEndian: Bool, file: String) -> Outcome {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = start
        while i + 1 < bytes.count {
            let unit = bigEndian ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i])
            units.append(unit)
            i += 2
        }
        var out: [UInt8] = []
        out.reserveCapacity(units.count * 2)
        var line = 1
        var badLine: Int?
        var iterator = units.makeIterator()
        var decoder = UTF16()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1 }
                if scalar == "\0" { badLine = badLine ?? line }
                UTF8.encode(scalar) { out.append($0) }
            case .emptyInput:
                break decoding
            case .error:
                badLine = badLine ?? line
                break decoding
            }
        }
        let location = SourceLocation(file: file, line: badLine ?? 1)
        if bytes.count % 2 != 0 || badLine != nil {
            return .rejected(Diagnostic(.error, .encoding, at: location, LocalizedText(
                vi: "Tệp có dấu BOM UTF-16 nhưng nội dung không phải UTF-16 hợp lệ (dòng \(location.line)).",
                en: "The file starts with a UTF-16 byte-order mark but is not valid UTF-16 (line \(location.line)).")))
        }
        // Text typed on macOS or with the Windows Vietnamese keyboard may be decomposed.
        let composed = Array(String(decoding: out, as: UTF8.self).precomposedStringWithCanonicalMapping.utf8)
        return .text(DecodedText(bytes: composed, start: 0, encoding: bigEndian ? .utf16BE : .utf16LE))
    }
}
