import BinhYenCore
import Foundation
import Synchronization

/// The fast reader of the national coded long layout: clean files with exactly the header
///
///     province_code,commune_code,village_code,village_name,population,year,category,metric,count
///
/// (or with `month` after `year`), as the benchmark workload writes them (`bench/SPEC.md`), read
/// straight into a ``CountGrid`` at about a gigabyte per second per core.
///
/// How: each file is cut into pieces of about 4 MiB at line boundaries; both cores parse pieces
/// (`pread` into reused buffers, so memory stays bounded by the panel, not by the file); a line
/// whose first five fields are byte-for-byte those of the line before (every line of a village
/// but the first) skips them with one `memcmp`; year, month and count are parsed as digits; the
/// series cell (`category,metric`) is matched against the few spellings seen so far and each new
/// spelling is resolved once, with the general reader's rules (``HeadingDictionary``). No string
/// is made per cell, only one set per village. Pieces are merged in file order.
///
/// The reader never guesses and never reports: it accepts only rows that the general reader
/// (``Ingest``) would accept as they are, without any diagnostic, and gives the same values. Any
/// other input — another header, a folder, a quoted field, a value that is not plain digits
/// (a repair, an invalid or an empty count), a year outside 1900–2100 or a month outside 1–12,
/// an unknown series, a missing village code, a subtotal row, a duplicate row, a population that
/// differs within one village and year, invalid UTF-8 or control characters in a cell, a line
/// over 64 KiB — makes it decline,
/// and the caller reads the files with the general reader, which reports every problem with
/// file, line and reason. Villages are identified by (commune code, village code); the display
/// name and province code are the first seen. Unlike the general reader, it does not warn about
/// similar village names (villages here are identified by code).
public enum CodedLongReader {
    /// The header of yearly files.
    public static let yearlyHeader = "province_code,commune_code,village_code,village_name,population,year,category,metric,count"
    /// The header of monthly files.
    public static let monthlyHeader = "province_code,commune_code,village_code,village_name,population,year,month,category,metric,count"

    /// What the reader made of the input.
    public enum Outcome: Sendable {
        /// Every row read, into one grid; one account per file.
        case grid(CountGrid, accounts: [FileAccount])
        /// Some input is not a file in the coded layout (another header, a folder); the general
        /// reader must read it.
        case otherLayout(reason: LocalizedText)
        /// The files are in the coded layout but not clean (see the type's documentation); the
        /// general reader must read them and will say what is wrong.
        case declined(reason: LocalizedText, at: SourceLocation?)
    }

    /// Bytes per piece (a piece is parsed by one thread at a time).
    static let pieceSize = 4 << 20
    /// Longest line accepted.
    static let maximumLineLength = 1 << 16

    /// Reads `paths` (files, not folders) with up to `concurrency` threads (default: the active
    /// processors). The same input gives the same grid whatever the number of threads.
    public static func read(paths: [String], options: IngestOptions = IngestOptions(), concurrency: Int? = nil) -> Outcome {
        read(paths: paths, options: options, concurrency: concurrency, pieceSize: pieceSize)
    }

    /// ``read(paths:options:concurrency:)`` with another piece size (tests cut files into tiny pieces).
    static func read(paths: [String], options: IngestOptions, concurrency: Int?, pieceSize: Int) -> Outcome {
        var files: [InputFile] = []
        defer { for file in files { close(file.descriptor) } }
        var seen = Set<String>()
        for path in paths {
            switch InputFile.open(path) {
            case .failure(let declined): return .otherLayout(reason: declined.reason)
            case .success(let file):
                files.append(file)
                guard seen.insert(URL(fileURLWithPath: path).standardizedFileURL.path).inserted else {
                    return .otherLayout(reason: LocalizedText(vi: "tệp \(path) được nêu hai lần", en: "the file \(path) is given twice"))
                }
            }
        }
        guard let monthly = files.first?.monthly else {
            return .otherLayout(reason: LocalizedText(vi: "không có tệp đầu vào", en: "there is no input file"))
        }
        guard files.allSatisfy({ $0.monthly == monthly }) else {
            return .otherLayout(reason: LocalizedText(vi: "có tệp theo tháng lẫn tệp theo năm", en: "monthly and yearly files are mixed"))
        }
        var pieces: [Piece] = []
        for (index, file) in files.enumerated() {
            var start = file.dataStart
            repeat {
                let end = min(file.size, start + max(1, pieceSize))
                pieces.append(Piece(file: index, start: start, end: end))
                start = end
            } while start < file.size
        }
        let threads = max(1, concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
        let parsed = parse(pieces, files: files, catalogue: options.catalogue, threads: threads)
        if let failure = parsed.lazy.compactMap({ $0.failure }).first(where: { $0.line >= 0 }) {
            return Declined(failure.reason, failure.location(files: files, pieces: pieces)).outcome
        }
        var merger = PieceMerger(pieces: parsed, monthly: monthly)
        if let failure = merger.merge() {
            return Declined(failure.reason, failure.location(files: files, pieces: pieces)).outcome
        }
        let grid: CountGrid
        switch merger.grid(threads: threads) {
        case .success(let merged): grid = merged
        case .failure(let failure): return Declined(failure.reason, failure.location(files: files, pieces: pieces)).outcome
        }
        var accounts = files.map { file in
            FileAccount(file: file.path, layout: "long", encoding: file.dataStart == 3 + file.headerLength ? TextEncoding.utf8BOM.rawValue : TextEncoding.utf8.rawValue,
                        delimiter: ",")
        }
        for (piece, result) in zip(pieces, parsed) {
            accounts[piece.file].rowsRead += result.rows
            accounts[piece.file].accepted += result.rows
        }
        return .grid(grid, accounts: accounts)
    }

    /// Parses every piece, on up to `threads` threads, into per-piece results in piece order.
    private static func parse(_ pieces: [Piece], files: [InputFile], catalogue: Catalogue, threads: Int) -> [PieceResult] {
        let results = Mutex<[PieceResult?]>(Array(repeating: nil, count: pieces.count))
        let workspaces = Mutex<[Workspace]>([])
        let stop = Atomic<Bool>(false)
        let work: @Sendable (Int) -> Void = { index in
            let result: PieceResult
            if stop.load(ordering: .relaxed) {
                result = PieceResult(failure: .stopped(index))
            } else {
                let workspace = workspaces.withLock { $0.popLast() } ?? Workspace()
                var parser = PieceParser(workspace: workspace, monthly: files[pieces[index].file].monthly, catalogue: catalogue)
                result = parser.parse(pieces[index], index: index, file: files[pieces[index].file])
                workspaces.withLock { $0.append(workspace) }
                if result.failure != nil { stop.store(true, ordering: .relaxed) }
            }
            results.withLock { $0[index] = result }
        }
        if threads == 1 || pieces.count == 1 {
            for index in pieces.indices { work(index) }
        } else {
            DispatchQueue.concurrentPerform(iterations: pieces.count, execute: work)
        }
        return results.withLock { slots in
            slots.enumerated().map { $0.element ?? PieceResult(failure: .stopped($0.offset)) }
        }
    }
}

/// Why the fast reader declines, and where.
struct Declined: Error {
    var reason: LocalizedText
    var location: SourceLocation?

