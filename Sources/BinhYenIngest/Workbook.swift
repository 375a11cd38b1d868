import BinhYenCore
import Foundation
import ZIPFoundation

/// Limits that keep a hostile or broken `.xlsx` file from using unbounded time or memory.
///
/// Each one is checked before any byte of a part is inflated (from the sizes the ZIP
/// central directory declares) and again while it is inflated (from the bytes actually
/// produced, since declared sizes can lie); crossing one stops the reading of the file with
/// an `unreadableFile` error that names the limit.
public struct WorkbookLimits: Sendable, Hashable {
    /// Most ZIP entries (a workbook of a few sheets has about 15).
    public var maxEntries: Int
    /// Most bytes one part may inflate to.
    public var maxEntryBytes: Int
    /// Most bytes all parts read may inflate to together.
    public var maxTotalBytes: Int
    /// Highest ratio of inflated to compressed size, for parts larger than `ratioFloorBytes`
    /// (sheet XML compresses about 10–30 times; zip bombs 1,000 times and more).
    public var maxCompressionRatio: Int
    /// Parts smaller than this are not held to the compression ratio.
    public var ratioFloorBytes: Int
    /// Deepest element nesting of a part (a worksheet needs 7).
    public var maxXMLDepth: Int
    /// Most non-empty cells of one sheet.
    public var maxCells: Int

    /// Defaults: 10,000 entries, 512 MiB a part, 1 GiB in all, ratio 250 above 1 MiB, depth 64,
    /// 20 million cells a sheet.
    public init(maxEntries: Int = 10_000, maxEntryBytes: Int = 512 << 20, maxTotalBytes: Int = 1 << 30,
                maxCompressionRatio: Int = 250, ratioFloorBytes: Int = 1 << 20, maxXMLDepth: Int = 64,
                maxCells: Int = 20_000_000) {
        self.maxEntries = maxEntries
        self.maxEntryBytes = maxEntryBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioFloorBytes = ratioFloorBytes
        self.maxXMLDepth = maxXMLDepth
        self.maxCells = maxCells
    }
}

/// Why a workbook could not be read: a message for the user.
struct WorkbookProblem: Error {
    var code: DiagnosticCode
    var message: LocalizedText

    static func unreadable(_ vi: String, _ en: String) -> WorkbookProblem {
        WorkbookProblem(code: .unreadableFile, message: LocalizedText(vi: vi, en: en))
    }

    static func xml(_ error: XMLScanError, part: String) -> WorkbookProblem {
        switch error {
        case .documentTypeDeclaration:
            return .unreadable("Phần “\(part)” của bảng tính có khai báo DTD (<!DOCTYPE>); BinhYen không đọc DTD và thực thể tự định nghĩa (phòng tệp độc hại kiểu “billion laughs”).",
                               "Part “\(part)” of the workbook has a document type declaration (<!DOCTYPE>); BinhYen never reads DTDs or custom entities (a guard against “billion laughs” files).")
        case .undeclaredEntity(let name):
            return .unreadable("Phần “\(part)” dùng thực thể “&\(name);” không được phép (chỉ chấp nhận &lt; &gt; &amp; &quot; &apos; và mã ký tự).",
                               "Part “\(part)” uses the entity “&\(name);”, which is not allowed (only &lt; &gt; &amp; &quot; &apos; and character references are).")
        case .tooDeep(let limit):
            return .unreadable("Phần “\(part)” lồng thẻ XML sâu quá \(limit) mức.", "Part “\(part)” nests XML elements deeper than \(limit) levels.")
        case .tokenTooLong(let limit):
            return .unreadable("Phần “\(part)” có một thẻ XML dài quá \(limit) byte.", "Part “\(part)” has an XML tag longer than \(limit) bytes.")
        case .unsupportedEncoding:
            return .unreadable("Phần “\(part)” không phải XML UTF-8.", "Part “\(part)” is not UTF-8 XML.")
        case .malformed(let reason):
            return .unreadable("Phần “\(part)” của bảng tính bị hỏng (XML sai: \(reason)).", "Part “\(part)” of the workbook is damaged (bad XML: \(reason)).")
        }
    }
}

/// One worksheet read into memory: cell texts in the workbook's byte arena, by row.
struct SheetTable {
    struct Cell {
        /// 0-based column.
        var column: Int32
        var start: Int32
        var length: Int32
    }

