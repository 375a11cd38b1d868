import BinhYenCore

/// How a unit changed (SPEC §2 side file `crosswalk`).
public enum UnitChange: String, Sendable, Hashable, CaseIterable {
    /// Several old units became one (gộp, sáp nhập).
    case merge
    /// One old unit became several (chia, tách).
    case split
    /// Same territory, new name or code (đổi tên).
    case rename
}

/// One line of a crosswalk: an old unit and the unit it became.
public struct CrosswalkEntry: Sendable, Hashable {
    /// Whether the line is about villages or communes.
    public var level: UnitKind
    /// For villages: the commune the old village belongs to (nil: any commune).
    public var commune: String?
    /// The old unit's name and code (the code wins when both sides have one).
    public var old: String
    public var oldCode: String?
    /// The unit it became (made when the data do not name it).
    public var new: String
    public var newCode: String?
    public var change: UnitChange
    /// The day the change took effect; its reporting year decides which years need every old unit.
    public var effective: CivilDate?
    /// The line of the crosswalk file.
    public var source: SourceLocation

    /// One crosswalk line.
    public init(level: UnitKind, commune: String? = nil, old: String, oldCode: String? = nil, new: String, newCode: String? = nil,
                change: UnitChange, effective: CivilDate?, source: SourceLocation) {
        self.level = level
        self.commune = commune
        self.old = old
        self.oldCode = oldCode
        self.new = new
        self.newCode = newCode
        self.change = change
        self.effective = effective
        self.source = source
    }
}

/// Merges, renames and splits of villages and communes, applied so that a multi-year
/// comparison is made on today's units (DOMAIN.md §5: the 2025 commune reform, the planned
/// village rearrangement).
///
/// - Merge and rename: every series of the old unit is moved to the new one (matched by
///   `TextKey.unitKey` or code; made when absent); chains (A → B, then B → C) are followed.
///   Series that land on the same unit are added up year by year: counts, force-majeure
///   counts and months; a year is complete when the months present together cover the year.
///   A year before the change in which one of the old units with data has no value is left
///   missing (never an undercount), with a warning.
/// - A commune merge moves the villages of the old commune under the new one; a village whose
///   name is already used there keeps its old commune's name in brackets (warned).
/// - Split: the old unit's values cannot be divided; they stay under the old unit (warned).
/// Every re-aggregation is stated as a `reaggregated` note naming the old units, the new unit,
/// the change, its date and the years added up.
public struct Crosswalk: Sendable {
    /// The lines, in file order.
    public var entries: [CrosswalkEntry]

    /// A crosswalk of `entries`.
    public init(entries: [CrosswalkEntry]) {
        self.entries = entries
    }

    // MARK: Reading

    private enum Role: Hashable {
        case old, oldCode, new, newCode, change, effective, commune, level, oldCommune, newCommune
    }

    private static let headings: [String: Role] = {
        var table: [String: Role] = [:]
        let spellings: [(Role, [String])] = [
            (.old, ["Đơn vị cũ", "Tên cũ", "Thôn cũ", "Tên thôn cũ", "old", "old_unit", "old_name", "from"]),
            (.oldCommune, ["Xã cũ", "Tên xã cũ", "old_commune"]),
            (.oldCode, ["Mã cũ", "Mã thôn cũ", "Mã xã cũ", "old_code"]),
            (.new, ["Đơn vị mới", "Tên mới", "Thôn mới", "Tên thôn mới", "new", "new_unit", "new_name", "to"]),
            (.newCommune, ["Xã mới", "Tên xã mới", "new_commune"]),
            (.newCode, ["Mã mới", "Mã thôn mới", "Mã xã mới", "new_code"]),
            (.change, ["Loại thay đổi", "Hình thức", "Thay đổi", "Hình thức sắp xếp", "change", "kind", "type"]),
            (.effective, ["Ngày hiệu lực", "Hiệu lực", "Hiệu lực từ", "Từ ngày", "Ngày", "effective", "effective_date", "date"]),
            (.level, ["Cấp", "Cấp đơn vị", "level"]),
        ]
        for (role, names) in spellings { for name in names { table[TextKey.loose(name)] = role } }
        return table
    }()

    private static func role(of heading: String) -> Role? {
        if let own = headings[TextKey.loose(heading)] { return own }
        return HeadingDictionary.role(of: heading) == .commune ? .commune : nil
    }

    private static func change(_ text: String) -> UnitChange? {
        let key = TextKey.loose(text)
        if ["gop", "sap nhap", "hop nhat", "nhap", "merge", "merged"].contains(key) { return .merge }
        if ["chia", "tach", "chia tach", "split"].contains(key) { return .split }
        if ["doi ten", "rename", "renamed", "doi ma"].contains(key) { return .rename }
        return nil
    }