    init(_ reason: LocalizedText, _ location: SourceLocation?) {
        self.reason = reason
        self.location = location
    }

    var outcome: CodedLongReader.Outcome { .declined(reason: reason, at: location) }
}

/// One open input file with a recognised header.
struct InputFile: Sendable {
    var path: String
    var descriptor: Int32
    var size: Int
    /// Offset of the first data line.
    var dataStart: Int
    /// Length of the header line without its line end.
    var headerLength: Int
    var monthly: Bool

    static func open(_ path: String) -> Result<InputFile, Declined> {
        let descriptor = Glibc.open(path, O_RDONLY)
        guard descriptor >= 0 else {
            return .failure(Declined(LocalizedText(vi: "không mở được \(path)", en: "cannot open \(path)"), nil))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return .failure(Declined(LocalizedText(vi: "\(path) không phải một tệp", en: "\(path) is not a file"), nil))
        }
        let size = Int(status.st_size)
        var head = [UInt8](repeating: 0, count: min(size, 4096))
        let got = head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        let bom = got >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0
        var end = bom
        while end < got && head[end] != 0x0A { end += 1 }
        let lineEnd = end
        if end > bom && head[end - 1] == 0x0D { end -= 1 }
        let header = String(decoding: head[bom..<end], as: UTF8.self)
        let monthly: Bool
        if header == CodedLongReader.yearlyHeader {
            monthly = false
        } else if header == CodedLongReader.monthlyHeader {
            monthly = true
        } else {
            close(descriptor)
            return .failure(Declined(LocalizedText(vi: "tiêu đề của \(path) không phải dạng mã hóa toàn quốc",
                                                   en: "the header of \(path) is not the national coded layout"),
                                     SourceLocation(file: path, line: 1)))
        }
        return .success(InputFile(path: path, descriptor: descriptor, size: size, dataStart: min(size, lineEnd + 1),
                                  headerLength: end - bom, monthly: monthly))
    }
}

/// A byte range of a file; it holds the lines that begin inside it.
struct Piece: Sendable {
    var file: Int
    var start: Int
    var end: Int
}

/// Where and why a piece could not be read by the fast reader.
struct PieceFailure: Error, Sendable {
    /// The piece was not read because another one had failed.
    static func stopped(_ piece: Int) -> PieceFailure {
        PieceFailure(piece: piece, line: -1, reason: LocalizedText(vi: "đã dừng", en: "stopped"))
    }

    var piece: Int
    /// Byte offset of the offending line in its file (0: no particular line).
    var line: Int
    var reason: LocalizedText

    /// The offending line as a source location (its number counted in the file, an error path only).
    func location(files: [InputFile], pieces: [Piece]) -> SourceLocation? {
        guard line > 0, pieces.indices.contains(piece) else { return nil }
        let file = files[pieces[piece].file]
        return SourceLocation(file: file.path, line: 1 + LineCounter.newlines(in: file.descriptor, from: 0, to: line))
    }
}

/// Counts line ends in a byte range of a file.
enum LineCounter {
    static func newlines(in descriptor: Int32, from start: Int, to end: Int) -> Int {
        var count = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset = start
        while offset < end {
            let want = min(buffer.count, end - offset)
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, want, off_t(offset)) }
            guard got > 0 else { break }
            for i in 0..<got where buffer[i] == 0x0A { count += 1 }
            offset += got
        }
        return count
    }
}

