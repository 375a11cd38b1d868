import Testing
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

import Foundation

/// The bytes of a committed fixture (Tests/BinhYenIngestTests/Fixtures/`path`).
func fixture(_ path: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/" + path, withExtension: nil))
    return Array(try Data(contentsOf: url))
}

/// Reads committed fixtures as in-memory files named like them.
func ingestFixtures(_ paths: [String], options: IngestOptions = IngestOptions()) throws -> IngestResult {
    Ingest.read(sources: try paths.map { ($0, try fixture($0)) }, options: options)
}

extension Panel {
    /// Every series as "unit|measure|year" → (count, excluded, complete, months), for comparing
    /// panels read from different forms (provenance left out).
    var values: [String: String] {
        var out: [String: String] = [:]
        for (key, years) in series {
            let unit = units[key.unit]
            let parent = unit.parent.map { units[$0].name } ?? ""
            for (year, value) in years {
                let months = value.months.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
                out["\(parent)/\(unit.name)|\(key.measure)|\(year)"] = "\(value.count)/\(value.excluded)/\(value.isComplete)/\(months)"
            }
        }
        return out
    }
}
