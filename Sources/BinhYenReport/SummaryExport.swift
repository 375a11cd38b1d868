import BinhYenAnalytics
import BinhYenCore
import BinhYenStats
import Dispatch
import Foundation

/// Writes the `summary` table as CSV or JSON straight into byte buffers, on every core: the
/// national table (600,000 rows, 115 MB) in a fraction of a second.
///
/// The bytes are those of ``CSVWriter`` and ``JSONWriter`` rendering ``SummaryTable/fullTable(_:rows:)``
/// (the tests compare them): integers in ASCII digits, reals in Swift's shortest round-trip form
/// (`0.0` for zero), null as an empty CSV cell or JSON `null`, CSV text quoted when it holds the
/// separator, a quote or a line break and prefixed with `'` when it begins with `=`, `+`, `-`,
/// `@`, tab or CR; `excel` adds the UTF-8 BOM, `;` and CRLF. Work: blocks of villages are turned
/// into rows (``SummaryEngine``) and formatted on all threads, a round of blocks at a time,
/// into buffers that are reused (fresh memory costs page faults) and handed to `output` in order.
/// Integers are written digit by digit; reals with the standard library's shortest
/// round-trip algorithm into the buffer (no `String` per value), remembered in a small cache
/// because many values repeat (slopes of small counts, p-values).
public enum SummaryExport {
    /// The output format.
    public enum Format: Sendable, Hashable {
        case csv(excel: Bool)
        case json
    }

    /// Villages per block of work.
    static let blockVillages = 1024

    /// Writes the table of `engine` in `format`, handing the bytes to `output` in order.
    /// `metadata`: `# key: value` lines before the CSV header (``ExportMetadata/commentLines()``).
    public static func write(_ engine: SummaryEngine, format: Format, metadata: ExportMetadata? = nil, threads: Int,
                             to output: (UnsafeRawBufferPointer) throws -> Void) throws {
        let grid = engine.grid
        let fields = SummaryTable.fields(years: grid.years.count)
        let keys = fields.map { SummaryTable.key($0, grid: grid) }
        let blocks = (grid.villages.count + blockVillages - 1) / blockVillages
        let threads = max(1, threads)
        let layout = RowLayout(format: format, keys: keys)

        var head = ByteWriter(capacity: 4096)
        defer { head.release() }
        switch format {
        case .csv(let excel):
            if excel { head.append(0xEF, 0xBB, 0xBF) }
            for line in metadata?.commentLines() ?? [] {
                head.appendUTF8(line)
                head.appendLineEnd(excel: excel)
            }
            var sink = CSVCellSink(writer: head, separator: excel ? 0x3B : 0x2C)
            for (index, key) in keys.enumerated() {
                if index > 0 { sink.writer.append(sink.separator) }
                sink.text(key)
            }
            head = sink.writer
            head.appendLineEnd(excel: excel)
        case .json:
            break
        }
        try head.withBytes(output)

        // Workers format blocks in any order, at most `window` blocks ahead of the writer; this
        // thread writes them in order. No barrier: a worker delayed by other processes holds up
        // only its own block.
        let pipeline = BlockPipeline(blocks: blocks, window: 2 * threads + 2)
        let group = DispatchGroup()
        for _ in 0..<min(threads, max(1, blocks)) {
            DispatchQueue.global(qos: .userInitiated).async(group: group) {
                let state = FormatterState()
                while let (index, block) = pipeline.claim() {
                    let villages = (index * blockVillages)..<min(grid.villages.count, (index + 1) * blockVillages)
                    block.writer = formatRows(engine, villages: villages, fields: fields, layout: layout, into: block.writer, state: state)
                    pipeline.publish(index, block)
                }
            }
        }
        var wroteRow = false
        do {
            for index in 0..<blocks {
                let block = pipeline.take(index)
                try block.writer.withBytes { bytes in
                    guard !bytes.isEmpty else { return }
                    if case .json = format, !wroteRow {
                        // Every JSON row begins with ",\n"; the first one opens the array instead.
                        try [UInt8]("[\n".utf8).withUnsafeBytes(output)
                        try output(UnsafeRawBufferPointer(rebasing: bytes[2...]))
                    } else {
                        try output(bytes)
                    }
                    wroteRow = true
                }
                pipeline.recycle(block)
            }
        } catch {
            pipeline.cancel()
            group.wait()
            throw error
        }
        group.wait()
        if case .json = format {
            try [UInt8]((wroteRow ? "\n]\n" : "[]\n").utf8).withUnsafeBytes(output)
        }
    }

