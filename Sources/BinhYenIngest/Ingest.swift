import BinhYenCore
import Foundation

/// What happened to the rows of one input file.
///
/// Invariant: `rowsRead == accepted + rejected + duplicates + skipped`. Blank rows and the rows
/// above the header (titles) are not counted. A row is
/// - `accepted` when at least one of its values went into the panel (an empty count cell is a
///   value: it records that the period is missing);
/// - `rejected` when none did because of an error (the diagnostics say which);
/// - `duplicates` when all its values repeat earlier identical rows (counted once);
/// - `skipped` when it is a subtotal row ("Cộng", "Tổng cộng", "Total").
/// In a wide row each series cell is judged alone: a row with some invalid cells and some
/// valid ones is accepted, and its invalid cells are counted in `rejectedValues`.
public struct FileAccount: Sendable, Hashable {
    /// The path or name as given.
    public var file: String
    /// The sheet of a workbook (one account per sheet); nil for text files.
    public var sheet: String?
    /// "long", "wide" or "incidents"; empty when the layout could not be determined.
    public var layout: String
    /// A `TextEncoding` raw value ("utf-8", "utf-8-bom", "utf-16le", "utf-16be",
    /// "windows-1258", "tcvn3", "vni", "xlsx"); empty when the file could not be decoded.
    public var encoding: String
    /// Confidence (0–1) of a detected legacy encoding; nil when none was guessed.
    public var encodingConfidence: Double?
    /// The detected delimiter ("," ";" "\t" "|"); empty when the file could not be decoded.
    public var delimiter: String
    /// Data rows read (below the header, not blank).
    public var rowsRead: Int
    /// Rows of which at least one value went into the panel.
    public var accepted: Int
    /// Rows of which no value was used because of errors.
    public var rejected: Int
    /// Rows whose values all repeat earlier identical rows.
    public var duplicates: Int
    /// Subtotal rows.
    public var skipped: Int
    /// Values rejected inside accepted wide rows, and values overruled by a conflict resolution.
    public var rejectedValues: Int

    /// `file[sheet]` or `file`: how the table is named in messages.
    public var name: String { sheet.map { "\(file)[\($0)]" } ?? file }

    /// An account; the counts default to zero (a file that could not be read).
    public init(file: String, sheet: String? = nil, layout: String = "", encoding: String = "", delimiter: String = "", rowsRead: Int = 0,
                accepted: Int = 0, rejected: Int = 0, duplicates: Int = 0, skipped: Int = 0, rejectedValues: Int = 0) {
        self.file = file
        self.sheet = sheet
        self.layout = layout
        self.encoding = encoding
        self.delimiter = delimiter
        self.rowsRead = rowsRead
        self.accepted = accepted
        self.rejected = rejected
        self.duplicates = duplicates
        self.skipped = skipped
        self.rejectedValues = rejectedValues
    }
}

/// The outcome of reading input files: the merged panel, every finding, and per-file accounts.
public struct IngestResult: Sendable {
    /// Every series of every file, merged.
    public var panel: Panel
    /// Every finding, ordered by file (in reading order), line and column; then the summaries
    /// of diagnostics over `IngestOptions.maxDiagnosticsPerKind` ("… and N more").
    public var diagnostics: [Diagnostic]
    /// One account per file (per sheet of a workbook), in reading order.
    public var accounts: [FileAccount]
    /// Every rejected row with its cells and reasons, when `IngestOptions.collectRejectedRows` is set.
    public var rejectedRows: [RejectedRow]

    /// A result made of its parts.
    public init(panel: Panel, diagnostics: [Diagnostic], accounts: [FileAccount], rejectedRows: [RejectedRow] = []) {
        self.panel = panel
        self.diagnostics = diagnostics
        self.accounts = accounts
        self.rejectedRows = rejectedRows
    }