    struct Row {
        /// 1-based row number as Excel shows it.
        var number: Int
        var cells: Range<Int>
    }

    /// A merged range, 1-based rows and 0-based columns, inclusive.
    struct Merge {
        var firstRow: Int
        var lastRow: Int
        var firstColumn: Int
        var lastColumn: Int
    }

    var name: String
    var rows: [Row] = []
    var cells: [Cell] = []
    var merges: [Merge] = []
}

/// A workbook's sheets: every cell value as UTF-8 text in one arena.
///
/// Cell values become the text a user sees in Excel where it matters to BinhYen: shared,
/// inline and rich-text strings (runs joined, phonetic runs dropped, `_xHHHH_` escapes
/// decoded); numbers in their shortest exact form ("3", "2.5"; an integral value of a formula
/// such as 3.0000000000000004 as "3"); dates (cells with a date number format: built-in
/// formats 14–22, 27–36, 45–47, 50–58, or a custom format with day, month, year or hour
/// codes) as `yyyy-mm-dd`, with ` hh:mm` when there is a time; booleans as TRUE/FALSE;
/// errors as written (#N/A, #DIV/0!).
struct Workbook {
    var arena: [UInt8] = []
    var sheets: [SheetTable] = []
    /// Sheets left out (hidden, chart sheets), with the reason.
    var skipped: [(name: String, reason: LocalizedText)] = []
    var date1904 = false

    /// Reads the workbook in `bytes`. `sheet` selects one sheet by name (compared loosely) or
    /// 1-based number; nil reads every visible worksheet.
    static func read(_ bytes: [UInt8], sheet: String?, limits: WorkbookLimits) -> Result<Workbook, WorkbookProblem> {
        do {
            var reader = try PartReader(bytes: bytes, limits: limits)
            return .success(try reader.workbook(selecting: sheet))
        } catch let problem as WorkbookProblem {
            return .failure(problem)
        } catch {
            return .failure(.unreadable("Không mở được bảng tính: tệp ZIP hỏng (\(error)).", "Cannot open the workbook: damaged ZIP file (\(error))."))
        }
    }
}

/// Reads the parts of an OOXML package with the limits applied.
private struct PartReader {
    let archive: Archive
    let limits: WorkbookLimits
    var entries: [String: Entry] = [:]
    var totalBytes = 0

    init(bytes: [UInt8], limits: WorkbookLimits) throws {
        self.limits = limits
        archive = try Self.openArchive(bytes)
        var count = 0
        for entry in archive {
            count += 1
            if count > limits.maxEntries {
                throw WorkbookProblem.unreadable("Tệp ZIP có hơn \(limits.maxEntries) mục: không phải bảng tính bình thường, không đọc.",
                                                 "The ZIP file has more than \(limits.maxEntries) entries: not an ordinary workbook; not read.")
            }
            if entries[entry.path] == nil { entries[entry.path] = entry }
        }
    }