    /// Formats the rows of `villages` into `writer` (emptied first). Cells that depend only on
    /// the village or the measure are rendered once (with the first row that has them) and copied.
    private static func formatRows(_ engine: SummaryEngine, villages: Range<Int>, fields: [SummaryField], layout: RowLayout,
                                   into writer: ByteWriter, state: FormatterState) -> ByteWriter {
        switch layout.format {
        case .csv(let excel):
            var sink = CSVCellSink(writer: writer, separator: excel ? 0x3B : 0x2C, doubles: state.doubles, excel: excel)
            formatRows(engine, villages: villages, fields: fields, state: state, sink: &sink)
            return sink.writer
        case .json:
            var sink = JSONCellSink(writer: writer, doubles: state.doubles, keyPrefixes: layout.keyPrefixes)
            formatRows(engine, villages: villages, fields: fields, state: state, sink: &sink)
            return sink.writer
        }
    }

    private static func formatRows<Sink: ByteCellSink>(
        _ engine: SummaryEngine, villages: Range<Int>, fields: [SummaryField], state: FormatterState, sink: inout Sink
    ) {
        let grid = engine.grid
        let scopes = fields.map(SummaryTable.scope)
        var cached = state.cached
        cached.removeAll()
        var spans = [Range<Int>](repeating: 0..<0, count: fields.count * (grid.measures.count + 1))
        var measureDone = [Bool](repeating: false, count: grid.measures.count)
        sink.writer.removeAll()
        for village in villages {
            var villageDone = false
            for measure in grid.measures.indices {
                guard let row = engine.row(village: village, measure: measure, cache: &state.trends) else { continue }
                if !villageDone || !measureDone[measure] {
                    // Render the cells that repeat into the side buffer, remembering where they are.
                    swap(&sink.writer, &cached)
                    for (index, field) in fields.enumerated() {
                        let scope = scopes[index]
                        let slot: Int
                        switch scope {
                        case .village where !villageDone:
                            slot = index
                        case .measure where !measureDone[measure]:
                            slot = (measure + 1) * fields.count + index
                        default:
                            continue
                        }
                        let start = sink.writer.count
                        SummaryTable.emit(field, row: row, grid: grid, into: &sink)
                        spans[slot] = start..<sink.writer.count
                    }
                    swap(&sink.writer, &cached)
                    villageDone = true
                    measureDone[measure] = true
                }
                for (index, field) in fields.enumerated() {
                    sink.beginField(index)
                    switch scopes[index] {
                    case .row:
                        SummaryTable.emit(field, row: row, grid: grid, into: &sink)
                    case .village:
                        sink.writer.append(cached, spans[index])
                    case .measure:
                        sink.writer.append(cached, spans[(measure + 1) * fields.count + index])
                    }
                }
                sink.endRow()
            }
        }
        state.cached = cached
    }
}

/// A cell sink that writes bytes, and the bytes between cells.
protocol ByteCellSink: SummaryCellSink {
    var writer: ByteWriter { get set }
    /// Before the cell of column `index` (separator, or JSON key).
    mutating func beginField(_ index: Int)
    /// After the last cell of a row.
    mutating func endRow()
}

extension CSVCellSink: ByteCellSink {}
extension JSONCellSink: ByteCellSink {}

/// The per-column bytes that precede each JSON value (`"key": `, with `, ` after the first).
struct RowLayout: Sendable {
    var format: SummaryExport.Format
    var keyPrefixes: [[UInt8]]

    init(format: SummaryExport.Format, keys: [String]) {
        self.format = format
        keyPrefixes = keys.enumerated().map { index, key in
            Array(((index > 0 ? ", " : "") + JSONWriter.quoted(key) + ": ").utf8)
        }
    }
}

/// One reused output buffer.
final class OutputBlock: @unchecked Sendable {
    var writer = ByteWriter(capacity: 1 << 20)

    deinit { writer.release() }
}

