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
    /// "long" or "wide"; empty when the layout could not be determined.
    public var layout: String
    /// "utf-8", "utf-8-bom", "utf-16le" or "utf-16be"; empty when the file could not be decoded.
    public var encoding: String
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

    /// An account; the counts default to zero (a file that could not be read).
    public init(file: String, layout: String = "", encoding: String = "", delimiter: String = "", rowsRead: Int = 0,
                accepted: Int = 0, rejected: Int = 0, duplicates: Int = 0, skipped: Int = 0, rejectedValues: Int = 0) {
        self.file = file
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
    /// One account per file, in reading order.
    public var accounts: [FileAccount]

    /// A result made of its parts.
    public init(panel: Panel, diagnostics: [Diagnostic], accounts: [FileAccount]) {
        self.panel = panel
        self.diagnostics = diagnostics
        self.accounts = accounts
    }

    /// True when any diagnostic is an error (analysis commands then refuse to run unless `--skip-invalid`).
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads CSV/TSV files into one `Panel` (SPEC §2–4).
///
/// Never throws and never stops on bad data: every problem becomes a `Diagnostic` with file,
/// line, column and heading, in Vietnamese and English. Files are read in the order given;
/// folders are searched recursively for `*.csv`, `*.tsv` and `*.txt` (sorted by path, hidden
/// files and Office lock files `~$…` skipped). See `DelimitedTableReader` for the table rules,
/// `CountParser` for the values accepted and `PanelBuilder` for merging.
public enum Ingest {
    /// File name extensions read from folders.
    public static let extensions: Set<String> = ["csv", "tsv", "txt"]

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
                vi: "Thư mục không có tệp .csv, .tsv hoặc .txt nào.", en: "The folder holds no .csv, .tsv or .txt file.")))
        }
        return files.sorted()
    }

    struct LoadProblem: Error {
        var diagnostic: Diagnostic
    }

    /// The bytes of a file, read in one piece.
    static func loadFile(_ path: String) -> Result<[UInt8], LoadProblem> {
        func failure(_ reason: String) -> Result<[UInt8], LoadProblem> {
            .failure(LoadProblem(diagnostic: Diagnostic(.error, .unreadableFile, at: SourceLocation(file: path, line: 0), LocalizedText(
                vi: "Không đọc được tệp: \(reason).", en: "Cannot read the file: \(reason)."))))
        }
        guard let handle = fopen(path, "rb") else { return failure(String(cString: strerror(errno))) }
        defer { fclose(handle) }
        guard fseeko(handle, 0, SEEK_END) == 0 else { return failure(String(cString: strerror(errno))) }
        let size = Int(ftello(handle))
        guard size >= 0, fseeko(handle, 0, SEEK_SET) == 0 else { return failure(String(cString: strerror(errno))) }
        var readCount = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            readCount = buffer.baseAddress.map { fread($0, 1, size, handle) } ?? 0
            initialized = readCount
        }
        guard readCount == size else { return failure(String(cString: strerror(errno))) }
        return .success(bytes)
    }

    /// Reading state shared by the files of one call.
    struct Session {
        var builder: PanelBuilder
        var accounts: [FileAccount] = []
        /// The builder's numbers of each file's rows, parallel to `accounts`.
        var rowRanges: [Range<Int32>] = []

        init(options: IngestOptions) { builder = PanelBuilder(options: options) }

        mutating func read(bytes: [UInt8], name: String) {
            switch TextDecoder.decode(bytes, file: name) {
            case .rejected(let diagnostic):
                builder.log.add(diagnostic)
                add(FileAccount(file: name))
            case .text(let decoded):
                let first = builder.rowsBegun
                let account = DelimitedTableReader.read(decoded, file: name, builder: &builder)
                add(account, rows: first..<builder.rowsBegun)
            }
        }

        mutating func add(_ account: FileAccount, rows: Range<Int32> = 0..<0) {
            accounts.append(account)
            rowRanges.append(rows)
        }

        func finish() -> IngestResult {
            let output = builder.buildWithRowOutcomes()
            var accounts = self.accounts
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
                    }
                }
            }
            let order = Dictionary(accounts.enumerated().map { ($0.element.file, $0.offset) }, uniquingKeysWith: { first, _ in first })
            let diagnostics = output.diagnostics.enumerated().sorted { a, b in
                sortKey(a.element, order: order, position: a.offset) < sortKey(b.element, order: order, position: b.offset)
            }.map(\.element)
            return IngestResult(panel: output.panel, diagnostics: diagnostics + output.summaries, accounts: accounts)
        }

        private func sortKey(_ diagnostic: Diagnostic, order: [String: Int], position: Int) -> (Int, Int, Int, Int) {
            guard let location = diagnostic.location else { return (-1, 0, 0, position) }
            return (order[location.file] ?? Int.max, location.line, location.column ?? 0, position)
        }
    }
}
