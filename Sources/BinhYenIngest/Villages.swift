import BinhYenCore

/// One village of a villages side file (`--villages`).
public struct RegisteredVillage: Sendable, Hashable {
    /// Local code, if the file gives one.
    public var code: String?
    /// Official name (NFC), used for display.
    public var name: String
    /// Other spellings that name the same village ("Xóm Bến" for "Thôn Bến Đò").
    public var aliases: [String]
    /// Kind as written (thôn, tổ dân phố, ấp, …), if given.
    public var kind: String?
    /// The commune it belongs to, if the file says.
    public var commune: String?
    /// The commune's administrative code, if the file says.
    public var communeCode: String?
    /// Population and households by year.
    public var population: [Int: Int]
    public var households: [Int: Int]
    /// The row that first named it.
    public var source: SourceLocation

    /// A village as the villages file describes it.
    public init(code: String?, name: String, aliases: [String] = [], kind: String? = nil, commune: String? = nil,
                communeCode: String? = nil, population: [Int: Int] = [:], households: [Int: Int] = [:], source: SourceLocation) {
        self.code = code
        self.name = name
        self.aliases = aliases
        self.kind = kind
        self.commune = commune
        self.communeCode = communeCode
        self.population = population
        self.households = households
        self.source = source
    }
}

/// The villages known to the user (SPEC §2 side file `villages`): every village name of the
/// data is matched against it by `TextKey.unitKey` (case, tone placement and diacritics of
/// the prefix, `đ`, "Thôn"/"Xóm"/"Tổ dân phố số" prefixes, Arabic and Roman numbering). A name
/// that matches no village is an error naming the nearest known names; a name that matches
/// several (two villages share a name or alias in one commune) is an error naming them all.
public struct VillageRegistry: Sendable {
    /// The villages, in file order.
    public private(set) var villages: [RegisteredVillage]
    private var keys: [[String]]

    /// A registry of `villages`; each is matched by the unit keys of its name and aliases.
    public init(villages: [RegisteredVillage]) {
        self.villages = villages
        keys = villages.map { village in
            var seen: [String] = []
            for name in [village.name] + village.aliases {
                let key = TextKey.unitKey(name)
                if !key.isEmpty && !seen.contains(key) { seen.append(key) }
            }
            return seen
        }
    }

    /// The one commune named by every village, if there is exactly one.
    public var singleCommune: String? {
        let names = Set(villages.compactMap { $0.commune.map(TextKey.unitKey) })
        guard names.count == 1 else { return nil }
        return villages.first { $0.commune != nil }?.commune
    }

    enum Match {
        case found(Int)
        case unknown(nearest: [String])
        case ambiguous([Int])
    }

    /// Whether village `index` belongs to the commune named `name` with `key` and `code`.
    func belongs(_ index: Int, communeKey: String, communeCode: String?) -> Bool {
        let village = villages[index]
        if let code = village.communeCode, let communeCode { return code == communeCode }
        guard let commune = village.commune else { return true }
        return TextKey.unitKey(commune) == communeKey
    }

    /// The village of the commune (`communeKey`, `communeCode`) named `name` or coded `code`.
    func match(name: String, code: String, communeKey: String, communeCode: String?) -> Match {
        let candidates = villages.indices.filter { belongs($0, communeKey: communeKey, communeCode: communeCode) }
        if !code.isEmpty, let coded = candidates.first(where: { villages[$0].code == code }) { return .found(coded) }
        let written = name.isEmpty ? code : name
        let key = TextKey.unitKey(written)
        var found = candidates.filter { keys[$0].contains(key) }
        // A name typed without any diacritics ("dong hoa") matches regardless of tones and marks.
        if found.isEmpty && written.unicodeScalars.allSatisfy(\.isASCII) {
            let bare = Self.bare(key)
            found = candidates.filter { keys[$0].contains { Self.bare($0) == bare } }
        }
        if found.count == 1 { return .found(found[0]) }
        if found.count > 1 { return .ambiguous(found) }
        let names = candidates.flatMap { [villages[$0].name] + villages[$0].aliases }
        return .unknown(nearest: Nearest.names(to: name.isEmpty ? code : name, among: names))
    }

    /// A unit key without tones and diacritics: "đông hòa~2" → "dong hoa".
    static func bare(_ key: String) -> String {
        key.split(separator: " ").map { TextKey.loose(String($0.split(separator: "~").first ?? "")) }.joined(separator: " ")
    }

    /// "Thôn Đông [TD01]": a village for messages.
    func describe(_ index: Int) -> String {
        let village = villages[index]
        let place = village.source.description
        return village.code.map { "\(village.name) [\($0)] (\(place))" } ?? "\(village.name) (\(place))"
    }

    // MARK: Reading

    private enum Role: Hashable {
        case code, name, aliases, kind, commune, communeCode, year, population, households
        case populationOf(Int), householdsOf(Int)
    }

    private static let ownHeadings: [String: Role] = {
        var table: [String: Role] = [:]
        for (role, names) in [(Role.aliases, ["Tên khác", "Tên gọi khác", "Bí danh", "Tên cũ", "aliases", "alias", "other names"]),
                              (.kind, ["Loại", "Loại khu dân cư", "Loại đơn vị", "Kiểu", "kind", "type"]),
                              (.name, ["Tên", "Tên thôn", "Tên khu dân cư", "Tên gọi", "name", "village"]),
                              (.code, ["Mã", "Mã thôn", "Mã khu dân cư", "code", "village_code"])] {
            for name in names { table[TextKey.loose(name)] = role }
        }
        return table
    }()