/// Hands out block numbers to formatting threads and formatted blocks to the writer, in order,
/// keeping at most `window` blocks between the writer and the furthest claimed block.
final class BlockPipeline: @unchecked Sendable {
    private let condition = NSCondition()
    private let blocks: Int
    private let window: Int
    private var nextClaim = 0
    private var written = 0
    private var ready: [Int: OutputBlock] = [:]
    private var free: [OutputBlock] = []
    private var cancelled = false

    init(blocks: Int, window: Int) {
        self.blocks = blocks
        self.window = window
    }

    /// The next block to format and a buffer for it; nil when every block is claimed or the
    /// pipeline is cancelled. Waits while the writer is `window` blocks behind.
    func claim() -> (Int, OutputBlock)? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && nextClaim < blocks && nextClaim >= written + window { condition.wait() }
        guard !cancelled, nextClaim < blocks else { return nil }
        let index = nextClaim
        nextClaim += 1
        return (index, free.popLast() ?? OutputBlock())
    }

    /// A formatted block.
    func publish(_ index: Int, _ block: OutputBlock) {
        condition.lock()
        ready[index] = block
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for block `index`.
    func take(_ index: Int) -> OutputBlock {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let block = ready.removeValue(forKey: index) { return block }
            condition.wait()
        }
    }

    /// A written block's buffer, free for another block.
    func recycle(_ block: OutputBlock) {
        condition.lock()
        free.append(block)
        written += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Stops handing out blocks (the writer failed).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Caches of one formatting thread.
final class FormatterState: @unchecked Sendable {
    var trends = GridTrendCache()
    let doubles = DoubleTextCache()

    deinit {
        doubles.release()
        cached.release()
    }
    /// Rendered village and measure cells.
    var cached = ByteWriter(capacity: 1 << 12)
}

/// A growable byte buffer written through a pointer (no per-byte checks beyond capacity).
/// Memory is released explicitly with ``release()``; the owner keeps one copy.
struct ByteWriter: TextOutputStream {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    func release() { base.deallocate() }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ a: UInt8, _ b: UInt8, _ c: UInt8) {
        reserve(3)
        base[count] = a
        base[count + 1] = b
        base[count + 2] = c
        count += 3
    }

    mutating func append(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, _ e: UInt8) {
        reserve(5)
        base[count] = a
        base[count + 1] = b
        base[count + 2] = c
        base[count + 3] = d
        base[count + 4] = e
        count += 5
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        let length = bytes.count
        reserve(length)
        if length <= 16 {
            // Cells are short: a byte loop beats a call to memmove.
            let from = source.assumingMemoryBound(to: UInt8.self)
            for k in 0..<length { base[count + k] = from[k] }
        } else {
            UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: length)
        }
        count += length
    }

    mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    mutating func appendLineEnd(excel: Bool) {
        if excel { append(0x0D) }
        append(0x0A)
    }

    /// Decimal digits of `value`.
    @inline(__always)
    mutating func appendInteger(_ value: Int) {
        reserve(20)
        var magnitude = value.magnitude
        if value < 0 {
            base[count] = 0x2D
            count += 1
        }
        var digits = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var at = count + digits
        count = at
        repeat {
            at -= 1
            base[at] = 0x30 &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
    }

    /// Appends `range` of the bytes of `other`.
    @inline(__always)
    mutating func append(_ other: ByteWriter, _ range: Range<Int>) {
        append(UnsafeRawBufferPointer(start: other.base + range.lowerBound, count: range.count))
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    // TextOutputStream: the standard library writes a Double's digits through `_writeASCII`
    // from a stack buffer, so no String is made.
    mutating func write(_ string: String) { appendUTF8(string) }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { append(UnsafeRawBufferPointer(buffer)) }
}

/// The shortest round-trip text of recently formatted doubles (`NumberStyle.machine`), in a
/// direct-mapped table of 4,096 entries keyed by the bit pattern.
/// A value holding pointers (copies share the table and cost no reference counting); the
/// owner calls ``release()`` once.
struct DoubleTextCache {
    private static let slots = 4096
    private static let width = 32
    private let keys: UnsafeMutablePointer<UInt64>
    private let lengths: UnsafeMutablePointer<UInt8>
    private let texts: UnsafeMutablePointer<UInt8>

    init() {
        keys = .allocate(capacity: Self.slots)
        keys.initialize(repeating: UInt64.max, count: Self.slots)  // a NaN pattern: never a key
        lengths = .allocate(capacity: Self.slots)
        lengths.initialize(repeating: 0, count: Self.slots)
        texts = .allocate(capacity: Self.slots * Self.width)
    }

    func release() {
        keys.deallocate()
        lengths.deallocate()
        texts.deallocate()
    }

    /// Appends the machine text of the finite `value` to `writer`.
    @inline(__always)
    func append(_ value: Double, to writer: inout ByteWriter) {
        if value == 0 {
            writer.append(0x30, 0x2E, 0x30)
            return
        }
        let bits = value.bitPattern
        let slot = Int(truncatingIfNeeded: ((bits ^ (bits >> 29)) &* 0x9E37_79B9_7F4A_7C15) >> 52)
        let text = texts + slot * Self.width
        if keys[slot] == bits {
            writer.append(UnsafeRawBufferPointer(start: text, count: Int(lengths[slot])))
            return
        }
        let start = writer.count
        value.write(to: &writer)
        let length = writer.count - start
        if length <= Self.width {
            text.update(from: writer.base + start, count: length)
            lengths[slot] = UInt8(length)
            keys[slot] = bits
        }
    }
}

/// Writes CSV cells (``SummaryCellSink``).
struct CSVCellSink: SummaryCellSink {
    var writer: ByteWriter
    let separator: UInt8
    var doubles: DoubleTextCache?
    let excel: Bool

    init(writer: ByteWriter, separator: UInt8, doubles: DoubleTextCache? = nil, excel: Bool = false) {
        self.writer = writer
        self.separator = separator
        self.doubles = doubles
        self.excel = excel
    }

    @inline(__always)
    mutating func beginField(_ index: Int) {
        if index > 0 { writer.append(separator) }
    }

    @inline(__always)
    mutating func endRow() { writer.appendLineEnd(excel: excel) }

    mutating func text(_ value: String?) {
        guard var value else { return }
        value.withUTF8 { bytes in
            guard let first = bytes.first else { return }
            // Formula injection: = + - @ tab CR at the start get a leading apostrophe.
            let neutralize = first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D
            var quote = false
            for byte in bytes where byte == separator || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                quote = true
                break
            }
            if !quote && !neutralize {
                writer.append(UnsafeRawBufferPointer(bytes))
                return
            }
            if quote { writer.append(0x22) }
            if neutralize { writer.append(0x27) }
            for byte in bytes {
                if byte == 0x22 { writer.append(0x22) }
                writer.append(byte)
            }
            if quote { writer.append(0x22) }
        }
    }

    @inline(__always)
    mutating func integer(_ value: Int?) {
        guard let value else { return }
        writer.appendInteger(value)
    }

    @inline(__always)
    mutating func decimal(_ value: Double?) {
        guard let value, value.isFinite else { return }
        if let doubles {
            doubles.append(value, to: &writer)
        } else if value == 0 {
            writer.append(0x30, 0x2E, 0x30)
        } else {
            value.write(to: &writer)
        }
    }
}