/// The bytes of a piece, cut after the last line end: mapped from the page cache (no copy), or
/// for the last piece of a file, which may end without a line end, read into the buffer with a
/// line end added.
struct PieceBytes {
    let base: UnsafePointer<UInt8>
    /// Bytes up to and including the last line end.
    let count: Int
    private let mapping: UnsafeMutableRawPointer?
    private let mappedLength: Int

    init?(file: InputFile, start: Int, end: Int, buffer: UnsafeMutableRawBufferPointer) {
        let length = end - start
        if end < file.size {
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let aligned = start - start % page
            let mapped = mmap(nil, end - aligned, PROT_READ, MAP_PRIVATE | MAP_POPULATE, file.descriptor, off_t(aligned))
            guard let mapped, mapped != MAP_FAILED else { return nil }
            mapping = mapped
            mappedLength = end - aligned
            base = UnsafePointer(mapped.assumingMemoryBound(to: UInt8.self) + (start - aligned))
            var last = length - 1
            while last >= 0 && base[last] != 0x0A { last -= 1 }
            count = last + 1
            return
        }
        guard let target = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), length < buffer.count else { return nil }
        var filled = 0
        while filled < length {
            let got = pread(file.descriptor, target + filled, length - filled, off_t(start + filled))
            guard got > 0 else { return nil }
            filled += got
        }
        if filled == 0 || target[filled - 1] != 0x0A {
            target[filled] = 0x0A
            filled += 1
        }
        mapping = nil
        mappedLength = 0
        base = UnsafePointer(target)
        count = filled
    }

    func release() {
        if let mapping { munmap(mapping, mappedLength) }
    }
}

/// What one piece holds: its villages with their cells, in compact layout
/// `[village][measure][year slot][month]` with the piece's own measure and year numbering.
struct PieceResult: Sendable {
    /// (commune code, `,`, village code) of each village, back to back.
    var keys: [UInt8] = []
    var keyEnds: [Int] = []
    var villages: [CountGrid.Village] = []
    var measures: [Measure] = []
    var years: [Int] = []
    var cells: [Int] = []
    /// Population per village and year slot; −1 when not given.
    var population: [Int] = []
    var rows = 0
    var failure: PieceFailure?

    init(failure: PieceFailure? = nil) {
        self.failure = failure
    }
}

/// Growable `Int` storage indexed through a pointer in the hot loop (no uniqueness or bounds
/// checks); released explicitly by its owner.
struct IntStorage {
    private(set) var base: UnsafeMutablePointer<Int>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    func release() { base.deallocate() }

    mutating func removeAll() { count = 0 }

    /// Appends `count` copies of `value`.
    mutating func append(_ value: Int, count extra: Int) {
        if count + extra > capacity {
            var newCapacity = capacity * 2
            while newCapacity < count + extra { newCapacity *= 2 }
            let newBase = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }
        (base + count).initialize(repeating: value, count: extra)
        count += extra
    }
}

/// Scratch memory of one thread, reused from piece to piece (fresh memory costs page faults),
/// and the village names it has decoded (names repeat: "Xóm 1", "Thôn Đông").
final class Workspace: @unchecked Sendable {
    let buffer: UnsafeMutableRawBufferPointer
    var cells = IntStorage(capacity: 1 << 18)
    var population = IntStorage(capacity: 1 << 14)
    var nameIndex = ByteInterner(capacity: 4096)
    /// NFC name and whether it is a subtotal label, by `nameIndex` value.
    var names: [(text: String, isSubtotal: Bool)] = []

    init() {
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: CodedLongReader.pieceSize + CodedLongReader.maximumLineLength + 64,
                                                        alignment: 16)
    }

    deinit {
        buffer.deallocate()
        cells.release()
        population.release()
    }
}

/// Parses the lines of one piece.
struct PieceParser {
    private let workspace: Workspace
    private let monthly: Bool
    private let catalogue: Catalogue
    private let periodsPerYear: Int

    private var result = PieceResult()
    private var villageIndex = ByteInterner(capacity: 4096)
    private var measureCapacity = 8
    private var yearCapacity = 16
    private var villageStride: Int { measureCapacity * yearCapacity * periodsPerYear }
    /// Year slot by `year − 1900`, −1 when not seen.
    private var yearSlot = [Int](repeating: -1, count: 201)
    /// Series cells seen (`category,metric` bytes, back to back), their ends and local measures.
    private var tokenBytes: [UInt8] = []
    private var tokenEnds: [Int] = []
    private var tokenMeasures: [Int] = []
    /// The first five fields of the last line parsed in full, with its comma.
    private var prefix: [UInt8] = []
    private var prefixVillage = 0
    private var prefixPopulation = -1

    init(workspace: Workspace, monthly: Bool, catalogue: Catalogue) {
        self.workspace = workspace
        self.monthly = monthly
        self.catalogue = catalogue
        periodsPerYear = monthly ? 12 : 1
    }

