import BinhYenCore

extension PeriodScheme {
    /// The reporting year and month label of an event on `date` (SPEC §4).
    ///
    /// - `calendar`: the calendar month and year.
    /// - `statistical`: month M runs 15/(M−1)–14/M, so 15/12/(Y−1) opens month 1 of year Y
    ///   (NĐ 09/2019/NĐ-CP; Bộ Công an monthly releases).
    /// - `tt124-commune`: months run 16/(M−1)–15/M and year Y 16/11/(Y−1)–15/11/Y, so month 12
    ///   (16/11–15/12) opens year Y (TT 124/2021/TT-BCA Điều 8).
    /// - `tt124-village`: calendar months; November and December open the next year
    ///   (01/11/(Y−1)–31/10/Y, TT 124/2021/TT-BCA Điều 8).
    public func period(of date: CivilDate) -> (year: Int, month: Int) {
        func shifted(firstDay: Int) -> (year: Int, month: Int) {
            guard date.day >= firstDay else { return (date.year, date.month) }
            return date.month == 12 ? (date.year + 1, 1) : (date.year, date.month + 1)
        }
        switch self {
        case .calendar:
            return (date.year, date.month)
        case .statistical:
            return shifted(firstDay: 15)
        case .tt124Commune:
            let label = shifted(firstDay: 16)
            return label.month == 12 ? (label.year + 1, 12) : label
        case .tt124Village:
            return date.month >= 11 ? (date.year + 1, date.month) : (date.year, date.month)
        }
    }
}

/// Reads the dates of incident lists.
enum DateParser {
    enum Failure: Error, Equatable {
        case notADate
        /// A plain number from 1900 to 2100: a year, not a day.
        case yearOnly
        /// Day and month exist but not together (31/04), or the month is above 12.
        case noSuchDay
    }

    /// `dd/mm/yyyy` (also `-` or `.` between, one-digit day and month), `yyyy-mm-dd` (also `/`),
    /// either followed by a time, or an Excel serial day number (1900 system; above 2100 so that
    /// a year is never read as a day).
    static func read(_ raw: String) -> Result<CivilDate, Failure> {
        let text = raw.trimmingWhitespace()
        let datePart = text.split(whereSeparator: { $0 == " " || $0 == "T" }).first.map(String.init) ?? text
        if let number = Double(datePart), datePart.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            if number == number.rounded(), (1900...2100).contains(Int(number)) { return .failure(.yearOnly) }
            guard number > 2100, number < 2_958_466,
                  let date = CivilDate.fromExcelSerial(Int(number.rounded(.down)), date1904: false) else { return .failure(.notADate) }
            return .success(date)
        }
        let parts = datePart.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2]) else { return .failure(.notADate) }
        let day: Int, month: Int, year: Int
        if parts[0].count == 4 {
            (year, month, day) = (a, b, c)
        } else if parts[2].count == 4 {
            (day, month, year) = (a, b, c)
        } else {
            return .failure(.notADate)
        }
        guard let date = CivilDate(year: year, month: month, day: day) else { return .failure(.noSuchDay) }
        return .success(date)
    }
}

/// Reads yes/no force-majeure cells.
enum FlagParser {
    static let yes: Set<String> = Set(["có", "co", "x", "yes", "y", "1", "true", "đúng", "bất khả kháng", "bkk"].map(TextKey.loose))
    static let no: Set<String> = Set(["không", "khong", "k", "no", "n", "0", "false", "sai", "-"].map { TextKey.loose($0).isEmpty ? $0 : TextKey.loose($0) })

    /// true / false, false for an empty cell, nil when the cell is neither.
    static func read(_ raw: String) -> Bool? {
        let text = raw.trimmingWhitespace()
        if text.isEmpty { return false }
        let key = TextKey.loose(text)
        if yes.contains(key) { return true }
        if no.contains(key) || no.contains(text) { return false }
        return nil
    }
}

/// Counts the rows of an incident list into months of the reporting years (SPEC §2 layout 3).
///
/// Each valid row is one event of its category: it adds 1 to `cases` of its unit in the month
/// and year its date falls in under the period scheme, and its deaths, injuries and damage
/// (empty cells count 0) to those metrics when the category has them. A force-majeure row adds
/// the same amounts to `excluded`. The list covers the reporting years from its first to its
/// last event: within them, every month without an event counts 0 for every unit named in the
/// list (and, with a villages file, every village of its communes) and every category and
/// metric that the list holds; years outside are missing. Rows identical in every cell are
/// counted once (warned). A note states the scheme, the years and what was filled with zeros.
struct IncidentReader {
    let text: UnsafeRawBufferPointer
    let file: String
    let sheet: String?
    let plan: TablePlan
    let catalogue: Catalogue
    let scheme: PeriodScheme
    private let columns: [ColumnRole: Int]
    private var templates: [Int: Int32] = [:]

