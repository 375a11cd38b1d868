import BinhYenCore

/// The result of reading a conditions side file (SPEC §2 `--conditions`).
public struct ConditionsResult: Sendable {
    /// One record per (commune, year, condition), in file order.
    public var records: [ConditionRecord]
    /// Problems found, with file and line; any error means the file must not be used.
    public var diagnostics: [Diagnostic]

    /// Whether any diagnostic is an error (the CLI then stops with exit status 65).
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads the non-count conditions of indicator 19.2, yes/no per commune and year (SPEC §2, §5;
/// docs/guides/Conditions.md), from CSV/TSV (any supported encoding) or an `.xlsx` workbook —
/// the reader of the other side files.
///
/// Headings, Vietnamese or English, any case, diacritics optional: `Xã` / `commune` (optional
/// when the data have one commune), `Mã xã` / `commune_code`, `Năm` / `year`, `Điều kiện` /
/// `condition` (a `ConditionKey`, its label or a short name such as "khiếu kiện"), `Đạt` /
/// `Kết quả` / `value` / `met` (whether the requirement holds: đạt, có, x, yes, 1, true; or
/// không đạt, không, no, 0, false), and optional `Ghi chú` / `note` and `Nguồn` / `Căn cứ` /
/// `source`. The value says whether the condition is *met*, for every condition alike ("đạt" for
/// "Hoạt động xâm phạm ANQG" means none occurred).
///
/// Errors, each with file and line: a missing year, condition or value column; a year that is not
/// 1900–2100; an unknown condition (naming the known keys); a value that is not yes/no; a commune
/// that is not in the data (code, name as villages are matched, or the name without diacritics
/// when that is unambiguous; the error lists the nearest names); no commune column while the data have several
/// communes; the same commune, year and condition twice with different values (the same value twice
/// is a warning and counted once).
public enum ConditionsReader {
    /// Reads the file at `path`; communes are matched against `panel`.
    public static func read(path: String, panel: Panel, encoding: InputEncoding = .auto) -> ConditionsResult {
        read(.path(path), panel: panel, encoding: encoding)
    }

    /// Reads `file` (a path or bytes in memory); communes are matched against `panel`.
    public static func read(_ file: SideFile, panel: Panel, encoding: InputEncoding = .auto) -> ConditionsResult {
        var options = IngestOptions()
        options.encoding = encoding
        var diagnostics: [Diagnostic] = []
        let rows: [SideTable.Row]
        switch SideTable.load(file, options: options) {
        case .failure(let diagnostic): return ConditionsResult(records: [], diagnostics: [diagnostic])
        case .success(let loaded): rows = loaded
        }
        guard let header = SideTable.header(rows, role: role),
              let yearColumn = header.columns[.year], let conditionColumn = header.columns[.condition],
              let valueColumn = header.columns[.value] else {
            return ConditionsResult(records: [], diagnostics: [Diagnostic(.error, .missingColumn, at: SourceLocation(file: file.name, line: 1), LocalizedText(
                vi: "Tệp điều kiện cần các cột Năm, Điều kiện và Đạt (có/không); cột Xã khi số liệu có nhiều xã.",
                en: "The conditions file needs year, condition and value (yes/no) columns; a commune column when the data have several communes."))])
        }
        let columns = header.columns
        let communes = panel.communes
        var records: [ConditionRecord] = []
        var seen: [String: Int] = [:]
        for row in rows.dropFirst(header.index + 1) where row.cells.contains(where: { !$0.isEmpty }) {
            func error(_ code: DiagnosticCode, _ text: LocalizedText) {
                diagnostics.append(Diagnostic(.error, code, at: row.location, text))
            }
            // Commune.
            let communeText = SideTable.cell(row, columns[.commune])
            let codeText = SideTable.cell(row, columns[.communeCode])
            let commune: Int
            if communeText.isEmpty && codeText.isEmpty {
                guard communes.count == 1 else {
                    error(.missingValue, LocalizedText(
                        vi: "Dòng không ghi xã, mà số liệu có \(communes.count) xã.",
                        en: "The row names no commune, and the data have \(communes.count) communes."))
                    continue
                }
                commune = communes[0]
            } else if let found = match(communeText, code: codeText, among: communes, in: panel) {
                commune = found
            } else {
                let text = communeText.isEmpty ? codeText : communeText
                let names = communes.map { panel.units[$0].name }
                let nearest = Nearest.names(to: text, among: names)
                error(.unknownVillage, LocalizedText(
                    vi: "Xã “\(text)” không có trong số liệu (có: \((nearest.isEmpty ? names : nearest).joined(separator: ", "))).",
                    en: "Commune “\(text)” is not in the data (present: \((nearest.isEmpty ? names : nearest).joined(separator: ", ")))."))
                continue
            }
            // Year.
            let yearText = SideTable.cell(row, yearColumn)
            guard let year = yearValue(yearText) else {
                error(yearText.isEmpty ? .missingValue : .invalidYear, LocalizedText(
                    vi: "“\(yearText)” không phải năm (1900–2100).", en: "“\(yearText)” is not a year (1900–2100)."))
                continue
            }
            // Condition.
            let conditionText = SideTable.cell(row, conditionColumn)
            guard let key = ConditionKey.resolve(conditionText) else {
                error(.unknownCondition, LocalizedText(
                    vi: "“\(conditionText)” không phải điều kiện của chỉ tiêu 19.2. Điều kiện đã biết: \(ConditionKey.knownList).",
                    en: "“\(conditionText)” is not a condition of indicator 19.2. Known conditions: \(ConditionKey.knownList)."))
                continue
            }
            // Value.
            let valueText = SideTable.cell(row, valueColumn)
            guard let met = metValue(valueText) else {
                error(valueText.isEmpty ? .missingValue : .invalidFlag, LocalizedText(
                    vi: "“\(valueText)” không phải có/không (đạt, có, x, 1 hoặc không đạt, không, 0).",
                    en: "“\(valueText)” is not yes/no (met, yes, x, 1 or not met, no, 0)."))
                continue
            }
            let noteParts = [SideTable.cell(row, columns[.note]), SideTable.cell(row, columns[.source])].filter { !$0.isEmpty }
            let record = ConditionRecord(commune: panel.units[commune].name, year: year, key: key, met: met, value: valueText,
                                         note: noteParts.isEmpty ? nil : noteParts.joined(separator: "; "), source: row.location)
            let identity = "\(commune)\u{1F}\(year)\u{1F}\(key.rawValue)"
            if let earlier = seen[identity] {
                if records[earlier].met == met {
                    diagnostics.append(Diagnostic(.warning, .duplicateRow, at: row.location, LocalizedText(
                        vi: "Điều kiện \(key.rawValue) của \(record.commune) năm \(year) đã có ở \(records[earlier].source); tính một lần.",
                        en: "Condition \(key.rawValue) of \(record.commune) in \(year) is already given at \(records[earlier].source); counted once.")))
                } else {
                    error(.conflictingRow, LocalizedText(
                        vi: "Điều kiện \(key.rawValue) của \(record.commune) năm \(year) mâu thuẫn với \(records[earlier].source) (“\(records[earlier].value)”).",
                        en: "Condition \(key.rawValue) of \(record.commune) in \(year) contradicts \(records[earlier].source) (“\(records[earlier].value)”)."))
                }
                continue
            }
            seen[identity] = records.count
            records.append(record)
        }
        return ConditionsResult(records: records, diagnostics: diagnostics)
    }

    /// The commune of `name` or `code`: by code, by `TextKey.unitKey`, else by `TextKey.loose`
    /// (diacritics left out) when that names exactly one commune.
    static func match(_ name: String, code: String, among communes: [Int], in panel: Panel) -> Int? {
        if !code.isEmpty, let byCode = communes.first(where: { panel.units[$0].code == code }) { return byCode }
        guard !name.isEmpty else { return nil }
        let key = TextKey.unitKey(name)
        if let byKey = communes.first(where: { panel.units[$0].key == key }) { return byKey }
        let loose = TextKey.loose(name)
        let candidates = communes.filter { TextKey.loose(panel.units[$0].name) == loose }
        return candidates.count == 1 ? candidates[0] : nil
    }

    /// The year of a cell: "2025", or "2025.0" as a workbook may store it; nil outside 1900–2100.
    static func yearValue(_ text: String) -> Int? {
        let whole = text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        guard let year = Int(whole), (1900...2100).contains(year) else { return nil }
        return year
    }

    /// true for đạt/có/x/yes/1, false for không đạt/không/no/0, nil otherwise (an empty cell too).
    static func metValue(_ text: String) -> Bool? {
        let key = TextKey.loose(text)
        if metWords.contains(key) { return true }
        if notMetWords.contains(key) { return false }
        return nil
    }

    private static let metWords: Set<String> = Set(["đạt", "có", "x", "yes", "y", "1", "true", "met", "đúng"].map(TextKey.loose))
    private static let notMetWords: Set<String> = Set(["không đạt", "chưa đạt", "không", "no", "n", "0", "false", "not met", "sai"]
        .map(TextKey.loose))

    private enum Role: Hashable {
        case commune, communeCode, year, condition, value, note, source
    }

    private static let headings: [String: Role] = {
        var table: [String: Role] = [:]
        let spellings: [(Role, [String])] = [
            (.commune, ["Xã", "Xã/Phường", "Phường", "Tên xã", "Đơn vị", "commune", "ward"]),
            (.communeCode, ["Mã xã", "commune_code", "commune code"]),
            (.year, ["Năm", "year"]),
            (.condition, ["Điều kiện", "Nội dung", "Tiêu chí", "condition", "criterion"]),
            (.value, ["Đạt", "Kết quả", "Đạt điều kiện", "Giá trị", "value", "met", "result"]),
            (.note, ["Ghi chú", "note", "notes"]),
            (.source, ["Nguồn", "Căn cứ", "Văn bản", "source"]),
        ]
        for (role, names) in spellings { for name in names { table[TextKey.loose(name)] = role } }
        return table
    }()

    private static func role(of heading: String) -> Role? {
        headings[TextKey.loose(heading)]
    }
}