    /// Reads the piece and returns its villages and cells, or the first irregular line.
    mutating func parse(_ piece: Piece, index: Int, file: InputFile) -> PieceResult {
        // Lines begin in [start, end); the byte before start tells whether start begins a line.
        let readStart = piece.start > file.dataStart ? piece.start - 1 : piece.start
        let readEnd = min(file.size, piece.end + CodedLongReader.maximumLineLength)
        guard let region = PieceBytes(file: file, start: readStart, end: readEnd, buffer: workspace.buffer) else {
            return fail(index, 0, LocalizedText(vi: "không đọc được \(file.path)", en: "cannot read \(file.path)"))
        }
        defer { region.release() }
        let base = region.base
        // Every scan stops at a line end; the data is cut after its last one, so no scan passes it.
        let filled = region.count
        var position = 0
        if readStart < piece.start {
            while position < filled && base[position] != 0x0A { position += 1 }
            position += 1
        }
        let limit = piece.end - readStart
        if limit > filled {
            return fail(index, readStart + filled, LocalizedText(vi: "dòng quá dài", en: "the line is too long"))
        }
        var cells = workspace.cells
        var population = workspace.population
        cells.removeAll()
        population.removeAll()
        defer {
            workspace.cells = cells
            workspace.population = population
        }
        var lastToken = 0
        var lastYear = -1
        var lastSlot = 0
        // The four bytes of the last year parsed (digits never make 0).
        var lastYearBytes: UInt32 = 0

        while position < limit {
            let lineStart = position
            if base[position] == 0x0A || (base[position] == 0x0D && base[position + 1] == 0x0A) {
                // Blank line: skipped, as the general reader does.
                position += base[position] == 0x0A ? 1 : 2
                continue
            }
            var p = position
            let prefixCount = prefix.count
            let matches = prefixCount > 0 && p + prefixCount <= filled
                && prefix.withUnsafeBytes { Self.equal(base + p, $0) }
            if matches {
                p += prefixCount
            } else {
                switch parseVillage(base, from: p, cells: &cells, population: &population) {
                case .failure(let declined): return fail(index, readStart + lineStart, declined.reason)
                case .success(let after): p = after
                }
            }
            let village = prefixVillage
            let rowPopulation = prefixPopulation
            // year: most lines repeat the year of the line before (four bytes and a comma)
            let comparable = p &+ 5 <= filled
            let yearBytes = comparable ? UnsafeRawPointer(base + p).loadUnaligned(as: UInt32.self) : 0
            var year = lastYear
            if !comparable || yearBytes != lastYearBytes || base[p &+ 4] != 0x2C {
                year = 0
                let yearStart = p
                while case let digit = base[p] &- 0x30, digit <= 9 {
                    year = year &* 10 &+ Int(digit)
                    p &+= 1
                }
                guard p &- yearStart == 4, base[p] == 0x2C, (1900...2100).contains(year) else {
                    return fail(index, readStart + lineStart, LocalizedText(vi: "năm không phải 4 chữ số 1900–2100", en: "the year is not 4 digits in 1900–2100"))
                }
                p = yearStart
                lastYearBytes = yearBytes
            }
            p &+= 5
            var month = 0
            if monthly {
                let monthStart = p
                while case let digit = base[p] &- 0x30, digit <= 9 {
                    month = month &* 10 &+ Int(digit)
                    p &+= 1
                }
                guard p &- monthStart >= 1, p &- monthStart <= 2, base[p] == 0x2C, (1...12).contains(month) else {
                    return fail(index, readStart + lineStart, LocalizedText(vi: "tháng không phải số 1–12", en: "the month is not a number 1–12"))
                }
                p &+= 1
                month &-= 1
            }
            // category,metric: a spelling seen before, followed by a comma (the series of a
            // village come in the same order every year, so the one after the last is tried first).
            let tokenStart = p
            var measure = -1
            tokenBytes.withUnsafeBytes { known in
                guard let knownBase = known.baseAddress else { return }
                let count = tokenEnds.count
                var candidate = lastToken &+ 1 < count ? lastToken &+ 1 : 0
                for _ in 0..<count {
                    let start = candidate == 0 ? 0 : tokenEnds[candidate &- 1]
                    let length = tokenEnds[candidate] &- start
                    if tokenStart &+ length < filled && base[tokenStart &+ length] == 0x2C
                        && Self.equal(base + tokenStart, UnsafeRawBufferPointer(start: knownBase + start, count: length)) {
                        measure = tokenMeasures[candidate]
                        lastToken = candidate
                        p = tokenStart &+ length
                        return
                    }
                    candidate = candidate &+ 1 < count ? candidate &+ 1 : 0
                }
            }
            if measure < 0 {
                var commas = 0
                while true {
                    let byte = base[p]
                    if byte == 0x2C {
                        commas += 1
                        if commas == 2 { break }
                    } else if byte == 0x0A || byte == 0x22 {
                        return fail(index, readStart + lineStart, LocalizedText(vi: "dòng thiếu cột hoặc có ô trong ngoặc kép", en: "the line lacks fields or has a quoted field"))
                    }
                    p += 1
                }
                switch resolveSeries(UnsafeBufferPointer(start: base + tokenStart, count: p - tokenStart)) {
                case .failure(let declined): return fail(index, readStart + lineStart, declined.reason)
                case .success(let resolved):
                    measure = resolved
                    lastToken = tokenEnds.count - 1
                    if measure >= measureCapacity {
                        relayout(cells: &cells, population: &population, measures: measureCapacity * 2, years: yearCapacity)
                    }
                }
            }
            p += 1
            // count
            var count = 0
            let countStart = p
            while case let digit = base[p] &- 0x30, digit <= 9 {
                count = count &* 10 &+ Int(digit)
                p += 1
            }
            let digits = p - countStart
            if base[p] == 0x0D && base[p + 1] == 0x0A { p += 1 }
            guard base[p] == 0x0A, digits >= 1, digits <= 12, digits == 1 || base[countStart] != 0x30 else {
                return fail(index, readStart + lineStart, LocalizedText(
                    vi: "số lượng không phải số nguyên viết thường (hoặc dòng thừa cột)",
                    en: "the count is not plain digits (or the line has extra fields)"))
            }
            position = p + 1
            // cell
            if year != lastYear {
                var slot = yearSlot[year - 1900]
                if slot < 0 {
                    slot = result.years.count
                    result.years.append(year)
                    yearSlot[year - 1900] = slot
                    if slot >= yearCapacity {
                        relayout(cells: &cells, population: &population, measures: measureCapacity, years: yearCapacity * 2)
                    }
                }
                lastYear = year
                lastSlot = slot
            }
            let cell = ((village * measureCapacity + measure) * yearCapacity + lastSlot) * periodsPerYear + month
            guard cells.base[cell] == CountGrid.missing else {
                return fail(index, readStart + lineStart, LocalizedText(vi: "dòng trùng", en: "a duplicate row"))
            }
            cells.base[cell] = count
            if rowPopulation >= 0 {
                let at = village * yearCapacity + lastSlot
                let known = population.base[at]
                if known < 0 {
                    population.base[at] = rowPopulation
                } else if known != rowPopulation {
                    return fail(index, readStart + lineStart, LocalizedText(vi: "dân số khác nhau trong cùng một năm", en: "the population differs within one year"))
                }
            }
            result.rows += 1
        }
        compact(cells: cells, population: population)
        return result
    }