    private struct Key: Hashable {
        var unit: Int
        var category: CategoryID
        var year: Int
        var month: Int
    }

    private struct Tally {
        var values: [MetricID: (count: Int, excluded: Int)] = [:]
        var firstLine: Int
    }

    private var tallies: [Key: Tally] = [:]
    private var units: [Int] = []
    private var unitSeen = Set<Int>()
    private var communes = Set<Int>()
    private var categories: [CategoryID] = []
    private var years: ClosedRange<Int>?
    private var firstLineOfRow: [[String]: Int] = [:]
    private var events = 0

    init(text: UnsafeRawBufferPointer, file: String, sheet: String?, plan: TablePlan, builder: inout PanelBuilder) {
        self.text = text
        self.file = file
        self.sheet = sheet
        self.plan = plan
        catalogue = builder.options.catalogue
        scheme = builder.options.scheme
        columns = plan.column
        for (role, column) in plan.column where role != .ignored && role != .note {
            templates[column] = builder.locationTemplate(location(column, 0))
        }
    }

    private func location(_ column: Int?, _ line: Int) -> SourceLocation {
        guard let column else { return SourceLocation(file: file, sheet: sheet, line: line) }
        let heading = column < plan.headings.count ? plan.headings[column] : ""
        return SourceLocation(file: file, sheet: sheet, line: line, column: column + 1, columnName: heading.isEmpty ? nil : heading)
    }

    private func cell(_ fields: [FieldSpan], _ role: ColumnRole) -> String {
        guard let column = columns[role], column < fields.count else { return "" }
        return FastText.nfc(DelimitedText.string(fields[column], in: text))
    }

    mutating func read(_ fields: [FieldSpan], line: Int, account: inout FileAccount, builder: inout PanelBuilder) {
        if DelimitedTableReader.isBlank(fields, in: text) { return }
        account.rowsRead += 1
        let cells = fields.map { FastText.nfc(DelimitedText.string($0, in: text)) }
        if let first = firstLineOfRow[cells] {
            account.duplicates += 1
            builder.log.add(Diagnostic(.warning, .duplicateRow, at: location(nil, line), LocalizedText(
                vi: "Dòng giống hệt dòng \(first) (mọi ô như nhau): coi là nhập trùng, chỉ tính một vụ.",
                en: "Row identical to row \(first) in every cell: taken as entered twice, counted as one event.")))
            return
        }
        firstLineOfRow[cells] = line
        guard let unit = resolveUnit(fields, line: line, builder: &builder) else {
            account.rejected += 1
            return
        }
        if unit < 0 {
            account.skipped += 1
            return
        }
        guard let date = readDate(fields, line: line, builder: &builder),
              let category = readCategory(fields, line: line, builder: &builder) else {
            account.rejected += 1
            return
        }
        var amounts: [MetricID: Int] = [.cases: 1]
        for (role, metric) in [(ColumnRole.deaths, MetricID.deaths), (.injuries, .injuries), (.damage, .damageVND)] {
            guard let column = columns[role] else { continue }
            let raw = cell(fields, role)
            let value: Int
            switch CountParser.read(raw) {
            case .empty, .notAvailable: value = 0
            case .value(let number, let repair):
                if let repair { builder.log.add(Diagnostic(.note, .repairedValue, at: location(column, line), repair)) }
                value = number
            case .invalid(let code, let message):
                builder.log.add(Diagnostic(.error, code, at: location(column, line), message))
                account.rejected += 1
                return
            }
            if catalogue.info(category)?.metric(metric) == nil {
                if value > 0 {
                    builder.log.add(Diagnostic(.warning, .unknownMetric, at: location(column, line), LocalizedText(
                        vi: "Lĩnh vực \(category) không có chỉ tiêu \(metric): bỏ qua giá trị \(value).",
                        en: "The category \(category) has no metric \(metric): the value \(value) is ignored.")))
                }
                continue
            }
            amounts[metric] = value
        }
        var forceMajeure = false
        if let column = columns[.excluded] {
            guard let flag = FlagParser.read(cell(fields, .excluded)) else {
                builder.log.add(Diagnostic(.error, .invalidFlag, at: location(column, line), LocalizedText(
                    vi: "“\(cell(fields, .excluded))” không phải có/không (có, không, x, 1, 0, yes, no).",
                    en: "“\(cell(fields, .excluded))” is not a yes/no value (có, không, x, 1, 0, yes, no).")))
                account.rejected += 1
                return
            }
            forceMajeure = flag
        }
        let period = scheme.period(of: date)
        guard PeriodField.year.range.contains(period.year) else {
            builder.log.add(PeriodParser.diagnostic(.outOfRange(period.year), raw: String(period.year), field: .year,
                                                    at: location(columns[.date], line)))
            account.rejected += 1
            return
        }
        let key = Key(unit: unit, category: category, year: period.year, month: period.month)
        var tally = tallies[key] ?? Tally(firstLine: line)
        for (metric, amount) in amounts {
            var value = tally.values[metric] ?? (0, 0)
            value.count = min(maximumCount, value.count + amount)
            if forceMajeure { value.excluded = min(value.count, value.excluded + amount) }
            tally.values[metric] = value
        }
        tallies[key] = tally
        if unitSeen.insert(unit).inserted { units.append(unit) }
        if !categories.contains(category) { categories.append(category) }
        years = years.map { min($0.lowerBound, period.year)...max($0.upperBound, period.year) } ?? period.year...period.year
        events += 1
        account.accepted += 1
    }

