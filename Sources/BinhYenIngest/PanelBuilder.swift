import BinhYenCore

/// Turns observations (one count of one unit, measure and period) into the canonical `Panel`.
///
/// - Units: communes are identified by code when one is given, otherwise by
///   `TextKey.unitKey` of the name; villages the same way under their commune. A file without a
///   commune column puts its villages under `IngestOptions.effectiveDefaultCommune`. The display
///   name is the first spelling seen (NFC). A name without code that matches several coded
///   villages is an `ambiguousVillage` error naming them.
/// - Duplicates: rows for the same series and period with the same values are counted once with
///   a `duplicateRow` warning; different values are a `conflictingRow` error unless
///   `IngestOptions.onConflict` is `.last` or `.sum` (then a note). An empty count (missing)
///   gives way to a value for the same period without a diagnostic.
/// - Periods: months, quarters and weeks are summed into their reporting year; a year with
///   missing subperiods is `.incomplete(missing:)` listing them (a week year is complete with
///   weeks 1–52, or 1–53 when week 53 is present). `YearValue.months` is filled from monthly
///   input, `YearValue.weeks` from weekly input. A year whose subperiods are all missing is absent (never zero). Yearly and finer
///   rows for the same series-year are a `mixedGranularity` error unless all are complete and
///   agree (then a note and the year keeps the monthly detail); on error the coarsest value
///   is kept.
/// - Population and households: one value per unit and year; a different second value is an
///   `invalidPopulation` error.
/// - Similar names: units of one parent whose keys agree once tone marks are ignored but differ
///   otherwise ("Hòa" vs "Hóa") get a `similarNames` warning naming both.
public struct PanelBuilder {
    /// Default commune, conflict policy, catalogue and period scheme used while building.
    public let options: IngestOptions

    private(set) var units: [Unit] = []
    private var unitFirstSeen: [SourceLocation] = []
    /// `TextKey.unitKey` of each name seen (names repeat across communes).
    private var unitKeys = UnitKeyMaker()
    private var communeByCode: [String: Int] = [:]
    private var communesByKey: [String: [Int]] = [:]
    private var villageByCode: [SiblingKey: Int] = [:]
    private var villagesByKey: [SiblingKey: [Int]] = [:]

    private var measures: [Measure] = []
    private var measureIndex: [Measure: Int] = [:]

    /// Series index by unit, then by measure index (−1: none yet).
    private var seriesOfUnit: [[Int32]] = []
    private var seriesKeys: [SeriesKey] = []
    private var seriesFirstFact: [Int32] = []
    private var seriesLastFact: [Int32] = []
    private var facts: [Fact] = []
    /// Yearly counts declared incomplete by their file (`missing_periods`), by series and year.
    private var declaredMissing: [SeriesKey: [Int: [Subperiod]]] = [:]

    /// Source locations without line (file, sheet, column), shared by the facts of one column.
    private var locationTemplates: [SourceLocation] = []
    private var locationTemplateIndex: [SourceLocation: Int32] = [:]

    private var population: [Int: [Int: Attribute]] = [:]
    private var households: [Int: [Int: Attribute]] = [:]
    private var lastPopulation: (unit: Int, year: Int, value: Int)?
    private var lastHouseholds: (unit: Int, year: Int, value: Int)?

    /// Number of facts each row produced (rows are numbered in input order).
    private var rowFactCount: [UInt16] = []

    var log: DiagnosticLog

    /// The villages side file, when given: village names are matched against it.
    let registry: VillageRegistry?
    /// The unit made for each registered village used so far.
    private var registryUnit: [Int: Int] = [:]
    /// Location template of the villages file (population and households it gives).
    private var registryTemplates: [Int: Int32] = [:]

    private struct SiblingKey: Hashable {
        var parent: Int
        var text: String
    }

    private struct Attribute {
        var value: Int
        var line: Int32
        var location: Int32
    }

    /// One count as recorded; facts of a series form a linked list through `next`.
    struct Fact {
        /// −1 when the cell was empty (missing).
        var count: Int
        var excluded: Int
        var row: Int32
        var line: Int32
        var location: Int32
        var next: Int32
        var year: Int16
        var subperiod: UInt16
    }

    /// An empty builder.
    public init(options: IngestOptions = IngestOptions()) {
        self.init(options: options, registry: nil, log: DiagnosticLog(cap: options.maxDiagnosticsPerKind))
    }

    init(options: IngestOptions, registry: VillageRegistry?, log: DiagnosticLog) {
        self.options = options
        self.registry = registry
        self.log = log
    }

