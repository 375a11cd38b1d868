import Foundation
import Testing

/// `binhyen hotspots` on the bundled data: the sample commune's watch list, the St Louis homicide
/// panel against spdep's Gi* z-scores, and the behaviour users see on bad adjacency files.
@Suite("hotspots command")
struct HotspotCLITests {
    typealias Record = [String: Any]
    static let sample = CLIRunner.packageRoot.appendingPathComponent("datasets/sample-commune/xa-binh-yen-thang-2018-2025.csv").path
    static let sampleAdjacency = CLIRunner.packageRoot.appendingPathComponent("datasets/sample-commune/ke-thon.csv").path
    static let stl = CLIRunner.packageRoot.appendingPathComponent("datasets/us-stl-homicides/stl-homicides-long.csv").path
    static let stlAdjacency = CLIRunner.packageRoot.appendingPathComponent("datasets/us-stl-homicides/adjacency.csv").path
    static let stlReference = CLIRunner.packageRoot.appendingPathComponent("datasets/us-stl-homicides/reference_gi_star.csv")

    static func records(_ arguments: [String]) throws -> [Record] {
        let result = try CLIRunner.run(["hotspots"] + arguments + ["--format", "json", "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Record])
    }

    static let levels = ["alarm": 3, "warning": 2, "watch": 1, "none": 0]

    @Test func sampleCommuneWatchListCarriesReasons() throws {
        for language in ["vi", "en"] {
            let rows = try Self.records([Self.sample, "--adjacency", Self.sampleAdjacency, "--lang", language])
            #expect(rows.count == 60, "10 villages × 6 measures of the default pack")
            let ranks = rows.map { Self.levels[$0["watch"] as? String ?? ""] ?? -1 }
            #expect(ranks == ranks.sorted(by: >), "sorted by watch level")
            let watched = rows.filter { ($0["watch"] as? String) != "none" }
            #expect(!watched.isEmpty)
            for row in watched {
                let reasons = try #require(row["reasons"] as? String, "\(row["village"] ?? "?") has no reasons")
                let points = (row["watch_points"] as? NSNumber)?.intValue ?? 0
                #expect(points >= 2)
                #expect(!reasons.isEmpty)
            }
            // "Xóm Chợ" has a rising crime trend by construction: at the top, with trend, funnel and rule reasons.
            let top = try #require(rows.first)
            #expect(top["village"] as? String == "Xóm Chợ" && top["category"] as? String == "crime")
            #expect(top["watch"] as? String == "alarm")
            #expect(top["direction"] as? String == "increasing")
            #expect(top["funnel_flag"] as? String == "alarm_high")
            let reasons = try #require(top["reasons"] as? String)
            #expect(reasons.contains(language == "vi" ? "Xu hướng tăng có ý nghĩa thống kê" : "Significant increasing trend"))
            #expect(reasons.contains("Mann–Kendall"))
            #expect(reasons.contains(language == "vi" ? "giảm ≥ 5%" : "down ≥ 5%"))
            // Gi* and emerging class are reported for every village (the graph has no island).
            #expect(rows.allSatisfy { $0["gi_z"] is NSNumber && $0["ehsa_class"] is String })
        }
    }

    @Test func sampleCommuneTableAndMarkdown() throws {
        let table = try CLIRunner.run(["hotspots", Self.sample, "--adjacency", Self.sampleAdjacency, "--format", "md", "--quiet"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("| Xóm Chợ"))
        #expect(table.stdout.contains("Báo động"))
        #expect(table.stdout.contains("Mức cảnh báo"))
        let csv = try CLIRunner.run(["hotspots", Self.sample, "--format", "csv", "--quiet", "--category", "crime"])
        #expect(csv.status == 0)
        let header = csv.stdout.split(separator: "\n").first.map(String.init) ?? ""
        for field in ["rate_per_1000", "rate_lo", "rate_hi", "expected", "p_upper", "p_lower", "limit_95_hi", "limit_998_hi",
                      "funnel_flag", "gi_z", "gi_p", "gi_bin", "gi_p_bh", "ehsa_class", "watch", "reasons"] {
            #expect(header.split(separator: ",").contains(Substring(field)), "CSV header lacks \(field)")
        }
        // Without --adjacency the Gi* fields are empty and the note says why.
        #expect(csv.stdout.contains("--adjacency"))
    }

    /// St Louis county homicides 1988–1993: Gi* (binary weights with self) on the rate and on the
    /// count against spdep 1.2.7 `localG` (reference z rounded to 6 decimals: tolerance 1e-6).
    @Test func stLouisGiStarMatchesSpdep() throws {
        let text = try String(contentsOf: Self.stlReference, encoding: .utf8)
        var reference: [String: [String: Double]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            reference[cells[1], default: [:]][cells[0]] = Double(cells[3])
        }
        let cases = [("rate", "homicide_rate_per_100k_person_years_1988_1993"), ("count", "homicide_count_1988_1993")]
        for (variable, key) in cases {
            let want = try #require(reference[key])
            #expect(want.count == 78)
            let rows = try Self.records([Self.stl, "--adjacency", Self.stlAdjacency, "--variable", variable, "--year", "1993"])
            #expect(rows.count == 78)
            for row in rows {
                let code = try #require(row["village_code"] as? String)
                let z = try #require((row["gi_z"] as? NSNumber)?.doubleValue, "\(code) has no z")
                let expected = try #require(want[code])
                #expect(abs(z - expected) <= 1e-6, "\(variable) \(code): \(z) vs spdep \(expected)")
            }
            let city = try #require(rows.first { $0["village_code"] as? String == "29510" })
            #expect((city["gi_bin"] as? NSNumber)?.intValue == 3)
        }
    }

    @Test func variantsTargetRateAndCarryForward() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let data = dir.appendingPathComponent("d.csv")
        var csv = "commune,village,year,category,metric,count,population\n"
        let counts = [[1, 2, 3], [0, 1, 0], [4, 6, 9], [2, 2, 2]]
        for (v, series) in counts.enumerated() {
            for (t, count) in series.enumerated() {
                let population = t == 2 ? "" : "1000"   // 2025 has no population: carried forward from 2024
                csv += "X,Thôn \(v + 1),\(2023 + t),crime,cases,\(count),\(population)\n"
            }
        }
        try csv.write(to: data, atomically: true, encoding: .utf8)
        let adjacency = dir.appendingPathComponent("a.csv")
        try "thon 1,Thôn II\nThôn 2,thôn 03\n".write(to: adjacency, atomically: true, encoding: .utf8)
        for variant in ["star", "star-row", "gi"] {
            let rows = try Self.records([data.path, "--adjacency", adjacency.path, "--gi-variant", variant, "--target-rate", "2"])
            let fourth = try #require(rows.first { $0["village"] as? String == "Thôn 4" })
            #expect(fourth["gi_variant"] as? String == variant)
            #expect((fourth["population_year"] as? NSNumber)?.intValue == 2024)
            #expect((fourth["note"] as? String)?.contains("2024") == true)
            #expect(fourth["target"] as? String == "given")
            #expect(abs(((fourth["expected"] as? NSNumber)?.doubleValue ?? 0) - 2.0) < 1e-12)
            if variant == "gi" {
                #expect(fourth["gi_z"] is NSNull, "Thôn 4 is an island: Gi without self is undefined")
            } else {
                #expect(fourth["gi_z"] is NSNumber)
            }
        }
    }

    @Test func unknownVillageInAdjacencyIsAnErrorWithNearestName() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let adjacency = dir.appendingPathComponent("ke.csv")
        try "Thôn,Thôn kề\nXóm Chọ,Thôn Đông\n".write(to: adjacency, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["hotspots", Self.sample, "--adjacency", adjacency.path, "--lang", "en", "--format", "json"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("ke.csv:2"))
        #expect(result.stderr.contains("Xóm Chọ"))
        #expect(result.stderr.contains("Did you mean “Xóm Chợ”"))
        #expect(result.stdout.isEmpty)
    }

    @Test func funnelChart() throws {
        let svg = try CLIRunner.run(["chart", Self.sample, "--kind", "funnel", "--measure", "crime.cases", "--quiet"])
        #expect(svg.status == 0, "\(svg.stderr)")
        #expect(svg.stdout.hasPrefix("<?xml") && svg.stdout.contains("Xóm Chợ") && svg.stdout.contains("Giới hạn 99,8%"))
        let spec = try CLIRunner.run(["chart", Self.sample, "--kind", "funnel", "--format", "vega-lite", "--lang", "en", "--quiet"])
        #expect(spec.status == 0)
        #expect(spec.stdout.contains("\"chart_kind\": \"funnel\""))
    }

    @Test func badOptionsAreUsageErrors() throws {
        for arguments in [["--target-rate", "0"], ["--gi-variant", "rook"], ["--variable", "ratio"], ["--conf", "2"]] {
            let result = try CLIRunner.run(["hotspots", Self.sample] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
    }
}