    /// The unit of the row; −1 for a subtotal row (noted), nil after an error.
    private mutating func resolveUnit(_ fields: [FieldSpan], line: Int, builder: inout PanelBuilder) -> Int? {
        let communeName = cell(fields, .commune)
        let communeCode = cell(fields, .communeCode)
        let villageName = cell(fields, .village)
        let villageCode = cell(fields, .villageCode)
        for label in [communeName, villageName] + plan.labelColumns.map({ $0 < fields.count ? DelimitedText.string(fields[$0], in: text) : "" })
        where !label.isEmpty && SubtotalWords.isSubtotal(label) {
            builder.log.add(Diagnostic(.note, .skipped, at: location(nil, line), LocalizedText(
                vi: "Dòng tổng “\(label)” được bỏ qua.", en: "Subtotal row “\(label)” skipped.")))
            return -1
        }
        let commune: Int
        let communeColumn = columns[.commune] ?? columns[.communeCode]
        if communeColumn == nil {
            guard case .found(let index) = builder.commune(name: builder.defaultCommuneName, code: "", at: location(nil, line)) else { return nil }
            commune = index
        } else {
            if communeName.isEmpty && communeCode.isEmpty {
                builder.log.add(Diagnostic(.error, .missingValue, at: location(communeColumn, line), LocalizedText(vi: "Ô xã trống.", en: "The commune cell is empty.")))
                return nil
            }
            let lookup = builder.commune(name: communeName, code: communeCode, at: location(communeColumn, line))
            guard case .found(let index) = lookup else {
                builder.log.add(builder.lookupDiagnostic(lookup, name: communeName, at: location(communeColumn, line)))
                return nil
            }
            commune = index
        }
        communes.insert(commune)
        guard let villageColumn = columns[.village] ?? columns[.villageCode], !(villageName.isEmpty && villageCode.isEmpty) else { return commune }
        let lookup = builder.village(in: commune, name: villageName, code: villageCode, at: location(villageColumn, line))
        guard case .found(let index) = lookup else {
            builder.log.add(builder.lookupDiagnostic(lookup, name: villageName, at: location(villageColumn, line)))
            return nil
        }
        return index
    }