    /// The commune of files without a commune column: `--commune`, else the one commune of the
    /// villages file, else "Xã".
    var defaultCommuneName: String {
        namedDefaultCommune ?? options.effectiveDefaultCommune
    }

    /// `--commune` or the one commune of the villages file; nil when neither names it.
    var namedDefaultCommune: String? {
        if let name = options.defaultCommune.map(TextKey.nfc), !name.isEmpty { return name }
        return registry?.singleCommune
    }

    // MARK: Units

    enum UnitLookup {
        case found(Int)
        case ambiguous([Int])
        /// Not in the villages file; the nearest names it holds.
        case unknown(nearest: [String])
        /// Several villages of the villages file match (described).
        case ambiguousRegistered([String])
    }

    /// The error for a lookup that found no single unit (nil for `.found`).
    func lookupDiagnostic(_ lookup: UnitLookup, name: String, at location: SourceLocation) -> Diagnostic {
        switch lookup {
        case .found, .ambiguous([]):
            return Diagnostic(.error, .unknownVillage, at: location, LocalizedText(vi: "Không xác định được đơn vị “\(name)”.", en: "Cannot tell which unit “\(name)” is."))
        case .ambiguous(let candidates):
            return ambiguityDiagnostic(name: name, candidates: candidates, at: location)
        case .ambiguousRegistered(let candidates):
            return Diagnostic(.error, .ambiguousVillage, at: location, LocalizedText(
                vi: "Tên “\(name)” khớp nhiều thôn trong danh sách thôn: \(candidates.joined(separator: ", ")). Hãy ghi mã thôn.",
                en: "The name “\(name)” matches several villages of the villages file: \(candidates.joined(separator: ", ")). Give the village code."))
        case .unknown(let nearest):
            let hintVI = nearest.isEmpty ? "" : " Tên gần nhất: \(nearest.map { "“\($0)”" }.joined(separator: ", "))."
            let hintEN = nearest.isEmpty ? "" : " Nearest known names: \(nearest.map { "“\($0)”" }.joined(separator: ", "))."
            return Diagnostic(.error, .unknownVillage, at: location, LocalizedText(
                vi: "Thôn “\(name)” không có trong danh sách thôn (--villages).\(hintVI)",
                en: "The village “\(name)” is not in the villages file (--villages).\(hintEN)"))
        }
    }

    /// The units of every village of the villages file that belongs to `commune` (made on first use).
    mutating func registeredVillages(of commune: Int) -> [Int] {
        guard let registry else { return [] }
        let unit = units[commune]
        return registry.villages.indices.filter { registry.belongs($0, communeKey: unit.key, communeCode: unit.code) }
            .map { registeredUnit($0, in: commune) }
    }

    /// The unit of registered village `index` under `commune`, with its population and households.
    private mutating func registeredUnit(_ index: Int, in commune: Int) -> Int {
        if let unit = registryUnit[index] { return unit }
        guard let registry else { return commune }
        let village = registry.villages[index]
        let key = unitKey(village.name)
        let unit = addUnit(Unit(kind: .village, name: village.name, key: key, code: village.code, parent: commune), at: village.source)
        villagesByKey[SiblingKey(parent: commune, text: key), default: []].append(unit)
        if let code = village.code { villageByCode[SiblingKey(parent: commune, text: code)] = unit }
        registryUnit[index] = unit
        let template = locationTemplate(village.source)
        for (year, value) in village.population.sorted(by: { $0.key < $1.key }) {
            _ = recordAttribute(households: false, unit: unit, year: year, value: value, line: village.source.line, location: template)
        }
        for (year, value) in village.households.sorted(by: { $0.key < $1.key }) {
            _ = recordAttribute(households: true, unit: unit, year: year, value: value, line: village.source.line, location: template)
        }
        return unit
    }

    /// The commune with `code` or else `name` (both NFC, trimmed; at least one non-empty).
    mutating func commune(name: String, code: String, at location: SourceLocation) -> UnitLookup {
        if !code.isEmpty, let found = communeByCode[code] { return .found(found) }
        let key = name.isEmpty ? code : unitKey(name)
        if !code.isEmpty {
            if !name.isEmpty, let uncoded = communesByKey[key]?.filter({ units[$0].code == nil }), uncoded.count == 1 {
                units[uncoded[0]].code = code
                communeByCode[code] = uncoded[0]
                return .found(uncoded[0])
            }
        } else if let candidates = communesByKey[key], !candidates.isEmpty {
            return candidates.count == 1 ? .found(candidates[0]) : .ambiguous(candidates)
        }
        let index = addUnit(Unit(kind: .commune, name: name.isEmpty ? code : name, key: key, code: code.isEmpty ? nil : code), at: location)
        communesByKey[key, default: []].append(index)
        if !code.isEmpty { communeByCode[code] = index }
        return .found(index)
    }

