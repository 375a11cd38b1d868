import BinhYenCore
import Foundation

/// The layout of a table, detected from its headings (SPEC §2).
public enum TableLayout: String, Sendable, Codable {
    /// One count per row: category, metric and count columns.
    case long
    /// One row per unit and period, one column per category or category + metric.
    case wide
    /// One row per event with its date, counted into periods by the period scheme (SPEC §2 layout 3).
    case incidents
}

/// How the columns of one file are read, decided from its header row.
struct TablePlan {
    var layout: TableLayout
    /// Headings as written (NFC), by column.
    var headings: [String]
    /// The column of each role (the first one when a role appears twice).
    var column: [ColumnRole: Int]
    /// Wide layout: the column of each series and its measure number in the builder.
    var measureColumns: [(column: Int, measure: Int)]
    /// Year taken from a title row ("BÁO CÁO … NĂM 2024") when there is no year column.
    var titleYear: Int?
    /// Columns of ignored roles (STT) where a subtotal label may stand.
    var labelColumns: [Int]
    /// Number of columns of the header.
    var width: Int
    /// Line (row) of the header.
    var headerLine: Int

    /// Columns that name the unit, period or series of a row: a vertically merged cell in
    /// them holds for every row of the merge.
    var identifyingColumns: [Int] {
        [ColumnRole.commune, .communeCode, .village, .villageCode, .year, .month, .quarter, .week, .category, .metric, .date]
            .compactMap { column[$0] }
    }
}

/// Reads one delimited file (decoded to UTF-8) into a `PanelBuilder`.
///
/// The header is the first of the first 50 records with at least two recognised headings
/// (`HeadingDictionary` roles or series headings); earlier records are title rows, and a single
/// "Năm 2024" in them gives the year when there is no year column. Blank records (empty or only
/// delimiters and spaces) are ignored and not counted.
enum DelimitedTableReader {
    static let headerSearchLimit = 50

    /// Longest row read, in bytes of its cells (1 MiB). A longer row — a file without line
    /// breaks, or one huge cell — is refused unread with an error, so that it cannot make the
    /// heading and value checks slow or be echoed into messages. (Excel's own limit is 32,767
    /// characters a cell.)
    static let maxRecordBytes = 1 << 20

    /// The size in bytes of a row over `maxRecordBytes`, nil for a row within it.
    static func overlongSize(_ fields: [FieldSpan]) -> Int? {
        var total = 0
        for field in fields { total += field.count }
        return total > maxRecordBytes ? total : nil
    }

    static func overlongRow(_ size: Int, file: String, sheet: String?, line: Int) -> Diagnostic {
        let megabytes = String((Double(size) / Double(1 << 20) * 10).rounded() / 10)
        return Diagnostic(.error, .malformedRow, at: SourceLocation(file: file, sheet: sheet, line: line), LocalizedText(
            vi: "Dòng dài \(megabytes.replacingOccurrences(of: ".", with: ",")) MB, quá giới hạn 1 MB của một dòng: không đọc (tệp không xuống dòng, hoặc tệp hỏng?).",
            en: "The row is \(megabytes) MB long, over the 1 MB limit for one row: not read (a file without line breaks, or a damaged file?)."))
    }

    static func read(_ decoded: DecodedText, file: String, builder: inout PanelBuilder, rejectedLines: inout [Int]) -> FileAccount {
        decoded.bytes.withUnsafeBytes { all -> FileAccount in
            let text = UnsafeRawBufferPointer(rebasing: all[decoded.start...])
            let delimiter = DelimitedText.detectDelimiter(in: text, preferTab: file.lowercased().hasSuffix(".tsv"))
            var account = FileAccount(file: file, encoding: decoded.encoding.rawValue, delimiter: delimiterName(delimiter))
            account.encodingConfidence = decoded.confidence
            return read(DelimitedCursor(text, delimiter: delimiter), text: text, file: file, sheet: nil, titles: [],
                        account: account, builder: &builder, rejectedLines: &rejectedLines)
        }
    }

