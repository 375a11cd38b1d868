/// Records of a table as byte ranges of one text: a delimited file or a worksheet.
protocol RecordSource {
    /// Reads the next record into `fields` (cleared first); false at the end.
    mutating func next(into fields: inout [FieldSpan]) -> Bool
    /// The line (file) or row number (sheet) of the record last returned.
    var recordNumber: Int { get }
    /// What was wrong with the record last returned, if anything.
    var problem: DelimitedCursor.Problem? { get }
    /// From now on, an empty cell of one of `columns` inside a vertically merged range takes
    /// the value of the range (a village name merged over its twelve month rows).
    mutating func repeatMergedCells(inColumns columns: [Int])
}

extension DelimitedCursor: RecordSource {
    /// Delimited text has no merged cells.
    mutating func repeatMergedCells(inColumns columns: [Int]) {}
}

/// The rows of a worksheet as records over the workbook's text arena.
///
/// Fields are dense from column A to the last non-empty cell of the row; empty cells are
/// empty ranges. Rows without any cell do not exist in the sheet XML and are not returned, so
/// `recordNumber` (the Excel row number) can jump.
struct SheetCursor: RecordSource {
    private let table: SheetTable
    private var index = 0
    private(set) var recordNumber = 0
    var problem: DelimitedCursor.Problem? { nil }
    /// Vertically merged ranges to repeat, with the text of their top-left cell, by column.
    private var repeated: [Int: [(merge: SheetTable.Merge, value: FieldSpan)]] = [:]

    init(_ table: SheetTable) {
        self.table = table
    }

    mutating func next(into fields: inout [FieldSpan]) -> Bool {
        guard index < table.rows.count else { return false }
        let row = table.rows[index]
        index += 1
        recordNumber = row.number
        fields.removeAll(keepingCapacity: true)
        for cell in table.cells[row.cells] {
            let column = Int(cell.column)
            guard column >= fields.count else { continue }
            while fields.count < column { fields.append(FieldSpan(start: 0, end: 0)) }
            fields.append(FieldSpan(start: Int(cell.start), end: Int(cell.start + cell.length)))
        }
        for (column, merges) in repeated {
            guard column >= fields.count || fields[column].count == 0 else { continue }
            guard let merge = merges.first(where: { $0.merge.firstRow < row.number && row.number <= $0.merge.lastRow }) else { continue }
            while fields.count <= column { fields.append(FieldSpan(start: 0, end: 0)) }
            fields[column] = merge.value
        }
        return true
    }

    mutating func repeatMergedCells(inColumns columns: [Int]) {
        repeated = [:]
        for merge in table.merges where merge.lastRow > merge.firstRow {
            guard let value = cell(row: merge.firstRow, column: merge.firstColumn), value.count > 0 else { continue }
            for column in columns where (merge.firstColumn...merge.lastColumn).contains(column) {
                repeated[column, default: []].append((merge, value))
            }
        }
    }

    /// Repeats every vertically merged cell (for showing rejected rows as the user sees them).
    mutating func repeatAllMergedCells() {
        let columns = table.merges.flatMap { Array($0.firstColumn...$0.lastColumn) }
        repeatMergedCells(inColumns: Array(Set(columns)).sorted())
    }

    /// The text range of the cell at `row` (1-based) and `column` (0-based), if it has one.
    private func cell(row: Int, column: Int) -> FieldSpan? {
        var low = 0
        var high = table.rows.count
        while low < high {
            let middle = (low + high) / 2
            if table.rows[middle].number < row { low = middle + 1 } else { high = middle }
        }
        guard low < table.rows.count, table.rows[low].number == row else { return nil }
        guard let found = table.cells[table.rows[low].cells].first(where: { Int($0.column) == column }) else { return nil }
        return FieldSpan(start: Int(found.start), end: Int(found.start + found.length))
    }
}