    /// `bytes` as a ZIP archive read from an unlinked temporary file.
    ///
    /// Not `Archive(data:)`: ZIPFoundation 0.9.20's in-memory archives trap ("Range requires
    /// lowerBound <= upperBound") when an offset in the ZIP structures points past the end of the
    /// data, as in a truncated or damaged workbook (found by the FuzzWorkbook fuzz target; see
    /// weichsel/ZIPFoundation pull request 394). Its file-backed archives read short there and
    /// report a damaged archive. The file is removed as soon as the archive has opened it.
    private static func openArchive(_ bytes: [UInt8]) throws -> Archive {
        var template = Array((FileManager.default.temporaryDirectory.path + "/binhyen-workbook-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard descriptor >= 0 else {
            throw WorkbookProblem.unreadable("Không tạo được tệp tạm để đọc bảng tính: \(String(cString: strerror(errno))).",
                                             "Cannot create a temporary file to read the workbook: \(String(cString: strerror(errno))).")
        }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        var written = 0
        var failure = ""
        bytes.withUnsafeBytes { raw in
            while written < raw.count, let base = raw.baseAddress {
                let result = write(descriptor, base + written, raw.count - written)
                guard result > 0 else {
                    failure = String(cString: strerror(errno))
                    break
                }
                written += result
            }
        }
        close(descriptor)
        guard written == bytes.count else {
            throw WorkbookProblem.unreadable("Không ghi được tệp tạm để đọc bảng tính: \(failure).",
                                             "Cannot write a temporary file to read the workbook: \(failure).")
        }
        return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    }

    /// Inflates part `path` through `scanner` into `handler`; false when there is no such part.
    @discardableResult
    mutating func scan<H: XMLHandler>(_ path: String, into handler: inout H) throws -> Bool {
        guard let entry = entries[path] else { return false }
        let declared = entry.uncompressedSize
        let compressed = max(entry.compressedSize, 1)
        let megabytes = { (n: UInt64) in String(format: "%.1f", Double(n) / 1_048_576) }
        if declared > UInt64(limits.maxEntryBytes) {
            throw WorkbookProblem.unreadable(
                "Phần “\(path)” giải nén ra \(megabytes(declared)) MB, vượt giới hạn \(limits.maxEntryBytes >> 20) MB: không đọc (có thể là tệp “bom nén”).",
                "Part “\(path)” inflates to \(megabytes(declared)) MB, over the \(limits.maxEntryBytes >> 20) MB limit: not read (possibly a zip bomb).")
        }
        if declared > UInt64(limits.ratioFloorBytes), declared / compressed > UInt64(limits.maxCompressionRatio) {
            throw WorkbookProblem.unreadable(
                "Phần “\(path)” có tỉ lệ nén \(declared / compressed):1, vượt giới hạn \(limits.maxCompressionRatio):1: không đọc (có thể là tệp “bom nén”).",
                "Part “\(path)” has a compression ratio of \(declared / compressed):1, over the \(limits.maxCompressionRatio):1 limit: not read (possibly a zip bomb).")
        }
        if UInt64(totalBytes) + declared > UInt64(limits.maxTotalBytes) {
            throw totalProblem()
        }
        var scanner = XMLScanner(maxDepth: limits.maxXMLDepth)
        var produced = 0
        let entryLimit = min(Int(clamping: declared), limits.maxEntryBytes)
        let totalLimit = limits.maxTotalBytes - totalBytes
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { data in
                produced += data.count
                if produced > entryLimit {
                    throw WorkbookProblem.unreadable(
                        "Phần “\(path)” giải nén ra nhiều hơn kích thước ghi trong tệp ZIP (\(declared) byte): tệp hỏng hoặc độc hại, không đọc.",
                        "Part “\(path)” inflates to more than the size its ZIP header declares (\(declared) bytes): damaged or hostile; not read.")
                }
                if produced > totalLimit { throw totalProblem() }
                try data.withUnsafeBytes { try scanner.feed($0, into: &handler) }
            }
            try scanner.finish(into: &handler)
        } catch let error as XMLScanError {
            throw WorkbookProblem.xml(error, part: path)
        }
        totalBytes += produced
        return true
    }

    private func totalProblem() -> WorkbookProblem {
        .unreadable("Các phần của bảng tính giải nén ra hơn \(limits.maxTotalBytes >> 20) MB: không đọc (có thể là tệp “bom nén”).",
                    "The parts of the workbook inflate to more than \(limits.maxTotalBytes >> 20) MB: not read (possibly a zip bomb).")
    }

    /// `target` of a relationship of `source` (a part path) as a part path.
    static func resolve(_ target: String, relativeTo source: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = source.split(separator: "/").dropLast().map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }

    static func relationshipsPath(of part: String) -> String {
        var parts = part.split(separator: "/").map(String.init)
        let name = parts.popLast() ?? ""
        return (parts + ["_rels", name + ".rels"]).joined(separator: "/")
    }

