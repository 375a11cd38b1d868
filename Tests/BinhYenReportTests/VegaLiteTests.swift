import BinhYenAnalytics
import BinhYenCore
import Foundation
import Testing
@testable import BinhYenReport

/// Vega-Lite specs: structure, inline data, and validity against the official v5 schema.
///
/// Schema validation runs `Tests/Tools/validate_vega_lite.py` (Python `jsonschema`, Draft 7)
/// against `Fixtures/vega-lite-v5.20.1.schema.json`. It runs whenever python3 with jsonschema is
/// available, and is required (a missing validator fails) when `BINHYEN_SLOW_TESTS=1`, as in CI.
@Suite("Vega-Lite")
struct VegaLiteTests {
    static func specs() throws -> [(String, String)] {
        var specs: [(String, String)] = []
        for chart in try ChartTests.allCharts() {
            for language in Language.allCases {
                specs.append(("\(chart.kind.rawValue)-\(language.rawValue)", VegaLiteRenderer(language: language).render(chart)))
            }
        }
        // One village (chart --village): its yearly counts with the trend line, and its months.
        let panel = ChartFixture.panel().filtered(commune: nil, village: "Thôn Đông", category: nil)
        let village = panel.units.firstIndex { $0.kind == .village }
        let pack = try ChartFixture.pack()
        for (name, chart) in [("village-totals", ChartBuilder.villages(panel: panel, measure: ChartFixture.crime, pack: pack)),
                              ("village-months", ChartBuilder.months(panel: panel, measure: ChartFixture.crime, pack: pack, village: village))] {
            specs.append((name, VegaLiteRenderer(language: .vi).render(chart)))
        }
        return specs
    }

    @Test("spec: schema URL, inline data with the names as given, facet for small multiples")
    func structure() throws {
        for (name, text) in try Self.specs() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(name)")
            #expect(object["$schema"] as? String == "https://vega.github.io/schema/vega-lite/v5.json")
            let values = try #require((object["data"] as? [String: Any])?["values"] as? [[String: Any]])
            #expect(!values.isEmpty)
            if name.hasPrefix("villages") {
                #expect(object["facet"] != nil && object["spec"] != nil)
                #expect(values.contains { $0["panel"] as? String == ChartFixture.hostile })
            } else {
                #expect(object["layer"] != nil)
            }
        }
        let totals = try #require(try JSONSerialization.jsonObject(with: Data(try Self.specs()[0].1.utf8)) as? [String: Any])
        let values = try #require((totals["data"] as? [String: Any])?["values"] as? [[String: Any]])
        let bars = values.filter { $0["layer"] as? String == "counts" }
        #expect(bars.map { ($0["y"] as? NSNumber)?.intValue } == [24, 20, 20, 19])
        #expect(bars.map { $0["tone"] as? String } == ["unjudged", "met", "not_met", "met"])
        let target = try #require(values.first { $0["layer"] as? String == "target" })
        #expect((target["y"] as? NSNumber)?.intValue == 19)
        #expect(target["text"] as? String == "Mức tối đa để đạt năm 2025: 19")
    }

    @Test("a missing value is null in the data, never 0")
    func missingIsNull() throws {
        var panel = ChartFixture.panel()
        panel.series[SeriesKey(unit: 1, measure: ChartFixture.crime)]?[2023] = nil
        let chart = ChartBuilder.totals(panel: panel, measure: ChartFixture.crime, pack: try ChartFixture.pack())
        let text = VegaLiteRenderer(language: .en).render(chart)
        #expect(text.contains("\"x\": 2023, \"x_label\": \"2023\", \"y\": null"))
    }

    static var schema: URL {
        get throws {
            try #require(Bundle.module.url(forResource: "Fixtures/vega-lite-v5.20.1.schema.json", withExtension: nil))
        }
    }
    static let validator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tools/validate_vega_lite.py")

    /// Runs the validator on `specs`; nil when python3 or jsonschema is missing (and not required).
    static func validate(_ specs: [(String, String)]) throws -> (status: Int32, output: String)? {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("binhyen-vl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (name, text) in specs {
            let url = directory.appendingPathComponent("\(name).vl.json")
            try Data(text.utf8).write(to: url)
            paths.append(url.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", validator.path, try schema.path] + paths
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // 2: jsonschema missing; 127: python3 missing.
        if process.terminationStatus == 2 || process.terminationStatus == 127 { return nil }
        return (process.terminationStatus, output)
    }

    static var required: Bool { ProcessInfo.processInfo.environment["BINHYEN_SLOW_TESTS"] == "1" }

    @Test("every spec validates against the official Vega-Lite v5 schema (jsonschema)")
    func validatesAgainstSchema() throws {
        let specs = try Self.specs()
        guard let result = try Self.validate(specs) else {
            #expect(!Self.required, "python3 with jsonschema is required when BINHYEN_SLOW_TESTS=1")
            return
        }
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.components(separatedBy: "valid: ").count - 1 == specs.count)
    }

    @Test("the validator rejects an invalid spec (negative control)")
    func validatorRejectsInvalid() throws {
        let bad = """
        {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": []}, "mark": "bars", "encoding": {"x": {"field": "a", "type": "count"}}}
        """
        guard let result = try Self.validate([("bad", bad)]) else {
            #expect(!Self.required, "python3 with jsonschema is required when BINHYEN_SLOW_TESTS=1")
            return
        }
        #expect(result.status == 1)
        #expect(result.output.contains("invalid:"))
    }
}