    /// The village with `code` or else `name` under `commune` (both NFC, trimmed; one non-empty).
    mutating func village(in commune: Int, name: String, code: String, at location: SourceLocation) -> UnitLookup {
        if let registry {
            switch registry.match(name: name, code: code, communeKey: units[commune].key, communeCode: units[commune].code) {
            case .found(let index): return .found(registeredUnit(index, in: commune))
            case .unknown(let nearest): return .unknown(nearest: nearest)
            case .ambiguous(let candidates): return .ambiguousRegistered(candidates.map(registry.describe))
            }
        }
        let byCode = SiblingKey(parent: commune, text: code)
        if !code.isEmpty, let found = villageByCode[byCode] { return .found(found) }
        let key = name.isEmpty ? code : unitKey(name)
        let byKey = SiblingKey(parent: commune, text: key)
        if !code.isEmpty {
            if !name.isEmpty, let uncoded = villagesByKey[byKey]?.filter({ units[$0].code == nil }), uncoded.count == 1 {
                units[uncoded[0]].code = code
                villageByCode[byCode] = uncoded[0]
                return .found(uncoded[0])
            }
            let index = addUnit(Unit(kind: .village, name: name.isEmpty ? code : name, key: key, code: code, parent: commune), at: location)
            villagesByKey[byKey, default: []].append(index)
            villageByCode[byCode] = index
            return .found(index)
        }
        if let candidates = villagesByKey[byKey], !candidates.isEmpty {
            return candidates.count == 1 ? .found(candidates[0]) : .ambiguous(candidates)
        }
        let index = addUnit(Unit(kind: .village, name: name, key: key, parent: commune), at: location)
        villagesByKey[byKey, default: []].append(index)
        return .found(index)
    }

    private mutating func unitKey(_ name: String) -> String { unitKeys.key(name) }

    private mutating func addUnit(_ unit: Unit, at location: SourceLocation) -> Int {
        units.append(unit)
        unitFirstSeen.append(location)
        seriesOfUnit.append([])
        return units.count - 1
    }

    /// "Thôn A (mã 001), Thôn A (mã 002)": the candidates of an ambiguous name.
    func describe(_ candidates: [Int]) -> String {
        candidates.map { i in units[i].code.map { "\(units[i].name) [\($0)]" } ?? units[i].name }.joined(separator: ", ")
    }

    func ambiguityDiagnostic(name: String, candidates: [Int], at location: SourceLocation) -> Diagnostic {
        Diagnostic(.error, .ambiguousVillage, at: location, LocalizedText(
            vi: "Tên “\(name)” khớp nhiều đơn vị: \(describe(candidates)). Hãy ghi mã để phân biệt.",
            en: "The name “\(name)” matches several units: \(describe(candidates)). Give the code to tell them apart."))
    }

    // MARK: Measures, locations, rows

    /// Index of `measure` in the builder's measure table (added on first use).
    mutating func measureNumber(_ measure: Measure) -> Int {
        if let index = measureIndex[measure] { return index }
        measures.append(measure)
        measureIndex[measure] = measures.count - 1
        return measures.count - 1
    }

    /// Index of a location template (file, sheet, column; the line is ignored).
    mutating func locationTemplate(_ location: SourceLocation) -> Int32 {
        var template = location
        template.line = 0
        if let index = locationTemplateIndex[template] { return index }
        locationTemplates.append(template)
        let index = Int32(locationTemplates.count - 1)
        locationTemplateIndex[template] = index
        return index
    }

    /// Starts a new input row and returns its number.
    mutating func beginRow() -> Int32 {
        rowFactCount.append(0)
        return Int32(rowFactCount.count - 1)
    }

    var rowsBegun: Int32 { Int32(rowFactCount.count) }

    /// Reserves room for about `count` more facts.
    mutating func reserveFacts(_ count: Int) {
        facts.reserveCapacity(facts.count + count)
        rowFactCount.reserveCapacity(rowFactCount.count + count)
    }

    // MARK: Values

