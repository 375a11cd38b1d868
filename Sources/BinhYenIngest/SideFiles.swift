import BinhYenCore
import Foundation

/// A side file (`--villages`, `--crosswalk`): a path, or bytes already in memory.
public enum SideFile: Sendable, Hashable {
    case path(String)
    case bytes(name: String, [UInt8])

    /// The name used in diagnostics.
    public var name: String {
        switch self {
        case .path(let path): return path
        case .bytes(let name, _): return name
        }
    }
}

/// The rows of a side file as strings (CSV/TSV in any supported encoding, or every visible
/// sheet of an `.xlsx` workbook), trimmed and in NFC.
enum SideTable {
    struct Row {
        var location: SourceLocation
        var cells: [String]
    }

    enum Loaded {
        case success([Row])
        case failure(Diagnostic)
    }

    static func load(_ file: SideFile, options: IngestOptions) -> Loaded {
        let bytes: [UInt8]
        switch file {
        case .bytes(_, let content): bytes = content
        case .path(let path):
            switch Ingest.loadFile(path) {
            case .success(let content): bytes = content
            case .failure(let problem): return .failure(problem.diagnostic)
            }
        }
        let name = file.name
        if Ingest.isWorkbook(bytes, name: name) {
            switch Workbook.read(bytes, sheet: nil, limits: options.workbookLimits) {
            case .failure(let problem):
                return .failure(Diagnostic(.error, problem.code, at: SourceLocation(file: name, line: 0), problem.message))
            case .success(let book):
                var rows: [Row] = []
                book.arena.withUnsafeBytes { arena in
                    for sheet in book.sheets {
                        var cursor = SheetCursor(sheet)
                        var fields: [FieldSpan] = []
                        while cursor.next(into: &fields) {
                            rows.append(Row(location: SourceLocation(file: name, sheet: sheet.name, line: cursor.recordNumber),
                                            cells: fields.map { TextKey.nfc(DelimitedText.string($0, in: arena)) }))
                        }
                    }
                }
                return .success(rows)
            }
        }
        switch TextDecoder.decode(bytes, file: name, encoding: options.encoding) {
        case .rejected(let diagnostic): return .failure(diagnostic)
        case .text(let decoded):
            return .success(decoded.bytes.withUnsafeBytes { all in
                DelimitedText.records(of: UnsafeRawBufferPointer(rebasing: all[decoded.start...])).map {
                    Row(location: SourceLocation(file: name, line: $0.line), cells: $0.cells.map(TextKey.nfc))
                }
            })
        }
    }

    /// The first row (of the first 20) with at least two headings that `role` knows, and the
    /// column of each role found in it.
    static func header<Role: Hashable>(_ rows: [Row], role: (String) -> Role?) -> (index: Int, columns: [Role: Int])? {
        for (index, row) in rows.prefix(20).enumerated() {
            var columns: [Role: Int] = [:]
            for (column, cell) in row.cells.enumerated() where !cell.isEmpty {
                if let found = role(cell), columns[found] == nil { columns[found] = column }
            }
            if columns.count >= 2 { return (index, columns) }
        }
        return nil
    }

    /// A cell of `row` or "".
    static func cell(_ row: Row, _ column: Int?) -> String {
        guard let column, column < row.cells.count else { return "" }
        return row.cells[column]
    }
}
