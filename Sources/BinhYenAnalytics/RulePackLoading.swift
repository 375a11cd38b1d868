import BinhYenCore
import Foundation

extension RulePack {
    /// Id of the default pack (SPEC §5): NTM 2021–2025, indicator 19.2 count conditions.
    public static let defaultID = "ntm-2021-2025"

    /// Ids of the packs shipped in `Sources/BinhYenAnalytics/RulePacks/`.
    public static let builtInIDs = ["ntm-2021-2025", "tt124-village", "ntm-2026-2030-template"]

    /// Parses rule-pack text (the TOML subset documented on `RulePackParser`).
    ///
    /// - Parameters:
    ///   - text: the file content; a leading BOM is ignored, strings are normalised to NFC.
    ///   - name: file or pack name used in error messages and kept as `origin`.
    ///   - catalogue: measures are checked against it (default `Catalogue.standard`).
    /// - Throws: `RulePackError` with the 1-based line and column and a message in vi/en.
    ///   Never traps, whatever the text.
    public static func parse(text: String, name: String, catalogue: Catalogue = .standard) throws(RulePackError) -> RulePack {
        try RulePackParser.parse(text: text, origin: name, catalogue: catalogue)
    }

    /// Reads and parses a pack file (UTF-8, with or without BOM).
    /// - Throws: `RulePackError` (line nil) when the file cannot be read or is not UTF-8.
    public static func load(path: String, catalogue: Catalogue = .standard) throws(RulePackError) -> RulePack {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RulePackError(origin: path, line: nil,
                                message: LocalizedText(vi: "không đọc được tệp quy tắc: \(error.localizedDescription)",
                                                       en: "cannot read the rule-pack file: \(error.localizedDescription)"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RulePackError(origin: name, line: nil,
                                message: LocalizedText(vi: "tệp quy tắc không phải UTF-8", en: "the rule-pack file is not UTF-8"))
        }
        return try parse(text: text, name: name, catalogue: catalogue)
    }

    /// One of the shipped packs (`builtInIDs`), read from the module's resource bundle
    /// (`BinhYen_BinhYenAnalytics.resources`, searched as described on `RulePackResources`:
    /// `$BINHYEN_RESOURCES`, next to the executable or its symlink target, `../share/binhyen/`).
    /// An installation must copy that folder next to the `binhyen` executable or into
    /// `<prefix>/share/binhyen/`.
    /// - Throws: `RulePackError` (line nil) for an unknown id or when the bundle is not found.
    public static func builtIn(id: String, catalogue: Catalogue = .standard) throws(RulePackError) -> RulePack {
        guard builtInIDs.contains(id) else {
            throw RulePackError(origin: id, line: nil,
                                message: LocalizedText(vi: "không có bộ quy tắc dựng sẵn '\(id)' (có: \(builtInIDs.joined(separator: ", ")))",
                                                       en: "no built-in rule pack '\(id)' (available: \(builtInIDs.joined(separator: ", ")))"))
        }
        guard let url = RulePackResources.url(forPack: id) else {
            throw RulePackError(origin: id + ".toml", line: nil,
                                message: LocalizedText(
                                    vi: "không tìm thấy thư mục tài nguyên \(RulePackResources.bundleName) cạnh tệp chạy, trong ../share/binhyen hoặc ở $\(RulePackResources.environmentVariable); có thể dùng --rules TỆP",
                                    en: "resource folder \(RulePackResources.bundleName) not found next to the executable, in ../share/binhyen or at $\(RulePackResources.environmentVariable); use --rules FILE instead"))
        }
        return try load(path: url.path, catalogue: catalogue)
    }
}