    /// Records one count (nil: empty cell) of `unit` and measure number `measure` for `year`
    /// and `subperiod` (encoded by `Self.code(of:)`). Values must be validated by the caller.
    mutating func record(unit: Int, measure: Int, year: Int, subperiod: UInt16, count: Int?, excluded: Int,
                         row: Int32, line: Int, location: Int32) {
        var series = Int32(-1)
        if measure < seriesOfUnit[unit].count { series = seriesOfUnit[unit][measure] }
        if series < 0 {
            series = Int32(seriesKeys.count)
            seriesKeys.append(SeriesKey(unit: unit, measure: measures[measure]))
            seriesFirstFact.append(-1)
            seriesLastFact.append(-1)
            if measure >= seriesOfUnit[unit].count {
                seriesOfUnit[unit].append(contentsOf: repeatElement(-1, count: measure + 1 - seriesOfUnit[unit].count))
            }
            seriesOfUnit[unit][measure] = series
        }
        let index = Int32(facts.count)
        facts.append(Fact(count: count ?? -1, excluded: excluded, row: row, line: Int32(clamping: line), location: location,
                          next: -1, year: Int16(clamping: year), subperiod: subperiod))
        let s = Int(series)
        if seriesLastFact[s] >= 0 { facts[Int(seriesLastFact[s])].next = index } else { seriesFirstFact[s] = index }
        seriesLastFact[s] = index
        rowFactCount[Int(row)] &+= 1
    }

    /// Marks the yearly count of `unit`, measure number `measure` and `year` as incomplete,
    /// missing `missing` (a `missing_periods` cell of a canonical panel read back).
    mutating func declareIncomplete(unit: Int, measure: Int, year: Int, missing: [Subperiod]) {
        declaredMissing[SeriesKey(unit: unit, measure: measures[measure]), default: [:]][year] = missing.sorted()
    }

    /// Records the population (`households: false`) or households of `unit` in `year`, read at
    /// `line` in the column of location template `location`. Returns false (after logging an
    /// `invalidPopulation` error) when a different value was recorded before.
    mutating func recordAttribute(households isHouseholds: Bool, unit: Int, year: Int, value: Int, line: Int, location: Int32) -> Bool {
        if isHouseholds {
            if let last = lastHouseholds, last.unit == unit, last.year == year, last.value == value { return true }
        } else if let last = lastPopulation, last.unit == unit, last.year == year, last.value == value {
            return true
        }
        let existing = isHouseholds ? households[unit]?[year] : population[unit]?[year]
        if let existing, existing.value != value {
            let what = isHouseholds ? LocalizedText(vi: "Số hộ", en: "Households") : LocalizedText(vi: "Dân số", en: "Population")
            let first = self.location(template: existing.location, line: Int(existing.line))
            log.add(Diagnostic(.error, .invalidPopulation, at: self.location(template: location, line: line), LocalizedText(
                vi: "\(what.vi) của \(units[unit].name) năm \(year) là \(value), khác với \(existing.value) ở \(first).",
                en: "\(what.en) of \(units[unit].name) in \(year) is \(value), but \(existing.value) at \(first).")))
            return false
        }
        if existing == nil {
            let attribute = Attribute(value: value, line: Int32(clamping: line), location: location)
            if isHouseholds {
                households[unit, default: [:]][year] = attribute
            } else {
                population[unit, default: [:]][year] = attribute
            }
        }
        if isHouseholds { lastHouseholds = (unit, year, value) } else { lastPopulation = (unit, year, value) }
        return true
    }

    /// The location of `line` in the column of location template `template`.
    func location(template: Int32, line: Int) -> SourceLocation {
        var location = locationTemplates[Int(template)]
        location.line = line
        return location
    }

    /// Compact code of a subperiod that sorts like `Subperiod`: kind in the high byte, number in the low.
    static func code(of subperiod: Subperiod) -> UInt16 {
        switch subperiod {
        case .year: return 0
        case .quarter(let q): return 1 << 8 | UInt16(clamping: q)
        case .month(let m): return 2 << 8 | UInt16(clamping: m)
        case .week(let w): return 3 << 8 | UInt16(clamping: w)
        }
    }

    static func subperiod(of code: UInt16) -> Subperiod {
        let number = Int(code & 0xFF)
        switch code >> 8 {
        case 1: return .quarter(number)
        case 2: return .month(number)
        case 3: return .week(number)
        default: return .year
        }
    }

    // MARK: Public entry for other readers