    /// True when any diagnostic is an error (analysis commands then refuse to run unless `--skip-invalid`).
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads CSV/TSV files and `.xlsx` workbooks into one `Panel` (SPEC §2–4).
///
/// Never throws and never stops on bad data: every problem becomes a `Diagnostic` with file,
/// sheet, line, column and heading, in Vietnamese and English. Files are read in the order
/// given; folders are searched recursively for `*.csv`, `*.tsv`, `*.txt`, `*.xlsx` and `*.xlsm`
/// (sorted by path, hidden files and Office lock files `~$…` skipped). Text files are decoded
/// by `TextDecoder` (UTF-8, UTF-16, or a detected legacy encoding), workbooks by `Workbook`
/// (each sheet a table of its own). See `DelimitedTableReader` for the table rules,
/// `CountParser` for the values accepted, `IncidentReader` for incident lists, `PanelBuilder`
/// for merging, `VillageRegistry` and `Crosswalk` for the side files.
public enum Ingest {
    /// File name extensions read from folders.
    public static let extensions: Set<String> = ["csv", "tsv", "txt", "xlsx", "xlsm"]

    /// Whether `bytes` are an OOXML workbook to read as such: a ZIP file named .xlsx or .xlsm.
    static func isWorkbook(_ bytes: [UInt8], name: String) -> Bool {
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return (ext == "xlsx" || ext == "xlsm") && bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    /// Reads files and folders.
    public static func read(paths: [String], options: IngestOptions = IngestOptions()) -> IngestResult {
        var session = Session(options: options)
        var seen = Set<String>()
        for path in paths {
            for file in expand(path, log: &session.builder.log) {
                let canonical = URL(fileURLWithPath: file).standardizedFileURL.path
                guard seen.insert(canonical).inserted else {
                    session.builder.log.add(Diagnostic(.warning, .skipped, at: SourceLocation(file: file, line: 0), LocalizedText(
                        vi: "Tệp được nêu hai lần; chỉ đọc một lần.", en: "The file is given twice; it is read once.")))
                    continue
                }
                switch loadFile(file) {
                case .success(let bytes): session.read(bytes: bytes, name: file)
                case .failure(let problem):
                    session.builder.log.add(problem.diagnostic)
                    session.add(FileAccount(file: file))
                }
            }
        }
        return session.finish()
    }

    /// Reads one in-memory file; `name` is used in diagnostics (and its extension is not needed).
    public static func read(bytes: [UInt8], name: String, options: IngestOptions = IngestOptions()) -> IngestResult {
        read(sources: [(name, bytes)], options: options)
    }

    /// Reads several in-memory files into one panel, in order.
    public static func read(sources: [(name: String, bytes: [UInt8])], options: IngestOptions = IngestOptions()) -> IngestResult {
        var session = Session(options: options)
        for source in sources { session.read(bytes: source.bytes, name: source.name) }
        return session.finish()
    }

    /// The files a path stands for: itself, or the delimited-text files under a folder.
    static func expand(_ path: String, log: inout DiagnosticLog) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            log.add(Diagnostic(.error, .unreadableFile, at: SourceLocation(file: path, line: 0), LocalizedText(
                vi: "Không tìm thấy tệp hoặc thư mục.", en: "No such file or folder.")))
            return []
        }
        guard isDirectory.boolValue else { return [path] }
        let base = URL(fileURLWithPath: path)
        var files: [String] = []
        if let walker = FileManager.default.enumerator(atPath: path) {
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                let ext = (name as NSString).pathExtension.lowercased()
                guard !name.hasPrefix("."), !name.hasPrefix("~$"), extensions.contains(ext) else { continue }
                let full = base.appendingPathComponent(relative).path
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue {
                    files.append(path.hasSuffix("/") ? path + relative : path + "/" + relative)
                }
            }
        }
        if files.isEmpty {
            log.add(Diagnostic(.warning, .emptyFile, at: SourceLocation(file: path, line: 0), LocalizedText(
                vi: "Thư mục không có tệp .csv, .tsv, .txt hoặc .xlsx nào.", en: "The folder holds no .csv, .tsv, .txt or .xlsx file.")))
        }
        return files.sorted()
    }

    struct LoadProblem: Error {
        var diagnostic: Diagnostic

        /// A file that cannot be read for `reason` (the system's words).
        init(_ path: String, reason: String) {
            diagnostic = Diagnostic(.error, .unreadableFile, at: SourceLocation(file: path, line: 0), LocalizedText(
                vi: "Không đọc được tệp: \(reason).", en: "Cannot read the file: \(reason)."))
        }

        init(_ path: String, _ message: LocalizedText) {
            diagnostic = Diagnostic(.error, .unreadableFile, at: SourceLocation(file: path, line: 0), message)
        }

        static func tooLarge(_ path: String, size: Int) -> LoadProblem {
            let megabytes = size >> 20
            return LoadProblem(path, LocalizedText(
                vi: "Tệp lớn hơn giới hạn 2048 MB (ít nhất \(megabytes) MB): không đọc.",
                en: "The file is over the 2048 MB limit (at least \(megabytes) MB): not read."))
        }

        static func changed(_ path: String, expected: Int, found: Int) -> LoadProblem {
            let what = found < expected
                ? LocalizedText(vi: "ngắn đi (còn \(found) trong \(expected) byte)", en: "shrank (\(found) of \(expected) bytes left)")
                : LocalizedText(vi: "dài thêm (hơn \(expected) byte)", en: "grew (past \(expected) bytes)")
            return LoadProblem(path, LocalizedText(
                vi: "Tệp thay đổi trong khi đang đọc: \(what.vi). Có chương trình khác đang ghi tệp; hãy chạy lại khi ghi xong.",
                en: "The file changed while it was being read: it \(what.en). Another program is writing it; run again when it has finished."))
        }
    }

    /// Largest input file read (2 GiB), regular file or pipe: beyond it the file is refused
    /// before it is read, so that memory stays bounded.
    static let maxFileBytes = 2 << 30

    /// The bytes of a file, read in one piece.
    ///
    /// A regular file is read to the size it had when opened, and must end there: a file that
    /// another program truncates or appends to while it is read is refused (`unreadableFile`),
    /// never read half old, half new. Pipes and devices (`<(command)`, `/dev/stdin`) are read to
    /// their end. Both are limited to `maxFileBytes`.
    static func loadFile(_ path: String) -> Result<[UInt8], LoadProblem> {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(LoadProblem(path, reason: String(cString: strerror(errno)))) }
        defer { Glibc.close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(LoadProblem(path, reason: String(cString: strerror(errno)))) }
        guard status.st_mode & S_IFMT == S_IFREG else { return readStream(descriptor, path: path) }
        return readRegular(descriptor, size: Int(status.st_size), path: path)
    }

    /// Reads a regular file of `size` bytes (its size when opened), refusing it when it is
    /// over `maxFileBytes` or does not end exactly there.
    static func readRegular(_ descriptor: Int32, size: Int, path: String) -> Result<[UInt8], LoadProblem> {
        guard size <= maxFileBytes else { return .failure(LoadProblem.tooLarge(path, size: size)) }
        var failure: Int32 = 0
        // One byte of room past `size`, to see whether the file has grown.
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            while initialized < size + 1 {
                let got = Glibc.read(descriptor, base + initialized, size + 1 - initialized)
                if got < 0 && errno == EINTR { continue }
                if got < 0 { failure = errno; return }
                if got == 0 { return }
                initialized += got
            }
        }
        if failure != 0 { return .failure(LoadProblem(path, reason: String(cString: strerror(failure)))) }
        guard bytes.count == size else { return .failure(LoadProblem.changed(path, expected: size, found: bytes.count)) }
        return .success(bytes)
    }

    /// Reads a pipe or device to its end, refusing it past `maxFileBytes`.
    static func readStream(_ descriptor: Int32, path: String) -> Result<[UInt8], LoadProblem> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 { return .failure(LoadProblem(path, reason: String(cString: strerror(errno)))) }
            if got == 0 { return .success(bytes) }
            guard bytes.count + got <= maxFileBytes else { return .failure(LoadProblem.tooLarge(path, size: bytes.count + got)) }
            bytes.append(contentsOf: chunk[0..<got])
        }
    }

    /// Reading state shared by the files of one call.
    struct Session {
        var builder: PanelBuilder
        var accounts: [FileAccount] = []
        /// The builder's numbers of each file's rows, parallel to `accounts`.
        var rowRanges: [Range<Int32>] = []
        /// Lines of the rows each table rejected while reading, parallel to `accounts`.
        var rejectedLines: [[Int]] = []
        /// The text of each table, kept for `rejectedRows` when asked for, parallel to `accounts`.
        var texts: [RetainedText?] = []
        var crosswalk: Crosswalk?

        init(options: IngestOptions) {
            var log = DiagnosticLog(cap: options.maxDiagnosticsPerKind)
            let registry = options.villages.flatMap { VillageRegistry.read($0, options: options, log: &log) }
            crosswalk = options.crosswalk.flatMap { Crosswalk.read($0, options: options, log: &log) }
            builder = PanelBuilder(options: options, registry: registry, log: log)
        }

        mutating func read(bytes: [UInt8], name: String) {
            if Ingest.isWorkbook(bytes, name: name) {
                readWorkbook(bytes, name: name)
                return
            }
            switch TextDecoder.decode(bytes, file: name, encoding: builder.options.encoding) {
            case .rejected(let diagnostic):
                builder.log.add(diagnostic)
                add(FileAccount(file: name))
            case .text(let decoded):
                if let confidence = decoded.confidence {
                    let percent = Int((confidence * 100).rounded())
                    builder.log.add(Diagnostic(.note, .encoding, at: SourceLocation(file: name, line: 1), LocalizedText(
                        vi: "Tệp không phải UTF-8: đọc theo bảng mã \(decoded.encoding.rawValue) (độ tin cậy \(percent)%); dùng --encoding nếu sai.",
                        en: "The file is not UTF-8: read as \(decoded.encoding.rawValue) (confidence \(percent)%); use --encoding if that is wrong.")))
                }
                let first = builder.rowsBegun
                var lines: [Int] = []
                let account = DelimitedTableReader.read(decoded, file: name, builder: &builder, rejectedLines: &lines)
                let retained = builder.options.collectRejectedRows ? RetainedText.delimited(decoded) : nil
                add(account, rows: account.layout == TableLayout.incidents.rawValue ? 0..<0 : first..<builder.rowsBegun,
                    rejectedLines: lines, text: retained)
            }
        }

        private mutating func readWorkbook(_ bytes: [UInt8], name: String) {
            let book: Workbook
            switch Workbook.read(bytes, sheet: builder.options.sheet, limits: builder.options.workbookLimits) {
            case .failure(let problem):
                builder.log.add(Diagnostic(.error, problem.code, at: SourceLocation(file: name, line: 0), problem.message))
                add(FileAccount(file: name, encoding: TextEncoding.xlsx.rawValue))
                return
            case .success(let read): book = read
            }
            for (sheet, reason) in book.skipped {
                builder.log.add(Diagnostic(.note, .skipped, at: SourceLocation(file: name, sheet: sheet, line: 0), LocalizedText(
                    vi: "Bỏ qua trang “\(sheet)”: \(reason.vi).", en: "Sheet “\(sheet)” skipped: \(reason.en).")))
            }
            let tables = book.sheets.filter { !$0.rows.isEmpty }
            for sheet in book.sheets where sheet.rows.isEmpty {
                builder.log.add(Diagnostic(.note, .skipped, at: SourceLocation(file: name, sheet: sheet.name, line: 0), LocalizedText(
                    vi: "Trang “\(sheet.name)” trống.", en: "Sheet “\(sheet.name)” is empty.")))
            }
            if tables.isEmpty {
                builder.log.add(Diagnostic(.error, .emptyFile, at: SourceLocation(file: name, line: 0), LocalizedText(
                    vi: "Bảng tính không có trang nào có số liệu.", en: "The workbook has no sheet with data.")))
                add(FileAccount(file: name, encoding: TextEncoding.xlsx.rawValue))
                return
            }
            // In a workbook of several sheets, a sheet without a table (instructions, lists) is
            // skipped with a warning; it is an error only when no sheet has a table.
            let firstAccount = accounts.count
            book.arena.withUnsafeBytes { arena in
                for sheet in tables {
                    // A sheet named "Năm 2024" or "2024" gives the year when there is no year column.
                    let title = TextKey.loose(sheet.name).count == 4 && Int(TextKey.loose(sheet.name)) != nil ? "Năm \(sheet.name)" : sheet.name
                    let first = builder.rowsBegun
                    var lines: [Int] = []
                    let account = DelimitedTableReader.read(SheetCursor(sheet), text: arena, file: name, sheet: sheet.name,
                                                            titles: [(0, title)],
                                                            account: FileAccount(file: name, sheet: sheet.name, encoding: TextEncoding.xlsx.rawValue),
                                                            missingHeader: tables.count > 1 ? .warning : .error,
                                                            builder: &builder, rejectedLines: &lines)
                    let retained = builder.options.collectRejectedRows ? RetainedText.sheet(arena: book.arena, sheet) : nil
                    add(account, rows: account.layout == TableLayout.incidents.rawValue ? 0..<0 : first..<builder.rowsBegun,
                        rejectedLines: lines, text: retained)
                }
            }
            if tables.count > 1, accounts[firstAccount...].allSatisfy({ $0.layout.isEmpty && $0.rowsRead == 0 }) {
                builder.log.add(Diagnostic(.error, .missingColumn, at: SourceLocation(file: name, line: 0), LocalizedText(
                    vi: "Không trang nào của bảng tính có dòng tiêu đề nhận ra được.", en: "No sheet of the workbook has a header row BinhYen recognises.")))
            }
        }

        mutating func add(_ account: FileAccount, rows: Range<Int32> = 0..<0, rejectedLines lines: [Int] = [], text: RetainedText? = nil) {
            accounts.append(account)
            rowRanges.append(rows)
            rejectedLines.append(lines)
            texts.append(text)
        }

        func finish() -> IngestResult {
            var output = builder.buildWithRowOutcomes()
            var accounts = self.accounts
            var rejectedLines = self.rejectedLines
            for i in accounts.indices {
                for row in rowRanges[i] {
                    let produced = Int(output.rowFactCount[Int(row)])
                    guard produced > 0 else { continue }
                    let outcome = output.rowOutcomes[row] ?? PanelBuilder.RowOutcome()
                    let used = produced - outcome.duplicates - outcome.rejected
                    if used > 0 {
                        accounts[i].accepted += 1
                        accounts[i].rejectedValues += outcome.rejected
                    } else if outcome.rejected == 0 {
                        accounts[i].duplicates += 1
                    } else {
                        accounts[i].rejected += 1
                        if let line = output.rejectedRowLines[row] { rejectedLines[i].append(line) }
                    }
                }
            }
            if let crosswalk {
                let applied = crosswalk.apply(to: output.panel)
                output.panel = applied.panel
                output.diagnostics += applied.diagnostics
            }
            let order = Dictionary(accounts.enumerated().map { (TableKey(file: $0.element.file, sheet: $0.element.sheet), $0.offset) },
                                   uniquingKeysWith: { first, _ in first })
            let diagnostics = output.diagnostics.enumerated().sorted { a, b in
                sortKey(a.element, order: order, position: a.offset) < sortKey(b.element, order: order, position: b.offset)
            }.map(\.element)
            var rejectedRows: [RejectedRow] = []
            if builder.options.collectRejectedRows {
                rejectedRows = RejectedRow.collect(accounts: accounts, lines: rejectedLines, texts: texts, diagnostics: diagnostics)
            }
            return IngestResult(panel: output.panel, diagnostics: diagnostics + output.summaries, accounts: accounts, rejectedRows: rejectedRows)
        }

        private func sortKey(_ diagnostic: Diagnostic, order: [TableKey: Int], position: Int) -> (Int, Int, Int, Int) {
            guard let location = diagnostic.location else { return (-1, 0, 0, position) }
            let table = order[TableKey(file: location.file, sheet: location.sheet)] ?? order[TableKey(file: location.file, sheet: nil)] ?? Int.max
            return (table, location.line, location.column ?? 0, position)
        }
    }
}

/// A file, or one sheet of a workbook.
struct TableKey: Hashable {
    var file: String
    var sheet: String?
}