    /// Whether the bytes at `pointer` are those of `bytes` (compared eight at a time; fields
    /// are short, and a call to `memcmp` would cost more).
    @inline(__always)
    private static func equal(_ pointer: UnsafePointer<UInt8>, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let other = bytes.baseAddress else { return true }
        let count = bytes.count
        let left = UnsafeRawPointer(pointer)
        var k = 0
        while k + 8 <= count {
            if left.loadUnaligned(fromByteOffset: k, as: UInt64.self) != other.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
                return false
            }
            k += 8
        }
        while k < count {
            if pointer[k] != other.load(fromByteOffset: k, as: UInt8.self) { return false }
            k += 1
        }
        return true
    }

    private mutating func fail(_ index: Int, _ offset: Int, _ reason: LocalizedText) -> PieceResult {
        PieceResult(failure: PieceFailure(piece: index, line: offset, reason: reason))
    }

    /// Parses the first five fields of a line that does not repeat the previous prefix; sets the
    /// prefix, its village and population. Returns the offset of the year field.
    private mutating func parseVillage(_ base: UnsafePointer<UInt8>, from start: Int, cells: inout IntStorage,
                                       population: inout IntStorage) -> Result<Int, Declined> {
        var bounds: [(Int, Int)] = []
        var p = start
        for _ in 0..<5 {
            let fieldStart = p
            if base[p] == 0x22 { return .failure(Declined(LocalizedText(vi: "ô trong ngoặc kép", en: "a quoted field"), nil)) }
            while base[p] != 0x2C && base[p] != 0x0A { p += 1 }
            guard base[p] == 0x2C else {
                return .failure(Declined(LocalizedText(vi: "dòng thiếu cột", en: "the line lacks fields"), nil))
            }
            bounds.append((fieldStart, p))
            p += 1
        }
        func bytes(_ field: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: base + bounds[field].0, count: bounds[field].1 - bounds[field].0)
        }
        for field in 0..<3 where !bytes(field).allSatisfy({ (0x21...0x7E).contains($0) }) {
            return .failure(Declined(LocalizedText(vi: "mã có ký tự không phải chữ/số ASCII", en: "a code has characters other than ASCII letters and digits"), nil))
        }
        guard !bytes(2).isEmpty else {
            return .failure(Declined(LocalizedText(vi: "thiếu mã thôn", en: "the village code is empty"), nil))
        }
        let populationBytes = bytes(4)
        var rowPopulation = -1
        if !populationBytes.isEmpty {
            guard populationBytes.count <= 12, populationBytes.count == 1 || populationBytes[0] != 0x30,
                  populationBytes.allSatisfy({ (0x30...0x39).contains($0) }) else {
                return .failure(Declined(LocalizedText(vi: "dân số không phải số nguyên viết thường", en: "the population is not plain digits"), nil))
            }
            rowPopulation = populationBytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        // Every spelling of a name is checked (the general reader reads each row's), then the
        // village is found by its codes; its display name is the first spelling.
        guard let name = decodeName(bytes(3)) else {
            return .failure(Declined(LocalizedText(vi: "tên thôn trống, có khoảng trắng thừa, ký tự điều khiển hoặc không phải UTF-8",
                                                   en: "the village name is empty, has extra spaces or control characters, or is not UTF-8"), nil))
        }
        if name.isSubtotal {
            return .failure(Declined(LocalizedText(vi: "dòng tổng cộng", en: "a subtotal row"), nil))
        }
        let key = UnsafeRawBufferPointer(start: base + bounds[1].0, count: bounds[2].1 - bounds[1].0)
        let hash = ByteInterner.hash(key)
        if let known = villageIndex.value(for: key, hash: hash) {
            prefixVillage = Int(known)
        } else {
            let village = result.villages.count
            villageIndex.insert(key, hash: hash, value: Int32(village))
            result.keys.append(contentsOf: key)
            result.keyEnds.append(result.keys.count)
            func text(_ field: Int) -> String? {
                let raw = bytes(field)
                return raw.isEmpty ? nil : String(decoding: raw, as: UTF8.self)
            }
            result.villages.append(CountGrid.Village(code: text(2), name: name.text, provinceCode: text(0), communeCode: text(1),
                                                     commune: 0, population: nil))
            cells.append(CountGrid.missing, count: villageStride)
            population.append(-1, count: yearCapacity)
            prefixVillage = village
        }
        prefixPopulation = rowPopulation
        prefix.removeAll(keepingCapacity: true)
        prefix.append(contentsOf: UnsafeBufferPointer(start: base + start, count: p - start))
        return .success(p)
    }

    /// The NFC text of a name and whether it is a subtotal label, once per distinct spelling;
    /// nil when the bytes are empty, not UTF-8, or begin or end with white space.
    private func decodeName(_ raw: UnsafeBufferPointer<UInt8>) -> (text: String, isSubtotal: Bool)? {
        let bytes = UnsafeRawBufferPointer(raw)
        let hash = ByteInterner.hash(bytes)
        if let known = workspace.nameIndex.value(for: bytes, hash: hash) { return workspace.names[Int(known)] }
        // Control characters (a lone CR ends a record for the general reader) are not names.
        guard !raw.contains(where: { $0 < 0x20 || $0 == 0x7F }),
              let name = String(validating: raw, as: UTF8.self), let first = name.unicodeScalars.first,
              let last = name.unicodeScalars.last, !first.properties.isWhitespace, !last.properties.isWhitespace else { return nil }
        let nfc = FastText.nfc(name)
        let entry = (nfc, SubtotalWords.isSubtotal(nfc))
        workspace.nameIndex.insert(bytes, hash: hash, value: Int32(workspace.names.count))
        workspace.names.append(entry)
        return entry
    }

    /// Resolves a new `category,metric` spelling as the general reader does.
    private mutating func resolveSeries(_ token: UnsafeBufferPointer<UInt8>) -> Result<Int, Declined> {
        guard !token.contains(where: { $0 < 0x20 || $0 == 0x7F }), let comma = token.firstIndex(of: 0x2C),
              let category = String(validating: token[..<comma], as: UTF8.self),
              let metric = String(validating: token[(comma + 1)...], as: UTF8.self),
              !category.isEmpty, category.first != "\"", metric.first != "\"" else {
            return .failure(Declined(LocalizedText(vi: "ô lĩnh vực hoặc chỉ tiêu không hợp lệ", en: "an invalid category or metric cell"), nil))
        }
        guard let resolved = HeadingDictionary.resolve(category, in: catalogue) else {
            return .failure(Declined(LocalizedText(vi: "không nhận ra lĩnh vực “\(category)”", en: "unknown category “\(category)”"), nil))
        }
        var metricID = resolved.metric
        if !metric.isEmpty {
            guard let named = HeadingDictionary.metric(named: metric, in: resolved.category, catalogue: catalogue),
                  metricID == nil || metricID == named else {
                return .failure(Declined(LocalizedText(vi: "chỉ tiêu “\(metric)” không hợp lệ", en: "invalid metric “\(metric)”"), nil))
            }
            metricID = named
        }
        let measure = Measure(resolved.category, metricID ?? .cases)
        let local: Int
        if let known = result.measures.firstIndex(of: measure) {
            local = known
        } else {
            local = result.measures.count
            result.measures.append(measure)
        }
        tokenBytes.append(contentsOf: token)
        tokenEnds.append(tokenBytes.count)
        tokenMeasures.append(local)
        return .success(local)
    }

    /// Moves the cells and populations to a layout with more measure or year slots.
    private mutating func relayout(cells: inout IntStorage, population: inout IntStorage, measures: Int, years: Int) {
        let villages = result.villages.count
        let ppy = periodsPerYear
        var moved = IntStorage(capacity: villages * measures * years * ppy)
        moved.append(CountGrid.missing, count: villages * measures * years * ppy)
        var movedPopulation = IntStorage(capacity: villages * years)
        movedPopulation.append(-1, count: villages * years)
        for v in 0..<villages {
            for m in 0..<measureCapacity {
                for y in 0..<yearCapacity {
                    let from = ((v * measureCapacity + m) * yearCapacity + y) * ppy
                    let to = ((v * measures + m) * years + y) * ppy
                    for k in 0..<ppy { moved.base[to + k] = cells.base[from + k] }
                }
            }
            for y in 0..<yearCapacity { movedPopulation.base[v * years + y] = population.base[v * yearCapacity + y] }
        }
        cells.release()
        population.release()
        cells = moved
        population = movedPopulation
        measureCapacity = measures
        yearCapacity = years
    }

    /// Copies the cells to the piece's exact dimensions.
    private mutating func compact(cells: IntStorage, population: IntStorage) {
        let villages = result.villages.count
        let measures = result.measures.count
        let years = result.years.count
        let ppy = periodsPerYear
        var compactCells = [Int](repeating: CountGrid.missing, count: villages * measures * years * ppy)
        var compactPopulation = [Int](repeating: -1, count: villages * years)
        compactCells.withUnsafeMutableBufferPointer { target in
            for v in 0..<villages {
                for m in 0..<measures {
                    for y in 0..<years {
                        let from = ((v * measureCapacity + m) * yearCapacity + y) * ppy
                        let to = ((v * measures + m) * years + y) * ppy
                        for k in 0..<ppy { target[to + k] = cells.base[from + k] }
                    }
                }
            }
        }
        for v in 0..<villages {
            for y in 0..<years { compactPopulation[v * years + y] = population.base[v * yearCapacity + y] }
        }
        result.cells = compactCells
        result.population = compactPopulation
    }
}

