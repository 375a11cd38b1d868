import BinhYenCore

/// One undirected edge between two villages, as indices into `Panel.units`.
public struct UnitEdge: Sendable, Hashable {
    public var first: Int
    public var second: Int

    public init(_ first: Int, _ second: Int) {
        self.first = first
        self.second = second
    }
}

/// The result of reading an adjacency side file (SPEC §2 `--adjacency`).
public struct AdjacencyResult: Sendable {
    /// Distinct undirected edges between villages of the panel (each pair once, lower index first).
    public var edges: [UnitEdge]
    /// Problems found, with file and line; any error means the file must not be used.
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads a village adjacency list: CSV/TSV (same decoding and delimiter detection as data files),
/// one pair per line in the first two columns, undirected (listing both directions is harmless;
/// further columns such as `contact` are ignored).
///
/// A first line whose two cells name no village of the panel is taken as a header (and said so
/// in a note). Names match the panel's villages like data files do: by code exactly, else by
/// `TextKey.unitKey` ("Thôn 3" = "thon III"). Errors (with file and line): a name that matches no
/// village (with the nearest known names), a name that matches villages of several communes
/// (with the candidates), a line with fewer than two names. A village paired with itself, or with a
/// village of another commune (Gi* is computed per commune), is a warning and skipped. Villages of the panel that appear in no pair are islands (a note lists them).
public enum AdjacencyReader {
    /// Reads the file at `path`.
    public static func read(path: String, panel: Panel) -> AdjacencyResult {
        switch Ingest.loadFile(path) {
        case .success(let bytes): return read(bytes: bytes, name: path, panel: panel)
        case .failure(let problem): return AdjacencyResult(edges: [], diagnostics: [problem.diagnostic])
        }
    }

    /// Reads an in-memory file; `name` is used in diagnostics.
    public static func read(bytes: [UInt8], name: String, panel: Panel) -> AdjacencyResult {
        let decoded: DecodedText
        switch TextDecoder.decode(bytes, file: name) {
        case .rejected(let diagnostic): return AdjacencyResult(edges: [], diagnostics: [diagnostic])
        case .text(let text): decoded = text
        }
        let records = decoded.bytes.withUnsafeBytes { raw in
            DelimitedText.records(of: UnsafeRawBufferPointer(rebasing: raw[decoded.start...]))
        }
        let matcher = VillageMatcher(panel: panel)
        var diagnostics: [Diagnostic] = []
        var edges = Set<UnitEdge>()
        var touched = Set<Int>()
        for (position, record) in records.enumerated() {
            let cells = record.cells.map(TextKey.nfc)
            if cells.allSatisfy(\.isEmpty) { continue }
            let location = SourceLocation(file: name, line: record.line)
            guard cells.count >= 2, !cells[0].isEmpty, !cells[1].isEmpty else {
                diagnostics.append(Diagnostic(.error, .malformedRow, at: location, LocalizedText(
                    vi: "Mỗi dòng cần hai tên khu dân cư kề nhau.", en: "Each line needs the names of two neighbouring villages.")))
                continue
            }
            let first = matcher.match(cells[0])
            let second = matcher.match(cells[1])
            if position == 0, case .none = first, case .none = second {
                diagnostics.append(Diagnostic(.note, .skipped, at: location, LocalizedText(
                    vi: "Dòng đầu “\(cells[0])”, “\(cells[1])” được hiểu là tiêu đề cột.",
                    en: "The first line “\(cells[0])”, “\(cells[1])” is read as column headings.")))
                continue
            }
            var units: [Int] = []
            for (text, outcome) in [(cells[0], first), (cells[1], second)] {
                switch outcome {
                case .unit(let unit): units.append(unit)
                case .none:
                    let nearest = Nearest.names(to: text, among: matcher.names)
                    let hintVI = nearest.isEmpty ? "" : " Có phải: \(nearest.map { "“\($0)”" }.joined(separator: ", "))?"
                    let hintEN = nearest.isEmpty ? "" : " Did you mean \(nearest.map { "“\($0)”" }.joined(separator: ", "))?"
                    diagnostics.append(Diagnostic(.error, .unknownVillage, at: location, LocalizedText(
                        vi: "Khu dân cư “\(text)” không có trong số liệu.\(hintVI)",
                        en: "Village “\(text)” is not in the data.\(hintEN)")))
                case .ambiguous(let candidates):
                    let list = candidates.map { matcher.describe($0) }.joined(separator: "; ")
                    diagnostics.append(Diagnostic(.error, .ambiguousVillage, at: location, LocalizedText(
                        vi: "“\(text)” trùng với nhiều khu dân cư: \(list). Dùng mã khu dân cư.",
                        en: "“\(text)” matches several villages: \(list). Use the village code.")))
                }
            }
            guard units.count == 2 else { continue }
            if units[0] == units[1] {
                diagnostics.append(Diagnostic(.warning, .skipped, at: location, LocalizedText(
                    vi: "Khu dân cư “\(cells[0])” kề với chính nó; bỏ qua dòng này.",
                    en: "Village “\(cells[0])” is paired with itself; line skipped.")))
                continue
            }
            if panel.units[units[0]].parent != panel.units[units[1]].parent {
                diagnostics.append(Diagnostic(.warning, .skipped, at: location, LocalizedText(
                    vi: "“\(cells[0])” và “\(cells[1])” thuộc hai xã khác nhau; Gi* tính riêng từng xã nên bỏ qua cặp này.",
                    en: "“\(cells[0])” and “\(cells[1])” are in different communes; Gi* is computed per commune, so the pair is ignored.")))
                continue
            }
            edges.insert(UnitEdge(min(units[0], units[1]), max(units[0], units[1])))
            touched.formUnion(units)
        }
        let islands = matcher.villages.filter { !touched.contains($0) }
        if !islands.isEmpty && !diagnostics.contains(where: { $0.severity == .error }) {
            let list = islands.map { panel.units[$0].name }.joined(separator: ", ")
            diagnostics.append(Diagnostic(.note, .missingValue, at: SourceLocation(file: name, line: 0), LocalizedText(
                vi: "Không có khu dân cư kề (đảo): \(list).", en: "Villages without neighbours (islands): \(list).")))
        }
        return AdjacencyResult(edges: edges.sorted { ($0.first, $0.second) < ($1.first, $1.second) }, diagnostics: diagnostics)
    }
}

/// Finds a village of the panel by code or by `TextKey.unitKey`.
private struct VillageMatcher {
    enum Outcome {
        case unit(Int)
        case none
        case ambiguous([Int])
    }

    let panel: Panel
    let villages: [Int]
    var byCode: [String: [Int]] = [:]
    var byKey: [String: [Int]] = [:]

    init(panel: Panel) {
        self.panel = panel
        villages = panel.units.indices.filter { panel.units[$0].kind == .village }
        for village in villages {
            let unit = panel.units[village]
            if let code = unit.code, !code.isEmpty { byCode[code, default: []].append(village) }
            byKey[unit.key, default: []].append(village)
        }
    }

    var names: [String] { villages.map { panel.units[$0].name } }

    func match(_ text: String) -> Outcome {
        let found = byCode[text] ?? byKey[TextKey.unitKey(text)] ?? []
        switch found.count {
        case 0: return .none
        case 1: return .unit(found[0])
        default: return .ambiguous(found)
        }
    }

    /// "Thôn 1 (Xã A)".
    func describe(_ village: Int) -> String {
        let unit = panel.units[village]
        guard let parent = unit.parent, panel.units.indices.contains(parent) else { return unit.name }
        return "\(unit.name) (\(panel.units[parent].name))"
    }
}