    /// Adds one observation read by another reader (spreadsheet, incidents). Names are resolved
    /// as described above; out-of-range years or subperiods and negative or too large counts
    /// are reported and skipped.
    public mutating func add(_ observation: Observation) {
        let source = observation.source
        let row = beginRow()
        let communeName = FastText.nfc(observation.commune ?? "")
        let communeCode = FastText.nfc(observation.communeCode ?? "")
        let commune: UnitLookup
        if communeName.isEmpty && communeCode.isEmpty {
            commune = self.commune(name: defaultCommuneName, code: "", at: source)
        } else {
            commune = self.commune(name: communeName, code: communeCode, at: source)
        }
        guard case .found(let communeIndex) = commune else {
            log.add(lookupDiagnostic(commune, name: communeName, at: source))
            return
        }
        var unit = communeIndex
        let villageName = FastText.nfc(observation.village ?? "")
        let villageCode = FastText.nfc(observation.villageCode ?? "")
        if !villageName.isEmpty || !villageCode.isEmpty {
            let lookup = village(in: communeIndex, name: villageName, code: villageCode, at: source)
            guard case .found(let index) = lookup else {
                log.add(lookupDiagnostic(lookup, name: villageName, at: source))
                return
            }
            unit = index
        }
        guard PeriodField.year.range.contains(observation.year) else {
            log.add(PeriodParser.diagnostic(.outOfRange(observation.year), raw: String(observation.year), field: .year, at: source))
            return
        }
        let field: PeriodField?
        let number: Int
        switch observation.subperiod {
        case .year: field = nil; number = 0
        case .quarter(let q): field = .quarter; number = q
        case .month(let m): field = .month; number = m
        case .week(let w): field = .week; number = w
        }
        if let field, !field.range.contains(number) {
            log.add(PeriodParser.diagnostic(.outOfRange(number), raw: String(number), field: field, at: source))
            return
        }
        if let count = observation.count, count < 0 || count > maximumCount || observation.excluded < 0 || observation.excluded > count {
            log.add(Diagnostic(.error, count < 0 ? .negativeCount : count > maximumCount ? .countTooLarge : .excludedExceedsCount, at: source,
                               LocalizedText(vi: "Giá trị không hợp lệ: số lượng \(count), bất khả kháng \(observation.excluded).",
                                             en: "Invalid value: count \(count), force majeure \(observation.excluded).")))
            return
        }
        let template = locationTemplate(source)
        if let value = observation.population,
           !recordAttribute(households: false, unit: unit, year: observation.year, value: value, line: source.line, location: template) { return }
        if let value = observation.households,
           !recordAttribute(households: true, unit: unit, year: observation.year, value: value, line: source.line, location: template) { return }
        let measure = measureNumber(observation.measure)
        record(unit: unit, measure: measure, year: observation.year, subperiod: Self.code(of: observation.subperiod),
               count: observation.count, excluded: observation.count == nil ? 0 : observation.excluded,
               row: row, line: source.line, location: template)
    }

    /// The panel and every diagnostic logged so far (input order, then the builder's findings).
    public func build() -> (panel: Panel, diagnostics: [Diagnostic]) {
        let output = buildWithRowOutcomes()
        return (output.panel, output.diagnostics + output.summaries)
    }

    // MARK: Building

    /// How the facts of one row fared: duplicates counted once, values rejected.
    struct RowOutcome {
        var duplicates = 0
        var rejected = 0
    }

    struct Output {
        var panel: Panel
        var diagnostics: [Diagnostic]
        /// "… and N more" for the kinds that went over `IngestOptions.maxDiagnosticsPerKind`.
        var summaries: [Diagnostic]
        var rowFactCount: [UInt16]
        var rowOutcomes: [Int32: RowOutcome]
        /// The line of each row with a rejected value.
        var rejectedRowLines: [Int32: Int]
    }

    /// A resolved subperiod value of one series-year.
    private struct Resolved {
        var subperiod: UInt16
        var count: Int
        var excluded: Int
        var facts: [Int32]
    }