/// A buffer written by several threads at disjoint positions.
struct SendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Int>

    init(_ buffer: UnsafeMutableBufferPointer<Int>) { self.buffer = buffer }
}

/// Merges piece results in file order into one grid, copying each cell once.
struct PieceMerger: Sendable {
    /// A village of one piece.
    private struct Source: Sendable {
        var piece: Int32
        var local: Int32
    }

    private let pieces: [PieceResult]
    private let periodsPerYear: Int
    private var years: [Int] = []
    private var measures: [Measure] = []
    private var measureMaps: [[Int]] = []
    private var yearMaps: [[Int]] = []
    private var villageIndex = ByteInterner(capacity: 1 << 16)
    private var villages: [CountGrid.Village] = []
    /// The first piece village of each village; later ones (a village cut by a piece boundary) apart.
    private var sources: [Source] = []
    private var moreSources: [Int: [Source]] = [:]
    private var population: [Int] = []

    init(pieces: [PieceResult], monthly: Bool) {
        self.pieces = pieces
        periodsPerYear = monthly ? 12 : 1
    }

    /// Identifies the villages of all pieces and merges their populations; returns the failure
    /// when a population differs within one village and year.
    mutating func merge() -> PieceFailure? {
        years = Set(pieces.flatMap(\.years)).sorted()
        measures = Set(pieces.flatMap(\.measures)).sorted()
        measureMaps = pieces.map { piece in piece.measures.map { measures.firstIndex(of: $0) ?? 0 } }
        yearMaps = pieces.map { piece in piece.years.map { years.firstIndex(of: $0) ?? 0 } }
        let yearCount = years.count
        let villageTotal = pieces.reduce(0) { $0 + $1.villages.count }
        villages.reserveCapacity(villageTotal)
        sources.reserveCapacity(villageTotal)
        population.reserveCapacity(villageTotal * yearCount)
        for (pieceNumber, piece) in pieces.enumerated() {
            let localYears = piece.years.count
            let yearMap = yearMaps[pieceNumber]
            var keyStart = 0
            for (local, village) in piece.villages.enumerated() {
                let keyEnd = piece.keyEnds[local]
                let (target, isNew) = piece.keys.withUnsafeBytes { all -> (Int, Bool) in
                    let key = UnsafeRawBufferPointer(rebasing: all[keyStart..<keyEnd])
                    let hash = ByteInterner.hash(key)
                    if let known = villageIndex.value(for: key, hash: hash) { return (Int(known), false) }
                    villageIndex.insert(key, hash: hash, value: Int32(villages.count))
                    return (villages.count, true)
                }
                keyStart = keyEnd
                let source = Source(piece: Int32(pieceNumber), local: Int32(local))
                if isNew {
                    villages.append(village)
                    sources.append(source)
                    population.append(contentsOf: repeatElement(-1, count: yearCount))
                } else {
                    moreSources[target, default: []].append(source)
                }
                for y in 0..<localYears {
                    let value = piece.population[local * localYears + y]
                    guard value >= 0 else { continue }
                    let at = target * yearCount + yearMap[y]
                    if population[at] >= 0 && population[at] != value {
                        return PieceFailure(piece: pieceNumber, line: 0, reason: LocalizedText(
                            vi: "dân số khác nhau trong cùng một năm (thôn \(village.code ?? village.name))",
                            en: "the population differs within one year (village \(village.code ?? village.name))"))
                    }
                    population[at] = value
                }
            }
        }
        return nil
    }

