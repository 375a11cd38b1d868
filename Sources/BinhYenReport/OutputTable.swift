import BinhYenCore

/// A typed value of one output cell. Writers decide how it looks: machine formats (CSV, JSON)
/// write full-precision numbers; display formats (terminal, Markdown) round to the given digits
/// in the language's number style.
public enum CellValue: Sendable, Hashable {
    case text(String)
    case integer(Int)
    /// A real number shown with `digits` decimals in tables; written in full in CSV/JSON.
    case decimal(Double, digits: Int)
    /// A percentage in percent units (−3.56 means −3.56 %), shown with `digits` decimals and `%`.
    case percent(Double, digits: Int)
    /// A probability: 2 decimals from 0.01, 3 decimals from 0.001, else "< 0.001" in tables.
    case pValue(Double)
    case boolean(Bool)
    /// An undefined value: empty in CSV, `null` in JSON, "–" in tables. The reason is for
    /// readers of the model (the row's `note` column carries it in exports).
    case null(reason: LocalizedText?)
}

/// How a cell may be emphasised on a colour terminal (`TerminalTableWriter(color: true)`).
public enum CellTone: String, Sendable, Hashable {
    case good
    case bad
    case warning
    case muted
}

/// One cell: a value, display options and an optional tone.
public struct OutputCell: Sendable, Hashable {
    public var value: CellValue
    /// Show thousands separators in tables (off for years and codes).
    public var grouped: Bool
    /// Show an explicit `+` on positive numbers in tables (changes, percent changes).
    public var signed: Bool
    public var tone: CellTone?

    public init(_ value: CellValue, grouped: Bool = true, signed: Bool = false, tone: CellTone? = nil) {
        self.value = value
        self.grouped = grouped
        self.signed = signed
        self.tone = tone
    }

    /// A text cell; nil gives a null cell.
    public static func text(_ text: String?, tone: CellTone? = nil) -> OutputCell {
        OutputCell(text.map(CellValue.text) ?? .null(reason: nil), tone: tone)
    }

    /// An integer cell; nil gives a null cell with `reason`.
    public static func integer(_ value: Int?, grouped: Bool = true, signed: Bool = false,
                               reason: LocalizedText? = nil) -> OutputCell {
        OutputCell(value.map(CellValue.integer) ?? .null(reason: reason), grouped: grouped, signed: signed)
    }

    /// A decimal cell; nil, NaN and ±∞ give a null cell with `reason`.
    public static func decimal(_ value: Double?, digits: Int, signed: Bool = false,
                               reason: LocalizedText? = nil) -> OutputCell {
        guard let value, value.isFinite else { return OutputCell(.null(reason: reason)) }
        return OutputCell(.decimal(value, digits: digits), signed: signed)
    }

    /// A percent cell (percent units); nil, NaN and ±∞ give a null cell with `reason`.
    public static func percent(_ value: Double?, digits: Int = 2, signed: Bool = false,
                               reason: LocalizedText? = nil) -> OutputCell {
        guard let value, value.isFinite else { return OutputCell(.null(reason: reason)) }
        return OutputCell(.percent(value, digits: digits), signed: signed)
    }

    /// A p-value cell; nil, NaN and ±∞ give a null cell with `reason`.
    public static func pValue(_ value: Double?, reason: LocalizedText? = nil) -> OutputCell {
        guard let value, value.isFinite else { return OutputCell(.null(reason: reason)) }
        return OutputCell(.pValue(value))
    }

    /// A boolean cell; nil gives a null cell with `reason`.
    public static func boolean(_ value: Bool?, reason: LocalizedText? = nil) -> OutputCell {
        OutputCell(value.map(CellValue.boolean) ?? .null(reason: reason))
    }

    /// A null cell.
    public static func null(_ reason: LocalizedText? = nil) -> OutputCell { OutputCell(.null(reason: reason)) }

    /// Whether the value is a number (right-aligned in tables).
    var isNumeric: Bool {
        switch value {
        case .integer, .decimal, .percent, .pValue: return true
        case .text, .boolean, .null: return false
        }
    }
}

/// A column: a stable snake_case key (CSV header, JSON field) and a localized display header.
public struct OutputColumn: Sendable, Hashable {
    public var key: String
    public var header: LocalizedText

    public init(_ key: String, _ header: LocalizedText) {
        self.key = key
        self.header = header
    }

    /// A column whose display header is its key.
    public init(_ key: String) {
        self.init(key, .same(key))
    }
}

/// A table every writer can render: a title (printed above terminal and Markdown tables, e.g.
/// the period window), columns, rows of cells and footnotes.
///
/// Rows shorter than `columns` are padded with null cells by the writers; extra cells are ignored.
public struct OutputTable: Sendable, Hashable {
    public var title: LocalizedText?
    public var columns: [OutputColumn]
    public var rows: [[OutputCell]]
    public var footnotes: [LocalizedText]
    /// Facts about the data (period scheme, rule pack, year) for `--metadata` comment lines or sidecars.
    public var metadata: [MetadataEntry]

    public init(title: LocalizedText? = nil, columns: [OutputColumn], rows: [[OutputCell]] = [],
                footnotes: [LocalizedText] = [], metadata: [MetadataEntry] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.footnotes = footnotes
        self.metadata = metadata
    }

    /// The cells of row `index` padded or cut to the number of columns.
    func cells(ofRow index: Int) -> [OutputCell] {
        let row = rows[index]
        if row.count == columns.count { return row }
        if row.count > columns.count { return Array(row.prefix(columns.count)) }
        return row + Array(repeating: .null(), count: columns.count - row.count)
    }

    /// A copy keeping only the columns with these keys, in this order (unknown keys skipped).
    public func selecting(_ keys: [String]) -> OutputTable {
        let indices = keys.compactMap { key in columns.firstIndex { $0.key == key } }
        var copy = self
        copy.columns = indices.map { columns[$0] }
        copy.rows = rows.indices.map { r in
            let cells = cells(ofRow: r)
            return indices.map { cells[$0] }
        }
        return copy
    }
}

/// Renders an `OutputTable` as text.
public protocol TableWriter: Sendable {
    func render(_ table: OutputTable) -> String
}

extension OutputTable {
    /// The table with `columns` added at the end; `cells[i]` holds the new cells of row `i`.
    public func appending(columns added: [OutputColumn], cells: [[OutputCell]]) -> OutputTable {
        var copy = self
        copy.columns += added
        for index in copy.rows.indices {
            copy.rows[index] += index < cells.count ? cells[index] : added.map { _ in .null() }
        }
        return copy
    }
}
