import BinhYenCore

/// What to do when two input rows give different values for the same series and period
/// (SPEC §2 "Bad input", `--on-conflict`). Identical rows are always counted once with a warning.
public enum ConflictPolicy: String, Sendable, CaseIterable, Codable {
    /// Report an error; the first value is kept (so that `--skip-invalid` skips the later row).
    case error
    /// The later row (in file order, files in the order given) replaces the earlier one; noted.
    case last
    /// The values are added up (counts and force-majeure counts); noted.
    case sum
}

/// Options of `Ingest.read`.
public struct IngestOptions: Sendable {
    /// Categories, metrics and their synonyms used to read headings and category cells.
    public var catalogue: Catalogue
    /// Name of the commune that receives the villages of a file without a commune column;
    /// nil means `IngestOptions.defaultCommuneName.vi` ("Xã").
    public var defaultCommune: String?
    /// How conflicting rows are resolved.
    public var onConflict: ConflictPolicy
    /// Period scheme recorded in the panel (dates of incident input; labelled periods keep their label).
    public var scheme: PeriodScheme
    /// At most this many diagnostics of one code and severity are listed per file; the rest are
    /// counted in one closing diagnostic ("… and N more"). Keeps a broken 6-million-row file
    /// from producing millions of messages.
    public var maxDiagnosticsPerKind: Int
    /// Whether `YearValue.sources` lists the cell of every value (default). Turning it off saves
    /// one array of locations per series-year (about 130 bytes each, 0.8 GB for the 6 million
    /// values of a national file) for batch runs that only need the numbers; diagnostics still
    /// name file, line and column.
    public var keepSources: Bool
    /// Encoding of text files (`--encoding`); `.auto` by default.
    public var encoding: InputEncoding
    /// Only this sheet of each workbook, by name (any case, diacritics optional) or 1-based
    /// number (`--sheet`); nil reads every visible sheet.
    public var sheet: String?
    /// The villages side file (`--villages`): names are matched against it.
    public var villages: SideFile?
    /// The crosswalk side file (`--crosswalk`): old units are added up into today's.
    public var crosswalk: SideFile?
    /// Limits against hostile workbooks.
    public var workbookLimits: WorkbookLimits
    /// Whether `IngestResult.rejectedRows` is filled (`--rejects`); keeps each file's text until the end.
    public var collectRejectedRows: Bool

    /// Options with the defaults documented on each property.
    public init(catalogue: Catalogue = .standard, defaultCommune: String? = nil, onConflict: ConflictPolicy = .error,
                scheme: PeriodScheme = .statistical, maxDiagnosticsPerKind: Int = 1000, keepSources: Bool = true,
                encoding: InputEncoding = .auto, sheet: String? = nil, villages: SideFile? = nil, crosswalk: SideFile? = nil,
                workbookLimits: WorkbookLimits = WorkbookLimits(), collectRejectedRows: Bool = false) {
        self.catalogue = catalogue
        self.defaultCommune = defaultCommune
        self.onConflict = onConflict
        self.scheme = scheme
        self.maxDiagnosticsPerKind = maxDiagnosticsPerKind
        self.keepSources = keepSources
        self.encoding = encoding
        self.sheet = sheet
        self.villages = villages
        self.crosswalk = crosswalk
        self.workbookLimits = workbookLimits
        self.collectRejectedRows = collectRejectedRows
    }

    /// The name of the commune used when a file has no commune column and no `defaultCommune` is set.
    public static let defaultCommuneName = LocalizedText(vi: "Xã", en: "commune")

    /// The commune name actually used for files without a commune column.
    public var effectiveDefaultCommune: String {
        let name = defaultCommune.map(TextKey.nfc) ?? ""
        return name.isEmpty ? Self.defaultCommuneName.vi : name
    }
}

/// Collects diagnostics, listing at most `cap` of each (file, code, severity) and counting the rest.
struct DiagnosticLog {
    private(set) var items: [Diagnostic] = []
    private var counts: [Kind: Int] = [:]
    let cap: Int

    private struct Kind: Hashable {
        var file: String?
        var code: DiagnosticCode
        var severity: Severity
    }

    init(cap: Int) { self.cap = max(1, cap) }

    mutating func add(_ diagnostic: Diagnostic) {
        let kind = Kind(file: diagnostic.location?.file, code: diagnostic.code, severity: diagnostic.severity)
        let seen = counts[kind, default: 0]
        counts[kind] = seen + 1
        if seen < cap { items.append(diagnostic) }
    }

    /// One diagnostic per kind that went over the cap, saying how many were not listed.
    func summaries() -> [Diagnostic] {
        var all: [Diagnostic] = []
        for (kind, count) in counts.sorted(by: { ($0.key.file ?? "", $0.key.code.rawValue) < ($1.key.file ?? "", $1.key.code.rawValue) })
        where count > cap {
            let more = count - cap
            all.append(Diagnostic(kind.severity, kind.code, at: kind.file.map { SourceLocation(file: $0, line: 0) }, LocalizedText(
                vi: "… và \(more) trường hợp “\(kind.code.rawValue)” khác không liệt kê (chỉ liệt kê \(cap) trường hợp đầu).",
                en: "… and \(more) more “\(kind.code.rawValue)” findings not listed (only the first \(cap) are).")))
        }
        return all
    }
}