    /// Reads one table (a delimited file or a worksheet) from `source`, whose fields are byte
    /// ranges of `text`. `titles` are extra title lines (a sheet name) searched for the year.
    /// The line of every rejected row is appended to `rejectedLines`.
    static func read<Source: RecordSource>(_ source: Source, text: UnsafeRawBufferPointer, file: String, sheet: String?,
                                           titles extraTitles: [(line: Int, text: String)], account initial: FileAccount,
                                           missingHeader: Severity = .error,
                                           builder: inout PanelBuilder, rejectedLines: inout [Int]) -> FileAccount {
        var account = initial
        var cursor = source
        var fields: [FieldSpan] = []
        var titles = extraTitles
        var header: (line: Int, cells: [String])?
        while header == nil && cursor.recordNumber < headerSearchLimit && cursor.next(into: &fields) {
            if let size = overlongSize(fields) {
                builder.log.add(overlongRow(size, file: file, sheet: sheet, line: cursor.recordNumber))
                continue
            }
            let cells = fields.map { TextKey.nfc(DelimitedText.string($0, in: text)) }
            if cells.allSatisfy(\.isEmpty) { continue }
            let recognised = cells.filter { !$0.isEmpty && (HeadingDictionary.role(of: $0) != nil
                || HeadingDictionary.measure(of: $0, in: builder.options.catalogue) != nil) }.count
            if recognised >= 2 {
                header = (cursor.recordNumber, cells)
            } else {
                titles.append((cursor.recordNumber, cells.filter { !$0.isEmpty }.joined(separator: " ")))
            }
        }
        guard let header else {
            let skipped = missingHeader == .error ? LocalizedText(vi: "", en: "")
                : LocalizedText(vi: " Trang này được bỏ qua (dùng --sheet để chọn trang).", en: " The sheet is skipped (use --sheet to choose sheets).")
            builder.log.add(Diagnostic(missingHeader, .missingColumn, at: SourceLocation(file: file, sheet: sheet, line: 1), LocalizedText(
                vi: "Không tìm thấy dòng tiêu đề trong \(headerSearchLimit) dòng đầu (cần ít nhất hai cột như Thôn, Năm, Lĩnh vực, Số lượng hoặc Tội phạm TTXH).\(skipped.vi)",
                en: "No header row in the first \(headerSearchLimit) rows (need at least two headings such as village, year, category, count or a category name).\(skipped.en)")))
            return account
        }
        // A second heading row under merged cells ("TNGT" over "Số vụ | Người chết").
        var headings = header.cells
        var lookahead = cursor
        if lookahead.next(into: &fields), overlongSize(fields) == nil {
            let below = fields.map { TextKey.nfc(DelimitedText.string($0, in: text)) }
            if let merged = mergedHeadings(headings, below, catalogue: builder.options.catalogue) {
                headings = merged
                cursor = lookahead
            }
        }
        guard let plan = makePlan(header: headings, line: header.line, titles: titles, file: file, sheet: sheet, builder: &builder) else {
            // The file cannot be read: every data row is rejected (and counted).
            while cursor.next(into: &fields) {
                if isBlank(fields, in: text) { continue }
                account.rowsRead += 1
                account.rejected += 1
                rejectedLines.append(cursor.recordNumber)
            }
            return account
        }
        account.layout = plan.layout.rawValue
        cursor.repeatMergedCells(inColumns: plan.identifyingColumns)
        if plan.layout == .incidents {
            var incidents = IncidentReader(text: text, file: file, sheet: sheet, plan: plan, builder: &builder)
            while cursor.next(into: &fields) {
                if refuseOverlong(fields, line: cursor.recordNumber, file: file, sheet: sheet, account: &account,
                                  builder: &builder, rejectedLines: &rejectedLines) { continue }
                let before = account.rejected
                incidents.read(fields, line: cursor.recordNumber, account: &account, builder: &builder)
                if account.rejected > before { rejectedLines.append(cursor.recordNumber) }
            }
            incidents.finish(account: &account, builder: &builder)
        } else {
            // Room for the facts of a typical row (about 50–60 bytes a long row, 40 + 3 a cell wide).
            let cells = plan.measureColumns.count
            builder.reserveFacts(plan.layout == .wide ? text.count / (40 + 3 * cells) * cells : text.count / 48)
            var rows = RowReader(text: text, file: file, sheet: sheet, plan: plan, builder: &builder)
            while cursor.next(into: &fields) {
                if refuseOverlong(fields, line: cursor.recordNumber, file: file, sheet: sheet, account: &account,
                                  builder: &builder, rejectedLines: &rejectedLines) { continue }
                let before = account.rejected
                rows.read(fields, line: cursor.recordNumber, problem: cursor.problem, account: &account, builder: &builder)
                if account.rejected > before { rejectedLines.append(cursor.recordNumber) }
            }
            rows.finish(account: &account, builder: &builder)
        }
        if account.rowsRead == 0 {
            builder.log.add(Diagnostic(.warning, .emptyFile, at: SourceLocation(file: file, sheet: sheet, line: header.line), LocalizedText(
                vi: "Tệp có dòng tiêu đề nhưng không có dòng số liệu nào.", en: "The file has a header row but no data rows.")))
        }
        return account
    }

    /// Counts a data row over `maxRecordBytes` as read and rejected, with its error; false for
    /// a row within the limit.
    private static func refuseOverlong(_ fields: [FieldSpan], line: Int, file: String, sheet: String?, account: inout FileAccount,
                                       builder: inout PanelBuilder, rejectedLines: inout [Int]) -> Bool {
        guard let size = overlongSize(fields) else { return false }
        builder.log.add(overlongRow(size, file: file, sheet: sheet, line: line))
        account.rowsRead += 1
        account.rejected += 1
        rejectedLines.append(line)
        return true
    }

    static func delimiterName(_ delimiter: UInt8) -> String {
        delimiter == ASCII.tab ? "\\t" : String(UnicodeScalar(delimiter))
    }

    static func isBlank(_ fields: [FieldSpan], in text: UnsafeRawBufferPointer) -> Bool {
        for field in fields {
            var i = field.start
            while i < field.end {
                let b = text[i]
                if b != ASCII.space && b != ASCII.tab && b != ASCII.quote { return false }
                i += 1
            }
        }
        return true
    }

    /// Headings of a two-row header, when `below` is a row of sub-headings under merged group
    /// cells: "TNGT" spanning three columns over "Số vụ", "Người chết", "Bị thương" gives
    /// "TNGT - Số vụ", "TNGT - Người chết", "TNGT - Bị thương". Nil when `below` is not such a
    /// row (it has a cell that is neither empty, nor a metric of the category above it, nor a
    /// known heading under an empty cell) or adds no series.
    static func mergedHeadings(_ header: [String], _ below: [String], catalogue: Catalogue) -> [String]? {
        guard below.contains(where: { !$0.isEmpty }) else { return nil }
        var merged = header
        var group: (heading: String, category: CategoryID)?
        var addsSeries = false
        for column in 0..<max(header.count, below.count) {
            let top = column < header.count ? header[column] : ""
            let sub = column < below.count ? below[column] : ""
            if !top.isEmpty {
                group = HeadingDictionary.resolve(top, in: catalogue).map { (top, $0.category) }
            }
            if sub.isEmpty { continue }
            if let group, HeadingDictionary.metric(named: sub, in: group.category, catalogue: catalogue) != nil {
                let heading = "\(group.heading) - \(sub)"
                if column < merged.count { merged[column] = heading } else { merged.append(heading) }
                addsSeries = true
            } else if top.isEmpty, HeadingDictionary.role(of: sub) != nil {
                if column < merged.count { merged[column] = sub } else { merged.append(sub) }
            } else {
                return nil
            }
        }
        return addsSeries ? merged : nil
    }

    /// The year of a title row ("BÁO CÁO … NĂM 2024", "Năm 2024"), when exactly one is named.
    static func titleYear(_ titles: [(line: Int, text: String)]) -> (year: Int, line: Int)? {
        var found: [(year: Int, line: Int)] = []
        for title in titles {
            let words = TextKey.loose(title.text).split(separator: " ")
            for i in words.indices.dropLast() where words[i] == "nam" || words[i] == "year" {
                if words[i + 1].count == 4, let year = Int(words[i + 1]), PeriodField.year.range.contains(year) {
                    found.append((year, title.line))
                }
            }
        }
        guard let first = found.first, found.allSatisfy({ $0.year == first.year }) else { return nil }
        return first
    }

