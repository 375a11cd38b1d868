import BinhYenCore
import Foundation
import PropertyBased
import Testing
@testable import BinhYenIngest
import BinhYenTestSupport

/// Issue 9 invariants of reading, checked on generated commune panels (swift-property-based):
/// the panel does not depend on row order, on how the rows are split into files, on NFC or NFD
/// text, or on old ("hoà") or new ("hòa") tone placement.
@Suite("Panel invariants (property-based)")
struct PanelPropertyTests {
    /// Villages in new-style spelling, NFC, with their old-style tone placement where it differs.
    static let villages: [(new: String, old: String)] = [
        ("Thôn Hòa Bình", "Thôn Hoà Bình"), ("Xóm Thủy Lợi", "Xóm Thuỷ Lợi"), ("Thôn Đông Hòa", "Thôn Đông Hoà"),
        ("Tổ dân phố Quế Lâm", "Tổ dân phố Quế Lâm"),
    ]
    static let commune = (new: "Xã Hòa An", old: "Xã Hoà An")
    static let measures = [("Tội phạm về TTXH", "Số vụ"), ("TNGT", "Số vụ"), ("TNGT", "Số người chết")]
    static let years = 2021...2025
    static let cellCount = villages.count * measures.count * years.count

    /// One generated panel: a count or missing (nil) per village, measure and year, each
    /// village reported yearly or month by month, and a seed for shuffles and spellings.
    struct Sample: Sendable, CustomStringConvertible {
        var counts: [Int?]
        var monthly: [Bool]
        var seed: UInt64

        var description: String { "counts \(counts.map { $0.map(String.init) ?? "–" }), monthly \(monthly), seed \(seed)" }
    }

    /// Counts 0–40 with many zeros and some gaps: about a fifth missing, a fifth zero.
    static let cells = Gen<Int?>.frequency((1, Gen.always(nil)), (1, Gen.always(0)), (3, Gen.int(in: 1...40).map { Optional($0) }))
    static let samples = zip(cells.array(of: cellCount), Gen.bool.array(of: villages.count), Gen.uint64(in: 0...UInt64.max))
        .map { sample in Sample(counts: sample.0, monthly: sample.1, seed: sample.2) }

    /// The data rows of `sample` (header excluded), each village's months summing to its year.
    static func rows(_ sample: Sample, spelling: (Int, Int) -> (commune: String, village: String)) -> [String] {
        var rows: [String] = []
        for (v, _) in villages.enumerated() {
            for (m, measure) in measures.enumerated() {
                for (y, year) in years.enumerated() {
                    let count = sample.counts[(v * measures.count + m) * years.count + y]
                    let names = spelling(v, rows.count)
                    let prefix = "\(names.commune),\(names.village),\(year)"
                    if sample.monthly[v], let count {
                        for month in 1...12 {
                            let share = count / 12 + (month <= count % 12 ? 1 : 0)
                            rows.append("\(prefix),\(month),\(measure.0),\(measure.1),\(share)")
                        }
                    } else {
                        rows.append("\(prefix),,\(measure.0),\(measure.1),\(count.map(String.init) ?? "")")
                    }
                }
            }
        }
        return rows
    }

    static let header = "Xã,Thôn,Năm,Tháng,Lĩnh vực,Chỉ tiêu,Số lượng"

    static func newSpelling(_ v: Int, _ row: Int) -> (commune: String, village: String) { (commune.new, villages[v].new) }

    static func read(_ files: [[String]]) -> IngestResult {
        var options = IngestOptions()
        options.keepSources = false
        let sources = files.enumerated().map { (name: "part\($0.offset).csv", bytes: Array(([header] + $0.element).joined(separator: "\n").utf8) + [0x0A]) }
        return Ingest.read(sources: sources, options: options)
    }

    /// The panel independent of unit order: (commune key, village key, measure, year) → value.
    struct Canonical: Hashable {
        var values: [String: YearValue]
        var names: Set<String>
    }

    static func canonical(_ result: IngestResult) -> Canonical {
        let panel = result.panel
        var values: [String: YearValue] = [:]
        for (key, years) in panel.series {
            let unit = panel.units[key.unit]
            let parent = unit.parent.map { panel.units[$0].key } ?? ""
            for (year, value) in years { values["\(parent)/\(unit.key)/\(key.measure)/\(year)"] = value }
        }
        return Canonical(values: values, names: Set(panel.units.map(\.name)))
    }

    static func shuffled(_ rows: [String], seed: UInt64) -> [String] {
        var generator = SplitMix64(seed: seed)
        return rows.shuffled(using: &generator)
    }

    @Test func samplesAreReadWithoutErrors() async {
        await propertyCheck(count: 30, input: Self.samples) { sample in
            let result = Self.read([Self.rows(sample, spelling: Self.newSpelling)])
            #expect(!result.hasErrors, "\(result.diagnostics.map { $0.message.en })")
            #expect(Set(result.panel.units.filter { $0.kind == .village }.map(\.name)) == Set(Self.villages.map(\.new)))
        }
    }

    @Test func shuffledRowsGiveTheSamePanel() async {
        await propertyCheck(count: 40, input: Self.samples) { sample in
            let rows = Self.rows(sample, spelling: Self.newSpelling)
            #expect(Self.canonical(Self.read([rows])) == Self.canonical(Self.read([Self.shuffled(rows, seed: sample.seed)])))
        }
    }

    @Test func fileSplitInTwoGivesTheSamePanel() async {
        await propertyCheck(count: 40, input: Self.samples) { sample in
            let rows = Self.shuffled(Self.rows(sample, spelling: Self.newSpelling), seed: sample.seed)
            let cut = Int(sample.seed % UInt64(rows.count + 1))
            let whole = Self.canonical(Self.read([rows]))
            #expect(whole == Self.canonical(Self.read([Array(rows[..<cut]), Array(rows[cut...])])))
        }
    }

    @Test func decomposedNamesGiveTheSamePanel() async {
        await propertyCheck(count: 30, input: Self.samples) { sample in
            // Every other row in NFD (as typed on macOS or with some Windows keyboards).
            let mixed = Self.rows(sample) { v, row in
                let names = Self.newSpelling(v, row)
                guard row % 2 == 1 else { return names }
                return (names.commune.decomposedStringWithCanonicalMapping, names.village.decomposedStringWithCanonicalMapping)
            }
            // (Swift compares strings up to canonical equivalence: compare their bytes.)
            #expect(mixed.contains { Array($0.utf8) != Array($0.precomposedStringWithCanonicalMapping.utf8) })
            let read = Self.canonical(Self.read([mixed]))
            #expect(read == Self.canonical(Self.read([Self.rows(sample, spelling: Self.newSpelling)])))
            #expect(read.names.allSatisfy { Array($0.utf8) == Array($0.precomposedStringWithCanonicalMapping.utf8) })
        }
    }

    @Test func oldAndNewTonePlacementGiveTheSameUnits() async {
        await propertyCheck(count: 30, input: Self.samples) { sample in
            var generator = SplitMix64(seed: sample.seed)
            let mixed = Self.rows(sample) { v, _ in
                Bool.random(using: &generator) ? (Self.commune.old, Self.villages[v].old) : (Self.commune.new, Self.villages[v].new)
            }
            let result = Self.read([mixed])
            #expect(!result.hasErrors, "\(result.diagnostics.map { $0.message.en })")
            #expect(result.panel.units.count == 1 + Self.villages.count)
            #expect(Self.canonical(result).values == Self.canonical(Self.read([Self.rows(sample, spelling: Self.newSpelling)])).values)
        }
    }
}