/// Writes JSON values (``SummaryCellSink``).
struct JSONCellSink: SummaryCellSink {
    var writer: ByteWriter
    let doubles: DoubleTextCache
    let keyPrefixes: [[UInt8]]

    @inline(__always)
    mutating func beginField(_ index: Int) {
        if index == 0 { writer.append(0x2C, 0x0A, 0x20, 0x20, 0x7B) }
        keyPrefixes[index].withUnsafeBytes { writer.append($0) }
    }

    @inline(__always)
    mutating func endRow() { writer.append(0x7D) }

    private mutating func null() { writer.append(0x6E, 0x75, 0x6C); writer.append(0x6C) }

    mutating func text(_ value: String?) {
        guard var value else { return null() }
        let plain = value.withUTF8 { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2 || byte == 0x3C { return false }
            writer.append(0x22)
            writer.append(UnsafeRawBufferPointer(bytes))
            writer.append(0x22)
            return true
        }
        // Escapes, U+2028/U+2029 (which begin with 0xE2) and `</` go through the JSON writer's quoting.
        if !plain { writer.appendUTF8(JSONWriter.quoted(value)) }
    }

    mutating func integer(_ value: Int?) {
        guard let value else { return null() }
        writer.appendInteger(value)
    }

    mutating func decimal(_ value: Double?) {
        guard let value, value.isFinite else { return null() }
        doubles.append(value, to: &writer)
    }
}