    /// Decides the layout and the use of every column; logs what it finds. Nil when the file
    /// cannot be read (no layout, a required column missing).
    static func makePlan(header: [String], line: Int, titles: [(line: Int, text: String)], file: String, sheet: String?,
                         builder: inout PanelBuilder) -> TablePlan? {
        let catalogue = builder.options.catalogue
        func at(_ column: Int) -> SourceLocation {
            SourceLocation(file: file, sheet: sheet, line: line, column: column + 1, columnName: header[column])
        }
        var column: [ColumnRole: Int] = [:]
        var measures: [(column: Int, measure: Measure)] = []
        var unknown: [Int] = []
        var labelColumns: [Int] = []
        for (i, heading) in header.enumerated() where !heading.isEmpty {
            if let role = HeadingDictionary.role(of: heading) {
                if role == .ignored {
                    labelColumns.append(i)
                } else if let first = column[role] {
                    builder.log.add(Diagnostic(.warning, .unknownHeading, at: at(i), LocalizedText(
                        vi: "Cột “\(heading)” trùng vai trò với cột \(first + 1) “\(header[first])”; bỏ qua cột này.",
                        en: "Column “\(heading)” has the same role as column \(first + 1) “\(header[first])”; this column is ignored.")))
                } else {
                    column[role] = i
                }
            } else if let measure = HeadingDictionary.measure(of: heading, in: catalogue) {
                measures.append((i, measure))
            } else {
                unknown.append(i)
            }
        }
        let layout: TableLayout
        if column[.count] != nil {
            layout = .long
        } else if column[.date] != nil && column[.category] != nil && measures.isEmpty {
            layout = .incidents
        } else if !measures.isEmpty {
            layout = .wide
        } else {
            builder.log.add(Diagnostic(.error, .missingColumn, at: SourceLocation(file: file, sheet: sheet, line: line), LocalizedText(
                vi: "Không nhận ra bố cục bảng: không có cột số lượng (Số lượng, count) cũng không có cột lĩnh vực (Tội phạm TTXH, TNGT - số vụ, …).",
                en: "Cannot tell the table layout: no count column (Số lượng, count) and no category columns (Tội phạm TTXH, TNGT - số vụ, …).")))
            return nil
        }
        var usable = true
        let unused: [ColumnRole] = layout == .incidents
            ? [.year, .month, .quarter, .week, .metric, .count, .population, .households]
            : [.date, .deaths, .injuries, .damage, .severity]
        for role in unused {
            if let i = column[role] {
                builder.log.add(Diagnostic(.warning, .unknownHeading, at: at(i), LocalizedText(
                    vi: layout == .incidents ? "Danh sách vụ việc (mỗi dòng một vụ, có cột ngày): cột “\(header[i])” không dùng được; bỏ qua."
                        : "Cột “\(header[i])” chỉ dùng cho danh sách vụ việc (mỗi dòng một vụ, có cột ngày); bỏ qua.",
                    en: layout == .incidents ? "Incident list (one event per row, with a date column): column “\(header[i])” has no use here; ignored."
                        : "Column “\(header[i])” is only used in incident lists (one event per row, with a date); ignored.")))
                column[role] = nil
            }
        }
        switch layout {
        case .incidents:
            for i in unknown {
                builder.log.add(unknownHeading(header[i], at: at(i), catalogue: catalogue, severity: .warning))
            }
        case .long:
            if column[.category] == nil {
                usable = false
                builder.log.add(missingColumn(.category, file: file, sheet: sheet, line: line))
            }
            for (i, measure) in measures {
                builder.log.add(Diagnostic(.warning, .unknownHeading, at: at(i), LocalizedText(
                    vi: "Bảng dạng dọc (có cột số lượng) nhưng cột “\(header[i])” mang tên lĩnh vực \(measure); bỏ qua cột này.",
                    en: "Long table (it has a count column) but column “\(header[i])” names the series \(measure); the column is ignored.")))
            }
            for i in unknown {
                builder.log.add(unknownHeading(header[i], at: at(i), catalogue: catalogue, severity: .warning))
            }
        case .wide:
            for i in unknown {
                builder.log.add(unknownHeading(header[i], at: at(i), catalogue: catalogue, severity: .error))
            }
            for role in [ColumnRole.category, .metric, .excluded] {
                if let i = column[role] {
                    builder.log.add(Diagnostic(.warning, .unknownHeading, at: at(i), LocalizedText(
                        vi: "Bảng dạng ngang (mỗi lĩnh vực một cột): cột “\(header[i])” không dùng được; bỏ qua.",
                        en: "Wide table (one column per category): column “\(header[i])” has no use here; ignored.")))
                    column[role] = nil
                }
            }
        }
        var title = titleYear(titles)
        if column[.year] != nil || layout == .incidents {
            title = nil
        } else if let found = title, found.line == 0 {
            // Line 0 is the sheet name (Ingest passes it as the first title).
            builder.log.add(Diagnostic(.note, .missingColumn, at: SourceLocation(file: file, sheet: sheet, line: line), LocalizedText(
                vi: "Không có cột năm: dùng năm \(found.year) ghi ở tên trang tính.",
                en: "No year column: using the year \(found.year) named by the sheet.")))
        } else if let found = title {
            builder.log.add(Diagnostic(.note, .missingColumn, at: SourceLocation(file: file, sheet: sheet, line: found.line), LocalizedText(
                vi: "Không có cột năm: dùng năm \(found.year) ghi ở dòng tiêu đề.",
                en: "No year column: using the year \(found.year) named in the title row.")))
        } else {
            usable = false
            builder.log.add(missingColumn(.year, file: file, sheet: sheet, line: line))
        }
        if column[.commune] == nil && column[.communeCode] == nil {
            let name = builder.defaultCommuneName
            let villages = column[.village] != nil || column[.villageCode] != nil
            builder.log.add(Diagnostic(.note, .missingColumn, at: SourceLocation(file: file, sheet: sheet, line: line), LocalizedText(
                vi: (villages ? "Không có cột xã: các thôn được tính vào xã “\(name)”." : "Không có cột xã, thôn: số liệu được tính cho xã “\(name)”.")
                    + (builder.namedDefaultCommune == nil ? " Đặt tên xã bằng --commune hoặc tệp danh sách thôn (--villages)." : ""),
                en: (villages ? "No commune column: villages are counted under the commune “\(name)”." : "No commune or village column: values are counted for the commune “\(name)”.")
                    + (builder.namedDefaultCommune == nil ? " Name the commune with --commune or a villages file (--villages)." : ""))))
        }
        guard usable else { return nil }
        var measureColumns: [(column: Int, measure: Int)] = []
        var seen: [Measure: Int] = [:]
        for (i, measure) in measures where layout == .wide {
            if let first = seen[measure] {
                builder.log.add(Diagnostic(.error, .unknownHeading, at: at(i), LocalizedText(
                    vi: "Cột “\(header[i])” cùng chỉ tiêu \(measure) với cột \(first + 1) “\(header[first])”; bỏ qua cột này.",
                    en: "Column “\(header[i])” names the same series \(measure) as column \(first + 1) “\(header[first])”; this column is ignored.")))
                continue
            }
            seen[measure] = i
            measureColumns.append((i, builder.measureNumber(measure)))
        }
        return TablePlan(layout: layout, headings: header, column: column, measureColumns: measureColumns,
                         titleYear: title?.year, labelColumns: labelColumns, width: header.count, headerLine: line)
    }