    private func readDate(_ fields: [FieldSpan], line: Int, builder: inout PanelBuilder) -> CivilDate? {
        let raw = cell(fields, .date)
        let at = location(columns[.date], line)
        if raw.isEmpty {
            builder.log.add(Diagnostic(.error, .missingValue, at: at, LocalizedText(vi: "Ô ngày trống.", en: "The date cell is empty.")))
            return nil
        }
        switch DateParser.read(raw) {
        case .success(let date): return date
        case .failure(let failure):
            let reason: LocalizedText
            switch failure {
            case .yearOnly: reason = LocalizedText(vi: "chỉ có năm, cần ngày đầy đủ", en: "a year only; a full date is needed")
            case .noSuchDay: reason = LocalizedText(vi: "không có ngày này (ngày ghi theo dd/mm/yyyy)", en: "no such day (dates are dd/mm/yyyy)")
            case .notADate: reason = LocalizedText(vi: "cần dạng dd/mm/yyyy, yyyy-mm-dd hoặc số ngày Excel", en: "expected dd/mm/yyyy, yyyy-mm-dd or an Excel day number")
            }
            builder.log.add(Diagnostic(.error, .invalidDate, at: at, LocalizedText(
                vi: "“\(CountParser.excerpt(raw))” không phải ngày hợp lệ: \(reason.vi).",
                en: "“\(CountParser.excerpt(raw))” is not a valid date: \(reason.en).")))
            return nil
        }
    }

    private func readCategory(_ fields: [FieldSpan], line: Int, builder: inout PanelBuilder) -> CategoryID? {
        let raw = cell(fields, .category)
        let at = location(columns[.category], line)
        if raw.isEmpty {
            builder.log.add(Diagnostic(.error, .missingValue, at: at, LocalizedText(vi: "Ô lĩnh vực trống.", en: "The category cell is empty.")))
            return nil
        }
        guard let resolved = HeadingDictionary.resolve(raw, in: catalogue) else {
            builder.log.add(Diagnostic(.error, .unknownCategory, at: at, HeadingDictionary.unknownCategoryMessage(raw, in: catalogue)))
            return nil
        }
        if let metric = resolved.metric, metric != .cases {
            builder.log.add(Diagnostic(.error, .unknownCategory, at: at, LocalizedText(
                vi: "Ô lĩnh vực “\(raw)” nêu chỉ tiêu \(metric); mỗi dòng là một vụ, số người chết, bị thương ghi ở cột riêng.",
                en: "The category cell “\(raw)” names the metric \(metric); each row is one event, with deaths and injuries in their own columns.")))
            return nil
        }
        return resolved.category
    }

    /// Records the monthly counts (zeros included) of the covered years.
    mutating func finish(account: inout FileAccount, builder: inout PanelBuilder) {
        guard let years, events > 0 else { return }
        var allUnits = units
        var seen = unitSeen
        if columns[.village] != nil || columns[.villageCode] != nil {
            for commune in communes.sorted() {
                for village in builder.registeredVillages(of: commune) where seen.insert(village).inserted { allUnits.append(village) }
            }
        }
        let row = builder.beginRow()
        let dateColumn = columns[.date] ?? 0
        let headerLine = plan.headerLine
        for unit in allUnits {
            for category in categories {
                var metrics: [MetricID] = [.cases]
                for (role, metric) in [(ColumnRole.deaths, MetricID.deaths), (.injuries, .injuries), (.damage, .damageVND)]
                where columns[role] != nil && catalogue.info(category)?.metric(metric) != nil {
                    metrics.append(metric)
                }
                for metric in metrics {
                    let measure = builder.measureNumber(Measure(category, metric))
                    for year in years {
                        for month in 1...12 {
                            let tally = tallies[Key(unit: unit, category: category, year: year, month: month)]
                            let value = tally?.values[metric] ?? (0, 0)
                            builder.record(unit: unit, measure: measure, year: year, subperiod: PanelBuilder.code(of: .month(month)),
                                           count: value.count, excluded: value.excluded, row: row, line: tally?.firstLine ?? headerLine,
                                           location: templates[dateColumn] ?? 0)
                        }
                    }
                }
            }
        }
        let yearsText = years.lowerBound == years.upperBound ? "\(years.lowerBound)" : "\(years.lowerBound)–\(years.upperBound)"
        let categoryList = categories.map(\.rawValue).joined(separator: ", ")
        builder.log.add(Diagnostic(.note, .skipped, at: SourceLocation(file: file, sheet: sheet, line: headerLine), LocalizedText(
            vi: "Danh sách vụ việc: \(events) vụ được đếm theo tháng của \(scheme.label.vi), năm \(yearsText) (\(categoryList)); tháng không có vụ nào tính là 0 cho \(allUnits.count) đơn vị.",
            en: "Incident list: \(events) events counted into months of the \(scheme.label.en), \(yearsText) (\(categoryList)); months without events count 0 for \(allUnits.count) units.")))
    }
}
