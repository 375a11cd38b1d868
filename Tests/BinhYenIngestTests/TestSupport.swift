import BinhYenCore
@testable import BinhYenIngest

/// Reads CSV text given inline (UTF-8) as the file `name`.
func ingest(_ text: String, name: String = "input.csv", options: IngestOptions = IngestOptions()) -> IngestResult {
    Ingest.read(bytes: Array(text.utf8), name: name, options: options)
}

extension IngestResult {
    /// Diagnostics with `code`.
    func diagnostics(_ code: DiagnosticCode) -> [Diagnostic] { diagnostics.filter { $0.code == code } }

    /// Index of the unit named `name` (display name) of `kind`.
    func unit(_ name: String, kind: UnitKind = .village) -> Int? {
        panel.units.firstIndex { $0.name == name && $0.kind == kind }
    }

    /// Yearly values of the series of unit `name` and `measure`.
    func years(_ name: String, _ measure: Measure, kind: UnitKind = .village) -> [Int: YearValue]? {
        guard let unit = unit(name, kind: kind) else { return nil }
        return panel.series[SeriesKey(unit: unit, measure: measure)]
    }

    /// The per-file accounting invariant holds for every file.
    var accountsBalance: Bool {
        accounts.allSatisfy { $0.rowsRead == $0.accepted + $0.rejected + $0.duplicates + $0.skipped }
    }
}