    static func missingColumn(_ role: ColumnRole, file: String, sheet: String?, line: Int) -> Diagnostic {
        let examples = HeadingDictionary.spellings.first { $0.role == role }?.headings.prefix(4).joined(separator: ", ") ?? role.rawValue
        return Diagnostic(.error, .missingColumn, at: SourceLocation(file: file, sheet: sheet, line: line), LocalizedText(
            vi: "Thiếu cột \(role.rawValue) (ví dụ tiêu đề: \(examples)).",
            en: "Missing the \(role.rawValue) column (headings such as \(examples))."))
    }

    static func unknownHeading(_ heading: String, at location: SourceLocation, catalogue: Catalogue, severity: Severity) -> Diagnostic {
        let nearest = HeadingDictionary.nearestHeadings(to: heading, catalogue: catalogue)
        let hintVI = nearest.isEmpty ? "" : " Có phải: \(nearest.map { "“\($0)”" }.joined(separator: ", "))?"
        let hintEN = nearest.isEmpty ? "" : " Did you mean \(nearest.map { "“\($0)”" }.joined(separator: ", "))?"
        let consequence = severity == .error
            ? LocalizedText(vi: "số liệu của cột này không được đọc.", en: "the values of this column are not read.")
            : LocalizedText(vi: "bỏ qua cột này.", en: "the column is ignored.")
        return Diagnostic(severity, .unknownHeading, at: location, LocalizedText(
            vi: "Không nhận ra tiêu đề cột “\(heading)”: \(consequence.vi)\(hintVI)",
            en: "Unknown column heading “\(heading)”: \(consequence.en)\(hintEN)"))
    }
}

/// Reads the data rows of one file: resolves units, periods, series and counts with caches
/// keyed by the raw bytes of the cells, so that a cell spelled as in an earlier row costs a
/// hash lookup (or a byte comparison with the previous row) and no string.
struct RowReader {
    let text: UnsafeRawBufferPointer
    let file: String
    let sheet: String?
    let plan: TablePlan
    let catalogue: Catalogue
    /// The column of each role, looked up once (a dictionary lookup per cell costs too much).
    private let col: RoleColumns
    /// Per column: location template index and the location without line (for diagnostics).
    private var templates: [Int32]
    private var columnLocations: [SourceLocation]

    private var communes = ByteInterner()
    private var villages = ByteInterner(capacity: 1024)
    private var measureCache = ByteInterner()
    private var nameCache = ByteInterner(capacity: 1024)
    private var names: [(text: String, isSubtotal: Bool)] = []
    private var scratch: [UInt8] = []
    private var lastCommune: (code: FieldSpan, name: FieldSpan, value: Int32)?
    private var lastVillage: (commune: Int32, code: FieldSpan, name: FieldSpan, value: Int32)?
    private var defaultCommune: Int?

    private var emptyCells = 0
    private var firstEmptyCell: SourceLocation?

    /// Cache values below zero.
    private enum Marker {
        static let empty: Int32 = -1
        static let subtotal: Int32 = -2
        static let ambiguous: Int32 = -3
        static let unknownCategory: Int32 = -4
        static let unknownMetric: Int32 = -5
        static let metricDisagrees: Int32 = -6
    }

    init(text: UnsafeRawBufferPointer, file: String, sheet: String?, plan: TablePlan, builder: inout PanelBuilder) {
        self.text = text
        self.file = file
        self.sheet = sheet
        self.plan = plan
        catalogue = builder.options.catalogue
        col = RoleColumns(plan.column)
        let locations = plan.headings.enumerated().map { i, heading in
            SourceLocation(file: file, sheet: sheet, line: 0, column: i + 1, columnName: heading.isEmpty ? nil : heading)
        }
        columnLocations = locations
        templates = locations.map { builder.locationTemplate($0) }
        scratch.reserveCapacity(256)
    }

    private func location(_ column: Int, _ line: Int) -> SourceLocation {
        var location = column < columnLocations.count ? columnLocations[column] : SourceLocation(file: file, sheet: sheet, line: 0, column: column + 1)
        location.line = line
        return location
    }

    private func rowLocation(_ line: Int) -> SourceLocation { SourceLocation(file: file, sheet: sheet, line: line) }

    // MARK: Cells

    /// The field of `column`, trimmed of spaces, tabs and no-break spaces; empty when the row is short.
    @inline(__always)
    private func cell(_ fields: [FieldSpan], _ column: Int?) -> FieldSpan {
        guard let column, column < fields.count else { return FieldSpan(start: 0, end: 0) }
        var span = fields[column]
        while span.start < span.end {
            let b = text[span.start]
            if b == ASCII.space || b == ASCII.tab {
                span.start += 1
            } else if b == 0xC2 && span.start + 1 < span.end && text[span.start + 1] == 0xA0 {
                span.start += 2
            } else {
                break
            }
        }
        while span.end > span.start {
            let b = text[span.end - 1]
            if b == ASCII.space || b == ASCII.tab {
                span.end -= 1
            } else if b == 0xA0 && span.end - 2 >= span.start && text[span.end - 2] == 0xC2 {
                span.end -= 2
            } else {
                break
            }
        }
        return span
    }