    func buildWithRowOutcomes() -> Output {
        var log = self.log
        var outcomes: [Int32: RowOutcome] = [:]
        var panel = Panel(units: units, scheme: options.scheme)
        panel.population = population.mapValues { $0.mapValues(\.value) }
        panel.households = households.mapValues { $0.mapValues(\.value) }
        var series: [SeriesKey: [Int: YearValue]] = [:]
        series.reserveCapacity(seriesKeys.count)
        var scratch: [Int32] = []
        for s in seriesKeys.indices {
            scratch.removeAll(keepingCapacity: true)
            var f = seriesFirstFact[s]
            var sorted = true
            while f >= 0 {
                if let last = scratch.last, !precedes(Int(last), Int(f)) { sorted = false }
                scratch.append(f)
                f = facts[Int(f)].next
            }
            if !sorted { scratch.sort { precedes(Int($0), Int($1)) } }
            var yearCount = scratch.isEmpty ? 0 : 1
            for k in scratch.indices.dropFirst() where facts[Int(scratch[k])].year != facts[Int(scratch[k - 1])].year { yearCount += 1 }
            var years = [Int: YearValue](minimumCapacity: yearCount)
            var start = 0
            while start < scratch.count {
                let year = facts[Int(scratch[start])].year
                var end = start + 1
                while end < scratch.count && facts[Int(scratch[end])].year == year { end += 1 }
                if var value = yearValue(scratch[start..<end], series: seriesKeys[s], log: &log, outcomes: &outcomes) {
                    // A yearly count that its file marks incomplete (`missing_periods`) stays incomplete.
                    if !declaredMissing.isEmpty, value.isComplete, value.months.isEmpty, value.weeks.isEmpty,
                       let missing = declaredMissing[seriesKeys[s]]?[Int(year)] {
                        value.completeness = .incomplete(missing: missing)
                    }
                    years[Int(year)] = value
                }
                start = end
            }
            series[seriesKeys[s]] = years
        }
        panel.series = series
        reportSimilarNames(log: &log)
        var rejectedLines: [Int32: Int] = [:]
        if outcomes.values.contains(where: { $0.rejected > 0 }) {
            for fact in facts where outcomes[fact.row]?.rejected ?? 0 > 0 && rejectedLines[fact.row] == nil {
                rejectedLines[fact.row] = Int(fact.line)
            }
        }
        return Output(panel: panel, diagnostics: log.items, summaries: log.summaries(), rowFactCount: rowFactCount, rowOutcomes: outcomes,
                      rejectedRowLines: rejectedLines)
    }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        let x = facts[a], y = facts[b]
        return (x.year, x.subperiod, x.row) < (y.year, y.subperiod, y.row)
    }

    private func location(ofFact index: Int32) -> SourceLocation {
        let fact = facts[Int(index)]
        return location(template: fact.location, line: Int(fact.line))
    }

    private func describeSeries(_ key: SeriesKey, year: Int16, subperiod: UInt16) -> String {
        let period = subperiod == 0 ? "\(year)" : "\(year) \(Self.subperiod(of: subperiod))"
        return "\(units[key.unit].name), \(key.measure), \(period)"
    }

    /// The value of one series-year from its facts (sorted by subperiod, then input order).
    private func yearValue(_ group: ArraySlice<Int32>, series key: SeriesKey, log: inout DiagnosticLog,
                           outcomes: inout [Int32: RowOutcome]) -> YearValue? {
        if let value = simpleYearValue(group) { return value }
        var resolved: [Resolved] = []
        for index in group {
            let fact = facts[Int(index)]
            guard let current = resolved.last, current.subperiod == fact.subperiod else {
                resolved.append(Resolved(subperiod: fact.subperiod, count: fact.count, excluded: fact.excluded, facts: [index]))
                continue
            }
            let r = resolved.count - 1
            if fact.count < 0 {
                if current.count < 0 {
                    outcomes[fact.row, default: RowOutcome()].duplicates += 1
                    log.add(duplicate(index, of: current.facts[0], key: key))
                }
                continue
            }
            if current.count < 0 {
                resolved[r] = Resolved(subperiod: fact.subperiod, count: fact.count, excluded: fact.excluded, facts: [index])
                continue
            }
            if fact.count == current.count && fact.excluded == current.excluded && current.facts.count == 1 {
                outcomes[fact.row, default: RowOutcome()].duplicates += 1
                log.add(duplicate(index, of: current.facts[0], key: key))
                continue
            }
            let described = describeSeries(key, year: fact.year, subperiod: fact.subperiod)
            let previous = location(ofFact: current.facts[0])
            switch options.onConflict {
            case .error:
                outcomes[fact.row, default: RowOutcome()].rejected += 1
                log.add(Diagnostic(.error, .conflictingRow, at: location(ofFact: index), LocalizedText(
                    vi: "\(described): giá trị \(fact.count) khác với \(current.count) ở \(previous); giữ giá trị đầu (dùng --on-conflict=last hoặc sum để chọn cách gộp).",
                    en: "\(described): value \(fact.count) differs from \(current.count) at \(previous); the first is kept (use --on-conflict=last or sum to merge).")))
            case .last:
                log.add(Diagnostic(.note, .conflictingRow, at: location(ofFact: index), LocalizedText(
                    vi: "\(described): giá trị \(fact.count) thay cho \(current.count) ở \(previous) (--on-conflict=last).",
                    en: "\(described): value \(fact.count) replaces \(current.count) at \(previous) (--on-conflict=last).")))
                resolved[r] = Resolved(subperiod: fact.subperiod, count: fact.count, excluded: fact.excluded, facts: [index])
            case .sum:
                let (total, overflow) = current.count.addingReportingOverflow(fact.count)
                guard !overflow, total <= maximumCount else {
                    outcomes[fact.row, default: RowOutcome()].rejected += 1
                    log.add(Diagnostic(.error, .countTooLarge, at: location(ofFact: index), LocalizedText(
                        vi: "\(described): tổng cộng dồn quá lớn.", en: "\(described): the summed value is too large.")))
                    continue
                }
                log.add(Diagnostic(.note, .conflictingRow, at: location(ofFact: index), LocalizedText(
                    vi: "\(described): giá trị \(fact.count) được cộng vào \(current.count) ở \(previous) (--on-conflict=sum).",
                    en: "\(described): value \(fact.count) added to \(current.count) at \(previous) (--on-conflict=sum).")))
                resolved[r].count = total
                resolved[r].excluded += fact.excluded
                resolved[r].facts.append(index)
            }
        }
        // Granularities (year, quarter, month, week) that hold data.
        var kinds: [UInt16: [Resolved]] = [:]
        for value in resolved where value.count >= 0 { kinds[value.subperiod >> 8, default: []].append(value) }
        guard !kinds.isEmpty else { return nil }
        if kinds.count == 1, let only = kinds.first { return value(of: only.key, only.value) }
        let order = kinds.keys.sorted()
        let candidates = order.compactMap { kind in kinds[kind].map { value(of: kind, $0) } }
        let agree = candidates.allSatisfy { $0.isComplete && $0.count == candidates[0].count && $0.excluded == candidates[0].excluded }
        let coarsest = order[0]
        let finer = order.dropFirst().flatMap { kinds[$0] ?? [] }
        let finerLocation = location(ofFact: finer[0].facts[0])
        let coarseLocation = location(ofFact: kinds[coarsest]?[0].facts[0] ?? finer[0].facts[0])
        let described = describeSeries(key, year: facts[Int(finer[0].facts[0])].year, subperiod: 0)
        let totals = zip(order, candidates).map { kind, value in
            "\(kindName(kind).en) \(value.count)\(value.isComplete ? "" : " (incomplete)")"
        }.joined(separator: ", ")
        let totalsVI = zip(order, candidates).map { kind, value in
            "\(kindName(kind).vi) \(value.count)\(value.isComplete ? "" : " (thiếu kỳ)")"
        }.joined(separator: ", ")
        if agree {
            log.add(Diagnostic(.note, .mixedGranularity, at: finerLocation, LocalizedText(
                vi: "\(described): có cả số liệu \(totalsVI) (xem \(coarseLocation)); các số khớp nhau.",
                en: "\(described): given both as \(totals) (see \(coarseLocation)); they agree.")))
            var merged = candidates[0]
            merged.months = candidates.first { !$0.months.isEmpty }?.months ?? [:]
            merged.weeks = candidates.first { !$0.weeks.isEmpty }?.weeks ?? [:]
            merged.sources = candidates.flatMap(\.sources)
            return merged
        }
        for value in finer {
            for index in value.facts { outcomes[facts[Int(index)].row, default: RowOutcome()].rejected += 1 }
        }
        log.add(Diagnostic(.error, .mixedGranularity, at: finerLocation, LocalizedText(
            vi: "\(described): số liệu theo nhiều kỳ không khớp: \(totalsVI) (xem \(coarseLocation)); giữ số liệu \(kindName(coarsest).vi).",
            en: "\(described): values for different period lengths disagree: \(totals) (see \(coarseLocation)); the \(kindName(coarsest).en) value is kept.")))
        return candidates[0]
    }

    private func kindName(_ kind: UInt16) -> LocalizedText {
        switch kind {
        case 0: return LocalizedText(vi: "cả năm", en: "yearly")
        case 1: return LocalizedText(vi: "theo quý", en: "quarterly")
        case 2: return LocalizedText(vi: "theo tháng", en: "monthly")
        default: return LocalizedText(vi: "theo tuần", en: "weekly")
        }
    }

    private func duplicate(_ index: Int32, of first: Int32, key: SeriesKey) -> Diagnostic {
        let fact = facts[Int(index)]
        let described = describeSeries(key, year: fact.year, subperiod: fact.subperiod)
        let firstLocation = location(ofFact: first)
        return Diagnostic(.warning, .duplicateRow, at: location(ofFact: index), LocalizedText(
            vi: "\(described): trùng với \(firstLocation); chỉ tính một lần.",
            en: "\(described): same as \(firstLocation); counted once."))
    }

    /// The common case without duplicates or mixed period lengths, built without intermediate
    /// arrays: `.some(nil)` when every subperiod is missing, nil when the general path is needed.
    private func simpleYearValue(_ group: ArraySlice<Int32>) -> YearValue?? {
        guard let firstIndex = group.first else { return .some(nil) }
        let first = facts[Int(firstIndex)]
        let kind = first.subperiod >> 8
        if group.count == 1 {
            guard first.count >= 0 else { return .some(nil) }
            if kind == 0 {
                return YearValue(count: first.count, excluded: first.excluded, sources: options.keepSources ? [location(ofFact: firstIndex)] : [])
            }
        }
        var previous: UInt16?
        var count = 0
        var excluded = 0
        var present: UInt64 = 0
        var months: [Int: Int] = [:]
        var weeks: [Int: Int] = [:]
        var sources: [SourceLocation] = []
        let keepSources = options.keepSources
        if keepSources { sources.reserveCapacity(group.count) }
        for index in group {
            let fact = facts[Int(index)]
            guard fact.subperiod >> 8 == kind, fact.subperiod != previous, kind != 0 || group.count == 1 else { return nil }
            previous = fact.subperiod
            guard fact.count >= 0 else { continue }
            let number = Int(fact.subperiod & 0xFF)
            count += fact.count
            excluded += fact.excluded
            present |= 1 << UInt64(number)
            if kind == 2 { months[number] = fact.count }
            if kind == 3 { weeks[number] = fact.count }
            if keepSources { sources.append(location(ofFact: index)) }
        }
        if present == 0 { return .some(nil) }
        var value = YearValue(count: count, excluded: excluded, completeness: Self.completeness(kind: kind, present: present),
                              months: months, sources: sources)
        value.weeks = weeks
        return value
    }

    /// Complete, or incomplete with the missing subperiods, given the bit set of numbers present.
    private static func completeness(kind: UInt16, present: UInt64) -> Completeness {
        let expected: ClosedRange<Int>
        switch kind {
        case 0: return .complete
        case 1: expected = 1...4
        case 2: expected = 1...12
        default: expected = present & (1 << 53) != 0 ? 1...53 : 1...52
        }
        let missing = expected.filter { present & (1 << UInt64($0)) == 0 }.map { subperiod(of: kind << 8 | UInt16($0)) }
        return missing.isEmpty ? .complete : .incomplete(missing: missing)
    }

    /// The year value built from the resolved subperiods of one granularity.
    private func value(of kind: UInt16, _ values: [Resolved]) -> YearValue {
        var count = 0
        var excluded = 0
        var present: UInt64 = 0
        var months: [Int: Int] = [:]
        var weeks: [Int: Int] = [:]
        var sources: [SourceLocation] = []
        for value in values {
            let number = Int(value.subperiod & 0xFF)
            count += value.count
            excluded += value.excluded
            present |= 1 << UInt64(number)
            if kind == 2 { months[number] = value.count }
            if kind == 3 { weeks[number] = value.count }
            if options.keepSources { sources += value.facts.map(location(ofFact:)) }
        }
        var result = YearValue(count: count, excluded: excluded, completeness: Self.completeness(kind: kind, present: present),
                               months: months, sources: sources)
        result.weeks = weeks
        return result
    }

    /// Warns about siblings whose names differ only in tone marks or kind prefix spelling.
    private func reportSimilarNames(log: inout DiagnosticLog) {
        var groups: [SiblingKey: [Int]] = [:]
        var keys = unitKeys
        for (index, unit) in units.enumerated() {
            groups[SiblingKey(parent: unit.parent ?? -1, text: keys.toneless(unit.key)), default: []].append(index)
        }
        for members in groups.values.sorted(by: { $0[0] < $1[0] }) where members.count > 1 {
            let distinctKeys = Set(members.map { units[$0].key })
            guard distinctKeys.count > 1 else { continue }
            let names = members.map { "“\(units[$0].name)” (\(unitFirstSeen[$0]))" }.joined(separator: ", ")
            log.add(Diagnostic(.warning, .similarNames, at: unitFirstSeen[members[1]], LocalizedText(
                vi: "Các tên gần giống nhau được coi là đơn vị khác nhau: \(names). Kiểm tra lại dấu thanh.",
                en: "Similar names are treated as different units: \(names). Check the tone marks.")))
        }
    }
}