    /// The grid: villages sorted by code (then commune code), months summed into years (a year
    /// with some months missing is incomplete), communes numbered by code, populations of the
    /// last year; the failure when two pieces hold the same cell (a duplicate row).
    func grid(threads: Int) -> Result<CountGrid, PieceFailure> {
        func precedes(_ a: Int, _ b: Int) -> Bool {
            let (x, y) = (villages[a], villages[b])
            if x.code != y.code { return (x.code ?? "").utf8.lexicographicallyPrecedes((y.code ?? "").utf8) }
            if x.communeCode != y.communeCode { return (x.communeCode ?? "").utf8.lexicographicallyPrecedes((y.communeCode ?? "").utf8) }
            return a < b
        }
        var sorted = Array(villages.indices)
        if zip(sorted, sorted.dropFirst()).contains(where: { !precedes($0, $1) }) { sorted.sort(by: precedes) }
        let order = sorted
        let yearCount = years.count
        var communes: [String: Int] = [:]
        var lastCommune: (code: String?, index: Int)?
        var ordered: [CountGrid.Village] = []
        ordered.reserveCapacity(villages.count)
        for v in order {
            var village = villages[v]
            if let last = lastCommune, last.code == village.communeCode {
                village.commune = last.index
            } else {
                let code = village.communeCode ?? ""
                let index = communes[code] ?? communes.count
                communes[code] = index
                village.commune = index
                lastCommune = (village.communeCode, index)
            }
            if yearCount > 0 {
                let last = population[v * yearCount + yearCount - 1]
                village.population = last > 0 ? last : nil
            }
            ordered.append(village)
        }
        // The cells, gathered from the pieces by several threads, each a range of villages.
        let block = measures.count * yearCount
        let failure = Mutex<PieceFailure?>(nil)
        let chunk = 4096
        let chunks = (order.count + chunk - 1) / chunk
        let cells = [Int](unsafeUninitializedCapacity: order.count * block) { buffer, initialized in
            let target = SendableBuffer(buffer)
            let work: @Sendable (Int) -> Void = { index in
                let range = (index * chunk)..<min(order.count, (index + 1) * chunk)
                if let problem = gather(villages: range, order: order, into: target.buffer) {
                    failure.withLock { if $0 == nil || $0?.piece ?? 0 > problem.piece { $0 = problem } }
                }
            }
            if threads <= 1 || chunks <= 1 {
                for index in 0..<chunks { work(index) }
            } else {
                DispatchQueue.concurrentPerform(iterations: chunks, execute: work)
            }
            initialized = order.count * block
        }
        if let problem = failure.withLock({ $0 }) { return .failure(problem) }
        guard let grid = CountGrid(years: years, measures: measures, villages: ordered, communeCount: communes.count, cells: cells) else {
            return .failure(PieceFailure(piece: 0, line: 0, reason: LocalizedText(vi: "số liệu quá lớn", en: "the data is too large")))
        }
        return .success(grid)
    }