    private func string(_ span: FieldSpan) -> String {
        FastText.nfc(DelimitedText.string(span, in: text))
    }

    /// The NFC text of a name or code cell and whether it is a subtotal label, computed once per
    /// distinct spelling (names repeat across communes: "Xóm 1", "Thôn Đông").
    private mutating func name(_ span: FieldSpan) -> (text: String, isSubtotal: Bool) {
        if span.needsUnescaping {
            let value = string(span)
            return (value, !value.isEmpty && SubtotalWords.isSubtotal(value))
        }
        let raw = UnsafeRawBufferPointer(rebasing: text[span.start..<span.end])
        let hash = ByteInterner.hash(raw)
        if let index = nameCache.value(for: raw, hash: hash) { return names[Int(index)] }
        let value = string(span)
        let entry = (value, !value.isEmpty && SubtotalWords.isSubtotal(value))
        names.append(entry)
        nameCache.insert(raw, hash: hash, value: Int32(names.count - 1))
        return entry
    }

    @inline(__always)
    private func sameBytes(_ a: FieldSpan, _ b: FieldSpan) -> Bool {
        let n = a.end - a.start
        guard n == b.end - b.start, a.needsUnescaping == b.needsUnescaping else { return false }
        if n == 0 { return true }
        guard let base = text.baseAddress else { return false }
        return memcmp(base + a.start, base + b.start, n) == 0
    }

    /// Puts `prefix` and the bytes of `first` and `second` (separated by 0x1F) into `scratch`.
    private mutating func composeKey(prefix: Int32?, _ first: FieldSpan, _ second: FieldSpan) {
        scratch.removeAll(keepingCapacity: true)
        if let prefix { withUnsafeBytes(of: prefix.littleEndian) { scratch.append(contentsOf: $0) } }
        append(first)
        scratch.append(0x1F)
        append(second)
    }