    /// Reads a crosswalk file; problems are logged.
    static func read(_ file: SideFile, options: IngestOptions, log: inout DiagnosticLog) -> Crosswalk? {
        let rows: [SideTable.Row]
        switch SideTable.load(file, options: options) {
        case .failure(let diagnostic):
            log.add(diagnostic)
            return nil
        case .success(let loaded): rows = loaded
        }
        guard let header = SideTable.header(rows, role: role),
              let oldColumn = header.columns[.old] ?? header.columns[.oldCommune],
              let newColumn = header.columns[.new] ?? header.columns[.newCommune] else {
            log.add(Diagnostic(.error, .missingColumn, at: SourceLocation(file: file.name, line: 1), LocalizedText(
                vi: "Tệp chuyển đổi đơn vị cần các cột đơn vị cũ và đơn vị mới (Đơn vị cũ, Đơn vị mới, Loại thay đổi, Ngày hiệu lực).",
                en: "The crosswalk file needs old-unit and new-unit columns (old, new, change, effective date).")))
            return nil
        }
        let columns = header.columns
        let communeLevel = header.columns[.old] == nil
        var entries: [CrosswalkEntry] = []
        for row in rows.dropFirst(header.index + 1) where row.cells.contains(where: { !$0.isEmpty }) {
            let old = SideTable.cell(row, oldColumn)
            let new = SideTable.cell(row, newColumn)
            guard !old.isEmpty, !new.isEmpty else {
                log.add(Diagnostic(.error, .missingValue, at: row.location, LocalizedText(
                    vi: "Dòng thiếu đơn vị cũ hoặc đơn vị mới.", en: "The row lacks the old or the new unit.")))
                continue
            }
            var level: UnitKind = communeLevel ? .commune : .village
            let levelText = TextKey.loose(SideTable.cell(row, columns[.level]))
            if ["xa", "phuong", "commune", "ward", "dac khu", "thi tran"].contains(levelText) { level = .commune }
            if ["thon", "village", "to dan pho", "khu dan cu", "ap", "ban", "xom", "hamlet"].contains(levelText) { level = .village }
            let changeText = SideTable.cell(row, columns[.change])
            var kind = UnitChange.rename
            if !changeText.isEmpty {
                guard let parsed = change(changeText) else {
                    log.add(Diagnostic(.error, .missingValue, at: row.location, LocalizedText(
                        vi: "“\(changeText)” không phải loại thay đổi (gộp, chia, đổi tên).",
                        en: "“\(changeText)” is not a kind of change (merge, split, rename).")))
                    continue
                }
                kind = parsed
            }
            var effective: CivilDate?
            let dateText = SideTable.cell(row, columns[.effective])
            if !dateText.isEmpty {
                guard case .success(let date) = DateParser.read(dateText) else {
                    log.add(Diagnostic(.error, .invalidDate, at: row.location, LocalizedText(
                        vi: "“\(dateText)” không phải ngày hiệu lực hợp lệ (dd/mm/yyyy).", en: "“\(dateText)” is not a valid effective date (dd/mm/yyyy).")))
                    continue
                }
                effective = date
            }
            let oldCode = SideTable.cell(row, columns[.oldCode])
            let newCode = SideTable.cell(row, columns[.newCode])
            let commune = SideTable.cell(row, columns[.commune] ?? (level == .village ? columns[.oldCommune] : nil))
            entries.append(CrosswalkEntry(level: level, commune: commune.isEmpty ? nil : commune, old: old,
                                          oldCode: oldCode.isEmpty ? nil : oldCode, new: new, newCode: newCode.isEmpty ? nil : newCode,
                                          change: kind, effective: effective, source: row.location))
        }
        // Several old units into one new unit is a merge whatever the change column says.
        var byTarget: [String: Int] = [:]
        for entry in entries where entry.change != .split { byTarget[TextKey.unitKey(entry.new), default: 0] += 1 }
        for i in entries.indices where entries[i].change == .rename && byTarget[TextKey.unitKey(entries[i].new), default: 0] > 1 {
            entries[i].change = .merge
        }
        return Crosswalk(entries: entries)
    }

    // MARK: Applying

    private func matches(_ entry: CrosswalkEntry, _ unit: Unit, in panel: Panel) -> Bool {
        guard unit.kind == entry.level else { return false }
        if entry.level == .village, let commune = entry.commune, let parent = unit.parent {
            let parentUnit = panel.units[parent]
            guard parentUnit.key == TextKey.unitKey(commune) || parentUnit.code == commune else { return false }
        }
        if let code = entry.oldCode, let unitCode = unit.code { return code == unitCode }
        return unit.key == TextKey.unitKey(entry.old)
    }