    private static func role(of heading: String) -> Role? {
        let key = TextKey.loose(heading)
        if let own = ownHeadings[key] { return own }
        // "Dân số 2024", "Số hộ năm 2024".
        let words = key.split(separator: " ")
        if let last = words.last, last.count == 4, let year = Int(last), PeriodField.year.range.contains(year) {
            var head = words.dropLast().joined(separator: " ")
            if head.hasSuffix(" nam") { head = String(head.dropLast(4)) }
            switch HeadingDictionary.role(of: head) {
            case .population: return .populationOf(year)
            case .households: return .householdsOf(year)
            default: break
            }
        }
        switch HeadingDictionary.role(of: heading) {
        case .village: return .name
        case .villageCode: return .code
        case .commune: return .commune
        case .communeCode: return .communeCode
        case .year: return .year
        case .population: return .population
        case .households: return .households
        default: return nil
        }
    }

    /// Reads a villages file; problems are logged (errors for unreadable files, missing name
    /// column, invalid numbers, duplicate codes; warnings for names shared by two villages).
    static func read(_ file: SideFile, options: IngestOptions, log: inout DiagnosticLog) -> VillageRegistry? {
        let rows: [SideTable.Row]
        switch SideTable.load(file, options: options) {
        case .failure(let diagnostic):
            log.add(diagnostic)
            return nil
        case .success(let loaded): rows = loaded
        }
        guard let header = SideTable.header(rows, role: role), header.columns[.name] != nil || header.columns[.code] != nil else {
            log.add(Diagnostic(.error, .missingColumn, at: SourceLocation(file: file.name, line: 1), LocalizedText(
                vi: "Tệp danh sách thôn không có dòng tiêu đề với cột tên thôn (Tên thôn, Mã thôn, Tên khác, Loại, Xã, Dân số, Số hộ).",
                en: "The villages file has no header row with a village name column (name, code, aliases, kind, commune, population, households).")))
            return nil
        }
        let columns = header.columns
        var villages: [RegisteredVillage] = []
        var byIdentity: [String: Int] = [:]
        for row in rows.dropFirst(header.index + 1) where row.cells.contains(where: { !$0.isEmpty }) {
            let name = SideTable.cell(row, columns[.name])
            let code = SideTable.cell(row, columns[.code])
            let commune = SideTable.cell(row, columns[.commune])
            let communeCode = SideTable.cell(row, columns[.communeCode])
            guard !(name.isEmpty && code.isEmpty) else {
                log.add(Diagnostic(.error, .missingValue, at: row.location, LocalizedText(vi: "Dòng không có tên hoặc mã thôn.", en: "The row has no village name or code.")))
                continue
            }
            let identity = (communeCode.isEmpty ? TextKey.unitKey(commune) : communeCode) + "\u{1F}" + (code.isEmpty ? TextKey.unitKey(name) : code)
            let index: Int
            if let existing = byIdentity[identity] {
                index = existing
            } else {
                let aliases = SideTable.cell(row, columns[.aliases]).split(whereSeparator: { $0 == ";" || $0 == "|" })
                    .map { TextKey.nfc(String($0)) }.filter { !$0.isEmpty }
                let kind = SideTable.cell(row, columns[.kind])
                villages.append(RegisteredVillage(code: code.isEmpty ? nil : code, name: name.isEmpty ? code : name, aliases: aliases,
                                                  kind: kind.isEmpty ? nil : kind, commune: commune.isEmpty ? nil : commune,
                                                  communeCode: communeCode.isEmpty ? nil : communeCode, source: row.location))
                index = villages.count - 1
                byIdentity[identity] = index
            }
            func number(_ column: Int?) -> Int? {
                let raw = SideTable.cell(row, column)
                switch CountParser.read(raw) {
                case .value(let value, _): return value
                case .empty, .notAvailable: return nil
                case .invalid(_, let message):
                    var at = row.location
                    at.column = column.map { $0 + 1 }
                    log.add(Diagnostic(.error, .invalidPopulation, at: at, message))
                    return nil
                }
            }
            for (role, column) in columns {
                switch role {
                case .populationOf(let year): if let value = number(column) { villages[index].population[year] = value }
                case .householdsOf(let year): if let value = number(column) { villages[index].households[year] = value }
                default: break
                }
            }
            if columns[.population] != nil || columns[.households] != nil {
                let yearText = SideTable.cell(row, columns[.year])
                if let year = Int(yearText), PeriodField.year.range.contains(year) {
                    if let value = number(columns[.population]) { villages[index].population[year] = value }
                    if let value = number(columns[.households]) { villages[index].households[year] = value }
                } else if !yearText.isEmpty || columns[.year] == nil {
                    log.add(Diagnostic(.error, .invalidYear, at: row.location, LocalizedText(
                        vi: "Dân số, số hộ cần năm (cột Năm, hoặc tiêu đề như “Dân số 2024”).",
                        en: "Population and households need a year (a year column, or headings such as “Dân số 2024”).")))
                }
            }
        }
        let registry = VillageRegistry(villages: villages)
        // Names shared by two villages of one commune cannot be told apart by name.
        var owners: [String: [Int]] = [:]
        for index in villages.indices {
            let commune = villages[index].communeCode ?? TextKey.unitKey(villages[index].commune ?? "")
            for key in registry.keys[index] { owners[commune + "\u{1F}" + key, default: []].append(index) }
        }
        for (_, members) in owners.sorted(by: { $0.value[0] < $1.value[0] }) where members.count > 1 {
            log.add(Diagnostic(.warning, .ambiguousVillage, at: villages[members[1]].source, LocalizedText(
                vi: "Tên trùng nhau trong danh sách thôn: \(members.map(registry.describe).joined(separator: ", ")). Số liệu ghi tên này phải có mã thôn.",
                en: "Villages sharing a name: \(members.map(registry.describe).joined(separator: ", ")). Data naming it must give the village code.")))
        }
        return registry
    }
}