    @inline(__always)
    private mutating func append(_ span: FieldSpan) {
        if span.needsUnescaping { scratch.append(ASCII.quote) }
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[span.start..<span.end]))
    }

    /// Plain digits without a leading zero (or a single "0"), at most 12 of them.
    @inline(__always)
    private func plainNumber(_ span: FieldSpan) -> Int? {
        let n = span.end - span.start
        guard n > 0, n <= 12, !span.needsUnescaping else { return nil }
        if n > 1 && text[span.start] == ASCII.zero { return nil }
        var value = 0
        for i in span.start..<span.end {
            let digit = text[i] &- ASCII.zero
            if digit > 9 { return nil }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }

    // MARK: Rows

    mutating func read(_ fields: [FieldSpan], line: Int, problem: DelimitedCursor.Problem?,
                       account: inout FileAccount, builder: inout PanelBuilder) {
        if DelimitedTableReader.isBlank(fields, in: text) { return }
        account.rowsRead += 1
        if case .unterminatedQuote(let opened) = problem {
            account.rejected += 1
            builder.log.add(Diagnostic(.error, .malformedRow, at: rowLocation(line), LocalizedText(
                vi: "Dấu ngoặc kép mở ở dòng văn bản \(opened) không được đóng: phần còn lại của tệp bị bỏ qua.",
                en: "A quote opened on text line \(opened) is never closed: the rest of the file is skipped.")))
            return
        }
        if case .tooManyFields(let limit) = problem {
            account.rejected += 1
            builder.log.add(Diagnostic(.error, .malformedRow, at: rowLocation(line), LocalizedText(
                vi: "Dòng có hơn \(limit) ô (giới hạn số cột của Excel): không đọc.",
                en: "The row has more than \(limit) cells (Excel's column limit): not read.")))
            return
        }
        if fields.count > plan.width {
            let extra = fields[plan.width...].contains { cell([$0], 0).count > 0 }
            if extra {
                account.rejected += 1
                builder.log.add(Diagnostic(.error, .malformedRow, at: rowLocation(line), LocalizedText(
                    vi: "Dòng có \(fields.count) ô nhưng tiêu đề chỉ có \(plan.width) cột: có thể một ô chứa dấu phân cách mà không đặt trong ngoặc kép.",
                    en: "The row has \(fields.count) cells but the header has \(plan.width) columns: perhaps a cell holds the delimiter without quotes.")))
                return
            }
        }
        for field in fields where field.hasTextAfterClosingQuote {
            builder.log.add(Diagnostic(.warning, .malformedRow, at: location(fields.firstIndex(of: field) ?? 0, line), LocalizedText(
                vi: "Có chữ sau dấu ngoặc kép đóng; đọc như Excel (nối liền).", en: "Text after a closing quote; read as Excel does (joined).")))
        }
        let row = builder.beginRow()
        let unit: Int
        switch resolveUnit(fields, line: line, builder: &builder) {
        case .unit(let index): unit = index
        case .skipped:
            account.skipped += 1
            return
        case .rejected:
            account.rejected += 1
            return
        }
        guard let year = readYear(fields, line: line, builder: &builder),
              let subperiod = readSubperiod(fields, line: line, builder: &builder),
              readAttributes(fields, unit: unit, year: year, line: line, builder: &builder)
        else {
            account.rejected += 1
            return
        }
        switch plan.layout {
        case .long, .incidents:
            // Incident lists are read by `IncidentReader`; a plan never sends them here.
            readLongValue(fields, unit: unit, year: year, subperiod: subperiod, row: row, line: line, account: &account, builder: &builder)
        case .wide:
            var rejectedCells = 0
            var recorded = 0
            for (column, measure) in plan.measureColumns {
                switch readCount(cell(fields, column), column: column, line: line, builder: &builder) {
                case .value(let count):
                    builder.record(unit: unit, measure: measure, year: year, subperiod: subperiod, count: count, excluded: 0,
                                   row: row, line: line, location: templates[column])
                    recorded += 1
                case .missing, .notAvailable:
                    builder.record(unit: unit, measure: measure, year: year, subperiod: subperiod, count: nil, excluded: 0,
                                   row: row, line: line, location: templates[column])
                    recorded += 1
                case .invalid:
                    rejectedCells += 1
                }
            }
            if recorded == 0 { account.rejected += 1 } else { account.rejectedValues += rejectedCells }
        }
    }

    // MARK: Units

    private enum UnitOutcome {
        case unit(Int)
        /// A subtotal row (noted).
        case skipped
        /// An error was logged.
        case rejected
    }

    private mutating func resolveUnit(_ fields: [FieldSpan], line: Int, builder: inout PanelBuilder) -> UnitOutcome {
        let communeColumn = col.commune ?? col.communeCode
        var commune: Int32
        if communeColumn == nil {
            if defaultCommune == nil, case .found(let index) = builder.commune(name: builder.defaultCommuneName, code: "", at: rowLocation(line)) {
                defaultCommune = index
            }
            commune = Int32(defaultCommune ?? 0)
        } else {
            let code = cell(fields, col.communeCode)
            let name = cell(fields, col.commune)
            if let last = lastCommune, sameBytes(last.code, code), sameBytes(last.name, name) {
                commune = last.value
            } else {
                composeKey(prefix: nil, code, name)
                let hash = scratch.withUnsafeBytes { ByteInterner.hash($0) }
                if let cached = scratch.withUnsafeBytes({ communes.value(for: $0, hash: hash) }) {
                    commune = cached
                } else {
                    let codeText = self.name(code).text
                    let (nameText, isSubtotal) = self.name(name)
                    if codeText.isEmpty && nameText.isEmpty {
                        commune = Marker.empty
                    } else if isSubtotal {
                        commune = Marker.subtotal
                    } else {
                        switch builder.commune(name: nameText, code: codeText, at: location(communeColumn ?? 0, line)) {
                        case .found(let index): commune = Int32(index)
                        case .ambiguous, .unknown, .ambiguousRegistered: commune = Marker.ambiguous
                        }
                    }
                    scratch.withUnsafeBytes { communes.insert($0, hash: hash, value: commune) }
                }
                lastCommune = (code, name, commune)
            }
            switch commune {
            case Marker.empty:
                builder.log.add(Diagnostic(.error, .missingValue, at: location(communeColumn ?? 0, line), LocalizedText(
                    vi: "Ô xã trống.", en: "The commune cell is empty.")))
                return .rejected
            case Marker.subtotal:
                skipSubtotal(string(name), column: col.commune ?? 0, line: line, builder: &builder)
                return .skipped
            case Marker.ambiguous:
                let lookup = builder.commune(name: string(name), code: string(code), at: rowLocation(line))
                builder.log.add(builder.lookupDiagnostic(lookup, name: string(name), at: location(communeColumn ?? 0, line)))
                return .rejected
            default:
                break
            }
        }
        guard let villageColumn = col.village ?? col.villageCode else { return .unit(Int(commune)) }
        let code = cell(fields, col.villageCode)
        let name = cell(fields, col.village)
        var village: Int32
        if let last = lastVillage, last.commune == commune, sameBytes(last.code, code), sameBytes(last.name, name) {
            village = last.value
        } else {
            composeKey(prefix: commune, code, name)
            let hash = scratch.withUnsafeBytes { ByteInterner.hash($0) }
            if let cached = scratch.withUnsafeBytes({ villages.value(for: $0, hash: hash) }) {
                village = cached
            } else {
                let codeText = self.name(code).text
                let (nameText, isSubtotal) = self.name(name)
                if codeText.isEmpty && nameText.isEmpty {
                    village = Marker.empty
                } else if isSubtotal {
                    village = Marker.subtotal
                } else {
                    switch builder.village(in: Int(commune), name: nameText, code: codeText, at: location(villageColumn, line)) {
                    case .found(let index): village = Int32(index)
                    case .ambiguous, .unknown, .ambiguousRegistered: village = Marker.ambiguous
                    }
                }
                scratch.withUnsafeBytes { villages.insert($0, hash: hash, value: village) }
            }
            lastVillage = (commune, code, name, village)
        }
        switch village {
        case Marker.empty:
            // A commune-level row, unless a label column says it is a subtotal.
            for column in plan.labelColumns {
                let label = cell(fields, column)
                if label.count > 0, !(ASCII.zero...ASCII.nine).contains(text[label.start]), SubtotalWords.isSubtotal(string(label)) {
                    skipSubtotal(string(label), column: column, line: line, builder: &builder)
                    return .skipped
                }
            }
            return .unit(Int(commune))
        case Marker.subtotal:
            skipSubtotal(string(name), column: col.village ?? villageColumn, line: line, builder: &builder)
            return .skipped
        case Marker.ambiguous:
            let lookup = builder.village(in: Int(commune), name: string(name), code: string(code), at: rowLocation(line))
            builder.log.add(builder.lookupDiagnostic(lookup, name: string(name), at: location(villageColumn, line)))
            return .rejected
        default:
            return .unit(Int(village))
        }
    }

    private func skipSubtotal(_ label: String, column: Int, line: Int, builder: inout PanelBuilder) {
        builder.log.add(Diagnostic(.note, .skipped, at: location(column, line), LocalizedText(
            vi: "Dòng tổng “\(label)” được bỏ qua (BinhYen tự cộng từ các thôn).",
            en: "Subtotal row “\(label)” skipped (BinhYen adds up the villages itself).")))
    }

    // MARK: Periods

    private func readYear(_ fields: [FieldSpan], line: Int, builder: inout PanelBuilder) -> Int? {
        guard let column = col.year else { return plan.titleYear }
        let span = cell(fields, column)
        if span.count == 4, let year = plainNumber(span), PeriodField.year.range.contains(year) { return year }
        if span.count == 0 {
            builder.log.add(Diagnostic(.error, .missingValue, at: location(column, line), LocalizedText(vi: "Ô năm trống.", en: "The year cell is empty.")))
            return nil
        }
        return readPeriod(span, field: .year, column: column, line: line, builder: &builder)
    }

    private func readPeriod(_ span: FieldSpan, field: PeriodField, column: Int, line: Int, builder: inout PanelBuilder) -> Int? {
        if let value = plainNumber(span), field.range.contains(value) { return value }
        let raw = string(span)
        switch PeriodParser.read(raw, as: field) {
        case .success(let value): return value
        case .failure(let error):
            builder.log.add(PeriodParser.diagnostic(error, raw: raw, field: field, at: location(column, line)))
            return nil
        }
    }

    /// The subperiod code of the row (`.year` when no month, quarter or week cell is filled);
    /// nil after logging an invalid one.
    private func readSubperiod(_ fields: [FieldSpan], line: Int, builder: inout PanelBuilder) -> UInt16? {
        if let column = col.month, cell(fields, column).count > 0 {
            return readPeriod(cell(fields, column), field: .month, column: column, line: line, builder: &builder).map { 2 << 8 | UInt16($0) }
        }
        if let column = col.quarter, cell(fields, column).count > 0 {
            return readPeriod(cell(fields, column), field: .quarter, column: column, line: line, builder: &builder).map { 1 << 8 | UInt16($0) }
        }
        if let column = col.week, cell(fields, column).count > 0 {
            return readPeriod(cell(fields, column), field: .week, column: column, line: line, builder: &builder).map { 3 << 8 | UInt16($0) }
        }
        return 0
    }

    // MARK: Values

    private enum CountOutcome {
        case value(Int)
        /// Empty cell.
        case missing
        /// "NA" and the like: missing, already noted.
        case notAvailable
        case invalid
    }

    /// Reads a count cell; logs repairs (notes) and errors. Empty cells are tallied for one note per file.
    /// `isCount`: tally an empty cell for the file's "empty count cells" note.
    private mutating func readCount(_ span: FieldSpan, column: Int, line: Int, builder: inout PanelBuilder,
                                    isCount: Bool = true) -> CountOutcome {
        if let value = plainNumber(span) { return .value(value) }
        if span.count == 0 {
            if isCount { tallyEmpty(column, line) }
            return .missing
        }
        switch CountParser.read(string(span)) {
        case .empty:
            if isCount { tallyEmpty(column, line) }
            return .missing
        case .notAvailable(let marker):
            builder.log.add(Diagnostic(.note, .missingValue, at: location(column, line), LocalizedText(
                vi: "“\(marker)” được hiểu là không có số liệu (thiếu, không phải 0).",
                en: "“\(marker)” read as not available (missing, not zero).")))
            return .notAvailable
        case .value(let value, let repair):
            if let repair {
                builder.log.add(Diagnostic(.note, .repairedValue, at: location(column, line), repair))
            }
            return .value(value)
        case .invalid(let code, let message):
            builder.log.add(Diagnostic(.error, code, at: location(column, line), message))
            return .invalid
        }
    }

    private mutating func tallyEmpty(_ column: Int, _ line: Int) {
        emptyCells += 1
        if firstEmptyCell == nil { firstEmptyCell = location(column, line) }
    }

    /// Population and households of the row's unit and year; false when one is invalid or conflicts.
    private mutating func readAttributes(_ fields: [FieldSpan], unit: Int, year: Int, line: Int, builder: inout PanelBuilder) -> Bool {
        readAttribute(fields, column: col.population, households: false, unit: unit, year: year, line: line, builder: &builder)
            && readAttribute(fields, column: col.households, households: true, unit: unit, year: year, line: line, builder: &builder)
    }

    private mutating func readAttribute(_ fields: [FieldSpan], column: Int?, households: Bool, unit: Int, year: Int, line: Int,
                                        builder: inout PanelBuilder) -> Bool {
        guard let column else { return true }
        let span = cell(fields, column)
        if span.count == 0 { return true }
        let value: Int
        if let plain = plainNumber(span) {
            value = plain
        } else {
            switch CountParser.read(string(span)) {
            case .empty, .notAvailable: return true
            case .value(let repaired, let repair):
                if let repair { builder.log.add(Diagnostic(.note, .repairedValue, at: location(column, line), repair)) }
                value = repaired
            case .invalid(_, let message):
                builder.log.add(Diagnostic(.error, .invalidPopulation, at: location(column, line), message))
                return false
            }
        }
        return builder.recordAttribute(households: households, unit: unit, year: year, value: value, line: line, location: templates[column])
    }

    private mutating func readLongValue(_ fields: [FieldSpan], unit: Int, year: Int, subperiod: UInt16, row: Int32, line: Int,
                                        account: inout FileAccount, builder: inout PanelBuilder) {
        let categoryColumn = col.category ?? 0
        let categorySpan = cell(fields, categoryColumn)
        let metricSpan = cell(fields, col.metric)
        composeKey(prefix: nil, categorySpan, metricSpan)
        let hash = scratch.withUnsafeBytes { ByteInterner.hash($0) }
        var measure: Int32
        if let cached = scratch.withUnsafeBytes({ measureCache.value(for: $0, hash: hash) }) {
            measure = cached
        } else {
            measure = resolveMeasure(category: string(categorySpan), metric: string(metricSpan), builder: &builder)
            scratch.withUnsafeBytes { measureCache.insert($0, hash: hash, value: measure) }
        }
        guard measure >= 0 else {
            account.rejected += 1
            reportMeasure(measure, category: string(categorySpan), metric: string(metricSpan), line: line, builder: &builder)
            return
        }
        let countColumn = col.count ?? 0
        // Empty count cells are tallied only once the row is known to be valid.
        let count = readCount(cell(fields, countColumn), column: countColumn, line: line, builder: &builder, isCount: false)
        var excluded = 0
        if let column = col.excluded {
            switch readCount(cell(fields, column), column: column, line: line, builder: &builder, isCount: false) {
            case .value(let value): excluded = value
            case .missing, .notAvailable: excluded = 0
            case .invalid:
                account.rejected += 1
                return
            }
        }
        switch count {
        case .invalid:
            account.rejected += 1
        case .missing, .notAvailable:
            if excluded > 0 {
                account.rejected += 1
                builder.log.add(Diagnostic(.error, .excludedExceedsCount, at: location(col.excluded ?? countColumn, line), LocalizedText(
                    vi: "Có \(excluded) vụ bất khả kháng nhưng ô số lượng trống.", en: "\(excluded) force-majeure cases but the count cell is empty.")))
                return
            }
            if case .missing = count { tallyEmpty(countColumn, line) }
            builder.record(unit: unit, measure: Int(measure), year: year, subperiod: subperiod, count: nil, excluded: 0,
                           row: row, line: line, location: templates[countColumn])
        case .value(let value):
            if excluded > value {
                account.rejected += 1
                builder.log.add(Diagnostic(.error, .excludedExceedsCount, at: location(col.excluded ?? countColumn, line), LocalizedText(
                    vi: "Số vụ bất khả kháng (\(excluded)) lớn hơn số lượng (\(value)).",
                    en: "Force-majeure count (\(excluded)) exceeds the count (\(value)).")))
                return
            }
            builder.record(unit: unit, measure: Int(measure), year: year, subperiod: subperiod, count: value, excluded: excluded,
                           row: row, line: line, location: templates[countColumn])
            if subperiod == 0, let column = col.missingPeriods {
                declareMissingPeriods(cell(fields, column), column: column, unit: unit, measure: Int(measure), year: year,
                                      line: line, builder: &builder)
            }
        }
    }

    /// Reads a `missing_periods` cell of a yearly row ("M05 M06", as `normalize` writes it):
    /// the year's value is then incomplete, missing those subperiods. A token that is not a
    /// quarter (Q1–Q4), month (M01–M12) or week (W01–W53) is a warning and the cell is ignored.
    private mutating func declareMissingPeriods(_ span: FieldSpan, column: Int, unit: Int, measure: Int, year: Int, line: Int,
                                                builder: inout PanelBuilder) {
        let text = string(span)
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "," })
        guard !tokens.isEmpty else { return }
        var missing: [Subperiod] = []
        for token in tokens {
            guard let subperiod = Subperiod(code: String(token)) else {
                builder.log.add(Diagnostic(.warning, .invalidPeriod, at: location(column, line), LocalizedText(
                    vi: "Không đọc được kỳ thiếu “\(token)” (dạng Q1–Q4, M01–M12, W01–W53); bỏ qua ô này.",
                    en: "Cannot read the missing period “\(token)” (Q1–Q4, M01–M12 or W01–W53); the cell is ignored.")))
                return
            }
            missing.append(subperiod)
        }
        builder.declareIncomplete(unit: unit, measure: measure, year: year, missing: missing)
    }

    private func resolveMeasure(category: String, metric: String, builder: inout PanelBuilder) -> Int32 {
        if category.isEmpty { return Marker.empty }
        guard let resolved = HeadingDictionary.resolve(category, in: catalogue) else { return Marker.unknownCategory }
        var metricID = resolved.metric
        if !metric.isEmpty {
            guard let named = HeadingDictionary.metric(named: metric, in: resolved.category, catalogue: catalogue) else {
                return Marker.unknownMetric
            }
            if let compound = metricID, compound != named { return Marker.metricDisagrees }
            metricID = named
        }
        return Int32(builder.measureNumber(Measure(resolved.category, metricID ?? .cases)))
    }

    private func reportMeasure(_ marker: Int32, category: String, metric: String, line: Int, builder: inout PanelBuilder) {
        let categoryLocation = location(col.category ?? 0, line)
        let metricLocation = location(col.metric ?? col.category ?? 0, line)
        // Cells are quoted cut to 40 characters: a hostile cell must not flood stderr.
        let quotedCategory = CountParser.excerpt(category)
        let quotedMetric = CountParser.excerpt(metric)
        switch marker {
        case Marker.empty:
            builder.log.add(Diagnostic(.error, .missingValue, at: categoryLocation, LocalizedText(vi: "Ô lĩnh vực trống.", en: "The category cell is empty.")))
        case Marker.unknownCategory:
            builder.log.add(Diagnostic(.error, .unknownCategory, at: categoryLocation, HeadingDictionary.unknownCategoryMessage(category, in: catalogue)))
        case Marker.unknownMetric, Marker.metricDisagrees:
            let resolved = HeadingDictionary.resolve(category, in: catalogue)
            let info = resolved.flatMap { catalogue.info($0.category) }
            let known = info?.metrics.map { "\($0.id) (\($0.label.vi))" }.joined(separator: ", ") ?? ""
            let named = info.map { $0.label.vi } ?? quotedCategory
            if marker == Marker.unknownMetric {
                builder.log.add(Diagnostic(.error, .unknownMetric, at: metricLocation, LocalizedText(
                    vi: "Lĩnh vực “\(named)” không có chỉ tiêu “\(quotedMetric)”. Các chỉ tiêu: \(known).",
                    en: "The category “\(info?.label.en ?? quotedCategory)” has no metric “\(quotedMetric)”. Its metrics: \(known).")))
            } else {
                builder.log.add(Diagnostic(.error, .unknownMetric, at: metricLocation, LocalizedText(
                    vi: "Ô lĩnh vực “\(quotedCategory)” đã nêu chỉ tiêu \(resolved?.metric?.rawValue ?? ""), khác với chỉ tiêu “\(quotedMetric)”.",
                    en: "The category cell “\(quotedCategory)” names the metric \(resolved?.metric?.rawValue ?? ""), which differs from the metric “\(quotedMetric)”.")))
            }
        default:
            break
        }
    }

    /// Logs the file's single note about empty count cells.
    func finish(account: inout FileAccount, builder: inout PanelBuilder) {
        guard emptyCells > 0, let first = firstEmptyCell else { return }
        builder.log.add(Diagnostic(.note, .missingValue, at: first, LocalizedText(
            vi: "\(emptyCells) ô số lượng trống được hiểu là không có số liệu (thiếu, không phải 0); ô đầu tiên ở đây.",
            en: "\(emptyCells) empty count cells are read as missing (not zero); the first is here.")))
    }
}

/// The column of each role of a plan, as plain properties.
struct RoleColumns {
    var commune, communeCode, village, villageCode, year, month, quarter, week: Int?
    var category, metric, count, excluded, population, households, missingPeriods: Int?

    init(_ columns: [ColumnRole: Int]) {
        commune = columns[.commune]
        communeCode = columns[.communeCode]
        village = columns[.village]
        villageCode = columns[.villageCode]
        year = columns[.year]
        month = columns[.month]
        quarter = columns[.quarter]
        week = columns[.week]
        category = columns[.category]
        metric = columns[.metric]
        count = columns[.count]
        excluded = columns[.excluded]
        population = columns[.population]
        households = columns[.households]
        missingPeriods = columns[.missingPeriods]
    }
}