    /// Fills the grid cells of the villages at `positions` of `order`: yearly data goes straight
    /// to the grid, months are gathered, then summed (a year with some months missing is
    /// incomplete). Returns the failure when two pieces hold the same cell.
    private func gather(villages positions: Range<Int>, order: [Int], into target: UnsafeMutableBufferPointer<Int>) -> PieceFailure? {
        let block = measures.count * years.count
        let ppy = periodsPerYear
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: block * ppy) { scratch -> PieceFailure? in
            for position in positions {
                let v = order[position]
                let out = ppy == 1 ? UnsafeMutableBufferPointer(rebasing: target[(position * block)..<((position + 1) * block)]) : scratch
                out.initialize(repeating: CountGrid.missing)
                let extra = moreSources.isEmpty ? nil : moreSources[v]
                if !gather(sources[v], into: out, first: true) {
                    return duplicate(sources[v], village: v)
                }
                for source in extra ?? [] where !gather(source, into: out, first: false) {
                    return duplicate(source, village: v)
                }
                guard ppy > 1 else { continue }
                for k in 0..<block {
                    var sum = 0
                    var present = 0
                    for month in 0..<ppy {
                        let value = out[k * ppy + month]
                        if value != CountGrid.missing {
                            sum += value
                            present += 1
                        }
                    }
                    target[position * block + k] = present == ppy ? sum : (present == 0 ? CountGrid.missing : CountGrid.incomplete)
                }
            }
            return nil
        }
    }

    private func duplicate(_ source: Source, village v: Int) -> PieceFailure {
        let village = villages[v]
        return PieceFailure(piece: Int(source.piece), line: 0, reason: LocalizedText(
            vi: "dòng trùng (thôn \(village.code ?? village.name))", en: "a duplicate row (village \(village.code ?? village.name))"))
    }

    /// Copies the cells of one piece village into `out` (`[measure][year][month]` of the grid);
    /// false when a cell is already filled.
    private func gather(_ source: Source, into out: UnsafeMutableBufferPointer<Int>, first: Bool) -> Bool {
        let piece = pieces[Int(source.piece)]
        let measureMap = measureMaps[Int(source.piece)]
        let yearMap = yearMaps[Int(source.piece)]
        let localMeasures = piece.measures.count
        let localYears = piece.years.count
        let yearCount = years.count
        let ppy = periodsPerYear
        let local = Int(source.local)
        if first && ppy == 1 && localMeasures == measures.count && localYears == yearCount
            && measureMap.elementsEqual(measureMap.indices) && yearMap.elementsEqual(yearMap.indices) {
            // The usual case: the piece has every measure and year in grid order.
            let block = localMeasures * localYears
            piece.cells.withUnsafeBufferPointer { cells in
                _ = out.update(fromContentsOf: cells[(local * block)..<((local + 1) * block)])
            }
            return true
        }
        return piece.cells.withUnsafeBufferPointer { cells in
            for m in 0..<localMeasures {
                for y in 0..<localYears {
                    let from = ((local * localMeasures + m) * localYears + y) * ppy
                    let to = (measureMap[m] * yearCount + yearMap[y]) * ppy
                    for k in 0..<ppy {
                        let value = cells[from + k]
                        if value == CountGrid.missing { continue }
                        if out[to + k] != CountGrid.missing { return false }
                        out[to + k] = value
                    }
                }
            }
            return true
        }
    }
}