    mutating func workbook(selecting wanted: String?) throws -> Workbook {
        var root = RelationshipsHandler()
        try scan("_rels/.rels", into: &root)
        let workbookPath = root.relationships.first { $0.type.hasSuffix("/officeDocument") }.map { Self.resolve($0.target, relativeTo: "") }
            ?? "xl/workbook.xml"
        var book = WorkbookHandler()
        guard try scan(workbookPath, into: &book) else {
            if entries["content.xml"] != nil {
                throw WorkbookProblem(code: .wrongFileType, message: LocalizedText(
                    vi: "Đây là bảng tính OpenDocument (.ods), không phải .xlsx: hãy lưu lại dạng Excel (.xlsx) hoặc “CSV UTF-8”.",
                    en: "This is an OpenDocument spreadsheet (.ods), not .xlsx: save it as Excel (.xlsx) or “CSV UTF-8”."))
            }
            throw WorkbookProblem(code: .wrongFileType, message: LocalizedText(
                vi: "Tệp ZIP này không phải bảng tính Excel (.xlsx): không có phần “\(workbookPath)”.",
                en: "This ZIP file is not an Excel workbook (.xlsx): it has no part “\(workbookPath)”."))
        }
        var relationships = RelationshipsHandler()
        try scan(Self.relationshipsPath(of: workbookPath), into: &relationships)
        var target: [String: (path: String, type: String)] = [:]
        for relationship in relationships.relationships {
            target[relationship.id] = (Self.resolve(relationship.target, relativeTo: workbookPath), relationship.type)
        }
        var result = Workbook()
        result.date1904 = book.date1904
        var strings = SharedStringsHandler()
        if let path = relationships.relationships.first(where: { $0.type.hasSuffix("/sharedStrings") }).map({ Self.resolve($0.target, relativeTo: workbookPath) }) {
            try scan(path, into: &strings)
        }
        result.arena = strings.arena
        var styles = StylesHandler()
        if let path = relationships.relationships.first(where: { $0.type.hasSuffix("/styles") }).map({ Self.resolve($0.target, relativeTo: workbookPath) }) {
            try scan(path, into: &styles)
        }
        let dateStyles = styles.dateStyles()

        var chosen = book.sheets.indices.map { $0 }
        if let wanted {
            let key = TextKey.loose(wanted)
            if let number = Int(wanted.trimmingWhitespace()), (1...book.sheets.count).contains(number),
               !book.sheets.contains(where: { TextKey.loose($0.name) == key }) {
                chosen = [number - 1]
            } else {
                chosen = book.sheets.indices.filter { TextKey.loose(book.sheets[$0].name) == key }
            }
            if chosen.isEmpty {
                let names = book.sheets.map { "“\($0.name)”" }.joined(separator: ", ")
                throw WorkbookProblem(code: .missingColumn, message: LocalizedText(
                    vi: "Bảng tính không có trang “\(wanted)” (--sheet). Các trang: \(names).",
                    en: "The workbook has no sheet “\(wanted)” (--sheet). Its sheets: \(names)."))
            }
        }
        for index in chosen {
            let sheet = book.sheets[index]
            guard let part = target[sheet.relationship], part.type.hasSuffix("/worksheet") else {
                result.skipped.append((sheet.name, LocalizedText(vi: "không phải trang dữ liệu (trang biểu đồ)", en: "not a worksheet (a chart sheet)")))
                continue
            }
            if sheet.hidden && wanted == nil {
                result.skipped.append((sheet.name, LocalizedText(vi: "trang bị ẩn (dùng --sheet để đọc)", en: "hidden sheet (use --sheet to read it)")))
                continue
            }
            var handler = WorksheetHandler(name: sheet.name, arena: result.arena, strings: strings.strings,
                                           dateStyles: dateStyles, date1904: book.date1904, maxCells: limits.maxCells)
            result.arena = []
            do {
                guard try scan(part.path, into: &handler) else {
                    throw WorkbookProblem.unreadable("Thiếu phần “\(part.path)” của trang “\(sheet.name)”.", "Part “\(part.path)” of sheet “\(sheet.name)” is missing.")
                }
            } catch {
                result.arena = handler.arena
                throw error
            }
            result.arena = handler.arena
            result.sheets.append(handler.table)
        }
        return result
    }
}

// MARK: Handlers of the workbook parts

private struct Relationship {
    var id: String
    var target: String
    var type: String
}

private struct RelationshipsHandler: XMLHandler {
    var relationships: [Relationship] = []

    mutating func start(_ tag: XMLTag) throws {
        guard tag.isNamed("Relationship"), let id = tag.attribute("Id"), let target = tag.attribute("Target") else { return }
        if tag.attribute("TargetMode") == "External" { return }
        relationships.append(Relationship(id: id, target: target, type: tag.attribute("Type") ?? ""))
    }

    mutating func end(_ name: UnsafeRawBufferPointer) throws {}
    mutating func text(_ bytes: UnsafeRawBufferPointer) throws {}
}

private struct WorkbookHandler: XMLHandler {
    struct Sheet {
        var name: String
        var relationship: String
        var hidden: Bool
    }

    var sheets: [Sheet] = []
    var date1904 = false

