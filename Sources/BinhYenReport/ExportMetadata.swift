/// One fact about an export: a stable snake_case key and its value (`rule_pack: ntm-2021-2025`).
public struct MetadataEntry: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// What produced an export and from which settings (issue 7, "tidy exports"): tool version,
/// command, period scheme, rule pack, judged year, language, format. Written as `# key: value`
/// comment lines before a CSV header (`--metadata comment`) or as a sidecar JSON object
/// (`--metadata sidecar`, `FILE.meta.json`). No timestamp and no absolute path is recorded,
/// so the same command on the same input writes the same bytes.
public struct ExportMetadata: Sendable, Hashable {
    /// Entries in writing order; a later entry with the same key replaces the earlier one.
    public private(set) var entries: [MetadataEntry]

    public init(_ entries: [MetadataEntry] = []) {
        self.entries = []
        for entry in entries { set(entry) }
    }

    /// Adds `entry`, replacing the value of an existing key in place.
    public mutating func set(_ entry: MetadataEntry) {
        if let index = entries.firstIndex(where: { $0.key == entry.key }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    /// `# key: value` lines, without line ends. Line breaks and other control characters in
    /// values become spaces, so each entry stays one comment line.
    public func commentLines() -> [String] {
        entries.map { "# \($0.key): \(Self.singleLine($0.value))" }
    }

    /// The sidecar document: one JSON object with the entries as string members, in order.
    public func sidecarJSON() -> String {
        JSONValue.object(entries.map { JSONMember($0.key, .string($0.value)) }).rendered()
    }

    private static func singleLine(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            out.append(value < 0x20 || (0x7F..<0xA0).contains(value) || value == 0x2028 || value == 0x2029 ? " " : scalar)
        }
        return String(out)
    }
}