    /// The entry that moves `key` (a unit key) on, for following chains.
    private func next(after key: String, level: UnitKind, excluding used: Set<Int>) -> Int? {
        entries.indices.first { !used.contains($0) && entries[$0].level == level && entries[$0].change != .split
            && TextKey.unitKey(entries[$0].old) == key }
    }

    /// The panel on today's units and the notes and warnings that say what was done.
    public func apply(to panel: Panel) -> (panel: Panel, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var used = Set<Int>()
        // Direct entry of each unit, then the chain's last entry.
        var route: [Int: [Int]] = [:]
        for (index, unit) in panel.units.enumerated() {
            guard let first = entries.indices.first(where: { matches(entries[$0], unit, in: panel) }) else { continue }
            used.insert(first)
            if entries[first].change == .split {
                for other in entries.indices where entries[other].change == .split && matches(entries[other], unit, in: panel) { used.insert(other) }
                diagnostics.append(Diagnostic(.warning, .reaggregated, at: entries[first].source, LocalizedText(
                    vi: "“\(unit.name)” được chia tách (\(entries[first].new)): số liệu trước khi chia không phân bổ được, vẫn giữ dưới tên “\(unit.name)” và không so sánh với đơn vị mới.",
                    en: "“\(unit.name)” was split (\(entries[first].new)): values from before the split cannot be divided; they stay under “\(unit.name)” and are not compared with the new units.")))
                continue
            }
            var chain = [first]
            var seen: Set<Int> = [first]
            while chain.count < 16, let following = next(after: TextKey.unitKey(entries[chain[chain.count - 1]].new), level: unit.kind, excluding: seen) {
                chain.append(following)
                seen.insert(following)
                used.insert(following)
            }
            route[index] = chain
        }
        for index in entries.indices where !used.contains(index) {
            diagnostics.append(Diagnostic(.warning, .reaggregated, at: entries[index].source, LocalizedText(
                vi: "Dòng chuyển đổi “\(entries[index].old)” → “\(entries[index].new)” không khớp đơn vị nào trong số liệu.",
                en: "Crosswalk line “\(entries[index].old)” → “\(entries[index].new)” matches no unit of the data.")))
        }
        guard !route.isEmpty else { return (panel, diagnostics) }

        // New units: communes first, then villages.
        var units: [Unit] = []
        var newIndex = [Int](repeating: -1, count: panel.units.count)
        func find(_ kind: UnitKind, key: String, parent: Int?) -> Int? {
            units.firstIndex { $0.kind == kind && $0.key == key && $0.parent == parent }
        }
        for pass in [UnitKind.commune, .village] {
            // Villages of communes that stay come before those moved in, which give way on a name clash.
            let staying = panel.units.indices.filter { panel.units[$0].kind == pass && route[$0] == nil }
            let order = staying.filter { panel.units[$0].parent.map { route[$0] == nil } ?? true }
                + staying.filter { panel.units[$0].parent.map { route[$0] != nil } ?? false }
            for index in order {
                let unit = panel.units[index]
                var moved = unit
                moved.parent = unit.parent.map { newIndex[$0] }
                if pass == .village, let parent = moved.parent, find(.village, key: moved.key, parent: parent) != nil,
                   let oldParent = unit.parent, route[oldParent] != nil {
                    moved.name = "\(unit.name) (\(panel.units[oldParent].name))"
                    moved.key = TextKey.unitKey(moved.name)
                    diagnostics.append(Diagnostic(.warning, .reaggregated, at: nil, LocalizedText(
                        vi: "Xã mới đã có thôn tên “\(unit.name)”: thôn cùng tên của \(panel.units[oldParent].name) được ghi là “\(moved.name)”.",
                        en: "The new commune already has a village “\(unit.name)”: the one from \(panel.units[oldParent].name) is written “\(moved.name)”.")))
                }
                if let existing = find(moved.kind, key: moved.key, parent: moved.parent) {
                    newIndex[index] = existing
                } else {
                    units.append(moved)
                    newIndex[index] = units.count - 1
                }
            }
            for (index, unit) in panel.units.enumerated() where unit.kind == pass {
                guard let chain = route[index], let last = chain.last else { continue }
                let target = entries[last]
                let parent = unit.parent.map { newIndex[$0] }
                let key = TextKey.unitKey(target.new)
                if let existing = find(unit.kind, key: key, parent: parent) {
                    newIndex[index] = existing
                    if units[existing].code == nil { units[existing].code = target.newCode }
                } else {
                    units.append(Unit(kind: unit.kind, name: TextKey.nfc(target.new), key: key, code: target.newCode, parent: parent))
                    newIndex[index] = units.count - 1
                }
            }
        }
        // Effective reporting year of each old unit's change (the earliest of its chain).
        var changeYear: [Int: Int] = [:]
        for (index, chain) in route {
            if let date = chain.compactMap({ entries[$0].effective }).min() { changeYear[index] = panel.scheme.period(of: date).year }
        }
        for (index, unit) in panel.units.enumerated() where unit.kind == .village && route[index] == nil {
            if let parent = unit.parent, let year = changeYear[parent] { changeYear[index] = year }
        }

        var result = Panel(units: units, scheme: panel.scheme)
        var groups: [SeriesKey: [Int]] = [:]
        for key in panel.series.keys.sorted() {
            groups[SeriesKey(unit: newIndex[key.unit], measure: key.measure), default: []].append(key.unit)
        }
        var dropped: [String] = []
        for (target, sources) in groups.sorted(by: { $0.key < $1.key }) {
            let values = sources.compactMap { panel.series[SeriesKey(unit: $0, measure: target.measure)] }
            if values.count == 1 {
                result.series[target] = values[0]
                continue
            }
            var combined: [Int: YearValue] = [:]
            let years = Set(values.flatMap(\.keys)).sorted()
            for year in years {
                let present = zip(sources, values).filter { $0.1[year] != nil }
                let missing = zip(sources, values).filter { source, value in
                    value[year] == nil && (changeYear[source].map { year < $0 } ?? false)
                }
                if !missing.isEmpty {
                    dropped.append("\(units[target.unit].name) \(target.measure) \(year) (\(missing.map { panel.units[$0.0].name }.joined(separator: ", ")))")
                    continue
                }
                combined[year] = Self.sum(present.compactMap { $0.1[year] })
            }
            result.series[target] = combined
        }
        for (attribute, isHouseholds) in [(panel.population, false), (panel.households, true)] {
            var merged: [Int: [Int: Int]] = [:]
            for (unit, byYear) in attribute {
                for (year, value) in byYear { merged[newIndex[unit], default: [:]][year, default: 0] += value }
            }
            if isHouseholds { result.households = merged } else { result.population = merged }
        }
        if !dropped.isEmpty {
            diagnostics.append(Diagnostic(.warning, .reaggregated, at: nil, LocalizedText(
                vi: "Không cộng gộp được (đơn vị cũ thiếu số liệu năm đó, để trống thay vì tính thiếu): \(dropped.joined(separator: "; ")).",
                en: "Not added up (an old unit has no value that year; left missing rather than undercounted): \(dropped.joined(separator: "; ")).")))
        }
        // One note per new unit that received old units.
        var received: [Int: [Int]] = [:]
        for (index, _) in route { received[newIndex[index], default: []].append(index) }
        for (target, unsorted) in received.sorted(by: { $0.key < $1.key }) {
            let olds = unsorted.sorted()
            let oldNames = olds.map { panel.units[$0].name }
            let chainEntries = olds.compactMap { route[$0]?.first }.map { entries[$0] }
            let kinds = Set(chainEntries.map(\.change.rawValue)).sorted().joined(separator: ", ")
            let dates = Set(chainEntries.compactMap { $0.effective?.vietnamese }).sorted().joined(separator: ", ")
            let years = Set(panel.series.filter { olds.contains($0.key.unit) }.flatMap(\.value.keys)).sorted()
            let span = years.isEmpty ? "" : years.count == 1 ? " \(years[0])" : " \(years[0])–\(years[years.count - 1])"
            let dateVI = dates.isEmpty ? "" : ", hiệu lực \(dates)"
            let dateEN = dates.isEmpty ? "" : ", effective \(dates)"
            diagnostics.append(Diagnostic(.note, .reaggregated, at: chainEntries.first?.source, LocalizedText(
                vi: "\(oldNames.joined(separator: " + ")) → \(units[target].name) (\(kinds)\(dateVI)): số liệu\(span) được cộng vào đơn vị hiện nay “\(units[target].name)”.",
                en: "\(oldNames.joined(separator: " + ")) → \(units[target].name) (\(kinds)\(dateEN)): values\(span) added up into today's unit “\(units[target].name)”.")))
        }
        return (result, diagnostics)
    }

    /// The sum of the values of one year of several units.
    static func sum(_ values: [YearValue]) -> YearValue {
        guard var total = values.first else { return YearValue(count: 0) }
        guard values.count > 1 else { return total }
        var months: [Int: Int] = total.months
        var allComplete = total.isComplete
        var missing = Set(Self.missing(total))
        for value in values.dropFirst() {
            total.count += value.count
            total.excluded += value.excluded
            total.sources += value.sources
            for (month, count) in value.months { months[month, default: 0] += count }
            allComplete = allComplete && value.isComplete
            missing.formIntersection(Self.missing(value))
        }
        total.months = months
        total.completeness = allComplete || missing.isEmpty ? .complete : .incomplete(missing: missing.sorted())
        return total
    }

    private static func missing(_ value: YearValue) -> [Subperiod] {
        if case .incomplete(let missing) = value.completeness { return missing }
        return []
    }
}