    mutating func start(_ tag: XMLTag) throws {
        if tag.isNamed("sheet"), let name = tag.attribute("name"), let id = tag.attribute("id") {
            let state = tag.attribute("state") ?? "visible"
            sheets.append(Sheet(name: TextKey.nfc(name), relationship: id, hidden: state != "visible"))
        } else if tag.isNamed("workbookPr"), let value = tag.attribute("date1904") {
            date1904 = value == "1" || value.lowercased() == "true"
        }
    }

    mutating func end(_ name: UnsafeRawBufferPointer) throws {}
    mutating func text(_ bytes: UnsafeRawBufferPointer) throws {}
}

/// OOXML's `_xHHHH_` escape (ECMA-376 Part 1 §22.9.2.19): decoded in place at the end of `bytes`.
enum OOXMLEscapes {
    static func decode(_ bytes: inout [UInt8], from start: Int) {
        guard bytes[start...].contains(UInt8(ascii: "_")) else { return }
        var out: [UInt8] = []
        var i = start
        let n = bytes.count
        while i < n {
            if bytes[i] == UInt8(ascii: "_"), i + 6 < n, bytes[i + 1] == UInt8(ascii: "x"), bytes[i + 6] == UInt8(ascii: "_"),
               let value = UInt32(String(decoding: bytes[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16),
               let scalar = Unicode.Scalar(value) {
                UTF8.encode(scalar) { out.append($0) }
                i += 7
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        bytes.replaceSubrange(start..., with: out)
    }
}

private struct SharedStringsHandler: XMLHandler {
    var arena: [UInt8] = []
    /// Start and length of each shared string in `arena`.
    var strings: [(start: Int32, length: Int32)] = []
    private var itemStart = -1
    private var inText = false
    private var phoneticDepth = 0

    mutating func start(_ tag: XMLTag) throws {
        if tag.isNamed("si") {
            itemStart = arena.count
        } else if tag.isNamed("rPh") {
            phoneticDepth += 1
        } else if tag.isNamed("t") {
            inText = itemStart >= 0 && phoneticDepth == 0
        }
    }

    mutating func end(_ name: UnsafeRawBufferPointer) throws {
        if XMLNames.equal(name, "t") {
            inText = false
        } else if XMLNames.equal(name, "rPh") {
            phoneticDepth = max(0, phoneticDepth - 1)
        } else if XMLNames.equal(name, "si"), itemStart >= 0 {
            OOXMLEscapes.decode(&arena, from: itemStart)
            guard arena.count < Int(Int32.max) else { throw XMLScanError.tokenTooLong(limit: Int(Int32.max)) }
            strings.append((Int32(itemStart), Int32(arena.count - itemStart)))
            itemStart = -1
        }
    }

    mutating func text(_ bytes: UnsafeRawBufferPointer) throws {
        if inText { arena.append(contentsOf: bytes) }
    }
}

private struct StylesHandler: XMLHandler {
    var customFormats: [Int: String] = [:]
    var cellFormats: [Int] = []
    private var inCellXfs = false

    mutating func start(_ tag: XMLTag) throws {
        if tag.isNamed("numFmt"), let id = tag.attribute("numFmtId").flatMap({ Int($0) }) {
            customFormats[id] = tag.attribute("formatCode") ?? ""
        } else if tag.isNamed("cellXfs") {
            inCellXfs = true
        } else if inCellXfs, tag.isNamed("xf") {
            cellFormats.append(tag.attribute("numFmtId").flatMap { Int($0) } ?? 0)
        }
    }

    mutating func end(_ name: UnsafeRawBufferPointer) throws {
        if XMLNames.equal(name, "cellXfs") { inCellXfs = false }
    }

    mutating func text(_ bytes: UnsafeRawBufferPointer) throws {}

    /// For each cell style index, whether its number format shows a date or time.
    func dateStyles() -> [Bool] {
        cellFormats.map { id in
            if let code = customFormats[id] { return NumberFormats.isDate(code) }
            return NumberFormats.builtinDateIDs.contains(id)
        }
    }
}

/// Number formats that show dates (ECMA-376 Part 1 §18.8.30).
enum NumberFormats {
    /// Built-in date and time formats: 14–22 (all locales), 27–36 and 50–58 (East Asian
    /// locales), 45–47 (minutes and seconds).
    static let builtinDateIDs: Set<Int> = Set(Array(14...22) + Array(27...36) + Array(45...47) + Array(50...58))

    /// Whether a format code shows a date or time: after removing quoted text, escaped
    /// characters and bracketed parts other than elapsed time ([h], [mm], [ss]), the first
    /// section holds d, m, y, h or s (any case). "General", "0.00", "#,##0" are not dates.
    static func isDate(_ code: String) -> Bool {
        let section = code.split(separator: ";", omittingEmptySubsequences: false).first.map(String.init) ?? code
        var kept: [Character] = []
        var characters = Array(section)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c == "\"" {
                i += 1
                while i < characters.count && characters[i] != "\"" { i += 1 }
            } else if c == "\\" || c == "_" || c == "*" {
                i += 1
            } else if c == "[" {
                var j = i + 1
                while j < characters.count && characters[j] != "]" { j += 1 }
                let inside = String(characters[min(i + 1, characters.count)..<min(j, characters.count)]).lowercased()
                if !inside.isEmpty && inside.allSatisfy({ "hms".contains($0) }) { kept.append(contentsOf: inside) }
                i = j
            } else {
                kept.append(c)
            }
            i += 1
        }
        characters = kept
        if String(characters).lowercased().contains("general") { return false }
        return characters.contains { "dmyhsDMYHS".contains($0) }
    }
}

/// Builds a `SheetTable` from worksheet XML.
private struct WorksheetHandler: XMLHandler {
    var table: SheetTable
    var arena: [UInt8]
    let strings: [(start: Int32, length: Int32)]
    let dateStyles: [Bool]
    let date1904: Bool
    let maxCells: Int

    private var rowNumber = 0
    private var rowStart = 0
    private var inRow = false
    private var column = -1
    private var cellType: CellType = .number
    private var style = 0
    private var inCell = false
    private var collecting = false
    private var value: [UInt8] = []
    private var inlineDepth = 0
    private var phoneticDepth = 0

    private enum CellType {
        case number, shared, inline, formulaString, boolean, error, isoDate
    }

    init(name: String, arena: [UInt8], strings: [(start: Int32, length: Int32)], dateStyles: [Bool], date1904: Bool, maxCells: Int) {
        table = SheetTable(name: name)
        self.arena = arena
        self.strings = strings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.maxCells = maxCells
    }

    mutating func start(_ tag: XMLTag) throws {
        if tag.isNamed("c") {
            inCell = true
            value.removeAll(keepingCapacity: true)
            if let reference = tag.attribute("r"), let parsed = CellReference.parse(reference) {
                column = parsed.column
                if !inRow { rowNumber = parsed.row }
            } else {
                column += 1
            }
            switch tag.attribute("t") ?? "n" {
            case "s": cellType = .shared
            case "inlineStr": cellType = .inline
            case "str": cellType = .formulaString
            case "b": cellType = .boolean
            case "e": cellType = .error
            case "d": cellType = .isoDate
            default: cellType = .number
            }
            style = tag.attribute("s").flatMap { Int($0) } ?? 0
        } else if tag.isNamed("row") {
            inRow = true
            rowNumber = tag.attribute("r").flatMap { Int($0) } ?? rowNumber + 1
            rowStart = table.cells.count
            column = -1
        } else if inCell {
            if tag.isNamed("v") {
                collecting = cellType != .inline
            } else if tag.isNamed("is") {
                inlineDepth += 1
            } else if tag.isNamed("rPh") {
                phoneticDepth += 1
            } else if tag.isNamed("t") {
                collecting = inlineDepth > 0 && phoneticDepth == 0
            }
        } else if tag.isNamed("mergeCell"), let reference = tag.attribute("ref") {
            let corners = reference.split(separator: ":").compactMap { CellReference.parse(String($0)) }
            if corners.count == 2 {
                table.merges.append(SheetTable.Merge(firstRow: min(corners[0].row, corners[1].row), lastRow: max(corners[0].row, corners[1].row),
                                                     firstColumn: min(corners[0].column, corners[1].column),
                                                     lastColumn: max(corners[0].column, corners[1].column)))
            }
        }
    }

    mutating func end(_ name: UnsafeRawBufferPointer) throws {
        if XMLNames.equal(name, "c") {
            inCell = false
            collecting = false
            inlineDepth = 0
            phoneticDepth = 0
            try finishCell()
        } else if XMLNames.equal(name, "row") {
            inRow = false
            if table.cells.count > rowStart {
                table.rows.append(SheetTable.Row(number: rowNumber, cells: rowStart..<table.cells.count))
            }
        } else if XMLNames.equal(name, "v") || XMLNames.equal(name, "t") {
            collecting = false
        } else if XMLNames.equal(name, "is") {
            inlineDepth = max(0, inlineDepth - 1)
        } else if XMLNames.equal(name, "rPh") {
            phoneticDepth = max(0, phoneticDepth - 1)
        }
    }

    mutating func text(_ bytes: UnsafeRawBufferPointer) throws {
        if collecting { value.append(contentsOf: bytes) }
    }

    private mutating func finishCell() throws {
        guard column >= 0 else { return }
        if cellType == .shared {
            guard let index = Int(String(decoding: value, as: UTF8.self)), strings.indices.contains(index) else { return }
            let item = strings[index]
            if item.length > 0 { try add(start: Int(item.start), length: Int(item.length)) }
            return
        }
        guard !value.isEmpty else { return }
        let start = arena.count
        switch cellType {
        case .inline:
            arena.append(contentsOf: value)
            OOXMLEscapes.decode(&arena, from: start)
        case .formulaString, .error:
            arena.append(contentsOf: value)
        case .boolean:
            arena.append(contentsOf: (value == [UInt8(ascii: "1")] ? "TRUE" : "FALSE").utf8)
        case .isoDate:
            let text = String(decoding: value, as: UTF8.self)
            arena.append(contentsOf: text.replacingOccurrences(of: "T", with: " ").utf8)
        case .number:
            let isDate = style < dateStyles.count && dateStyles[style]
            arena.append(contentsOf: CellNumber.text(value, isDate: isDate, date1904: date1904).utf8)
        case .shared:
            return
        }
        try add(start: start, length: arena.count - start)
    }

    private mutating func add(start: Int, length: Int) throws {
        guard table.cells.count < maxCells, start + length < Int(Int32.max) else {
            throw WorkbookProblem.unreadable("Trang “\(table.name)” có quá \(maxCells) ô dữ liệu: không đọc.",
                                             "Sheet “\(table.name)” has more than \(maxCells) cells: not read.")
        }
        table.cells.append(SheetTable.Cell(column: Int32(column), start: Int32(start), length: Int32(length)))
    }
}

/// A1 references.
enum CellReference {
    /// Row (1-based) and column (0-based) of "C12"; nil when malformed.
    static func parse(_ reference: String) -> (row: Int, column: Int)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for scalar in reference.unicodeScalars {
            switch scalar {
            case "$":
                continue
            case "A"..."Z" where digits == 0:
                column = column * 26 + Int(scalar.value - 64)
                letters += 1
            case "a"..."z" where digits == 0:
                column = column * 26 + Int(scalar.value - 96)
                letters += 1
            case "0"..."9" where letters > 0:
                row = row * 10 + Int(scalar.value - 48)
                digits += 1
            default:
                return nil
            }
            if letters > 3 || digits > 7 { return nil }
        }
        guard letters > 0, digits > 0, row > 0 else { return nil }
        return (row, column - 1)
    }
}

/// The text of a numeric cell.
enum CellNumber {
    static func text(_ raw: [UInt8], isDate: Bool, date1904: Bool) -> String {
        let string = String(decoding: raw, as: UTF8.self)
        let isPlainInteger = !raw.isEmpty && raw.allSatisfy { $0 >= 0x30 && $0 <= 0x39 || $0 == 0x2D }
        if isPlainInteger && !isDate { return string }
        guard let value = Double(string), value.isFinite else { return string }
        if isDate, value >= 0, value < 2_958_466 {
            let days = value.rounded(.down)
            guard let date = CivilDate.fromExcelSerial(Int(days), date1904: date1904) else { return string }
            let seconds = Int(((value - days) * 86_400).rounded())
            if seconds == 0 || seconds >= 86_400 { return date.description }
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            return "\(date) \(two(seconds / 3600)):\(two(seconds / 60 % 60))"
        }
        let rounded = value.rounded()
        if abs(value) < 1e15, abs(value - rounded) <= 1e-9 * max(1, abs(value)) {
            return String(Int(rounded))
        }
        return String(format: "%.15g", value)
    }
}
