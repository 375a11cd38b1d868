import Foundation
import Testing

/// End-to-end: the public golden hotspot cases fed through `binhyen hotspots --format json`.
/// Every value the command reports is compared with the golden value at the case's tolerance
/// (rel 1e-10 / abs 1e-12); flags, bins, classes and counts exactly.
@Suite("golden hotspots through the CLI")
struct GoldenHotspotTests {
    typealias Record = [String: Any]

    static func expected(_ name: String) throws -> Record {
        try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: CLIRunner.fixture("golden/\(name).expected.json"))) as? Record)
    }

    static func tolerance(_ record: Record) throws -> GoldenYoYChangeTests.Tolerance {
        let tol = try #require((record["case"] as? Record)?["tolerance"] as? Record)
        return GoldenYoYChangeTests.Tolerance(rel: number(tol["rel"]) ?? 0, abs: number(tol["abs"]) ?? 0)
    }

    static func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }

    static func lines(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: CLIRunner.fixture("golden/\(name)"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Writes `village,count,population` rows as one year of a long CSV (crime cases, 2025).
    static func writeOneYear(_ name: String, in directory: URL) throws -> URL {
        var csv = "commune,village,year,category,metric,count,population\n"
        for f in try lines(name) { csv += "Golden,\(f[0]),2025,crime,cases,\(f[1]),\(f[2])\n" }
        let url = directory.appendingPathComponent("one-year.csv")
        try csv.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Runs `hotspots` and returns the records by village.
    static func run(_ arguments: [String]) throws -> [String: Record] {
        let result = try CLIRunner.run(["hotspots"] + arguments + ["--format", "json", "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Record])
        return Dictionary(records.map { (($0["village"] as? String) ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func check(_ id: String, _ got: Any?, _ want: Any?, _ tol: GoldenYoYChangeTests.Tolerance,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        if want == nil || want is NSNull {
            #expect(got == nil || got is NSNull, "\(id): expected null, got \(String(describing: got))", sourceLocation: sourceLocation)
            return
        }
        guard let w = number(want), let g = number(got) else {
            Issue.record("\(id): expected \(String(describing: want)), got \(String(describing: got))", sourceLocation: sourceLocation)
            return
        }
        #expect(tol.accepts(g, w), "\(id): got \(g), expected \(w)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [("0.95", "ci95"), ("0.99", "ci99")])
    func ratePer1000Basic(conf: String, key: String) throws {
        let record = try Self.expected("rate_per_1000_basic")
        let tol = try Self.tolerance(record)
        let input = try Self.writeOneYear("rate_per_1000_basic.input.csv", in: CLIRunner.temporaryDirectory())
        let rows = try Self.run([input.path, "--conf", conf])
        let golden = try #require((record["golden"] as? Record)?["rows"] as? [Record])
        #expect(golden.count == 5)
        for want in golden {
            let id = try #require(want["village"] as? String)
            let row = try #require(rows[id], "no row for \(id)")
            #expect((row["count"] as? NSNumber)?.intValue == (want["count"] as? NSNumber)?.intValue)
            #expect((row["population"] as? NSNumber)?.intValue == (want["population"] as? NSNumber)?.intValue)
            Self.check("\(id) rate", row["rate_per_1000"], want["rate_per_1000"], tol)
            let ci = want[key] as? [Any]
            Self.check("\(id) \(key) lo", row["rate_lo"], ci?[0], tol)
            Self.check("\(id) \(key) hi", row["rate_hi"], ci?[1], tol)
        }
    }

    @Test func funnelPoisson2025() throws {
        let record = try Self.expected("funnel_poisson_2025")
        let tol = try Self.tolerance(record)
        let input = try Self.writeOneYear("funnel_poisson_2025.input.csv", in: CLIRunner.temporaryDirectory())
        let rows = try Self.run([input.path])
        let golden = try #require(record["golden"] as? Record)
        let wanted = try #require(golden["rows"] as? [Record])
        #expect(rows.count == wanted.count)
        let limitKeys = [("limit_998_lo", "p0.001"), ("limit_95_lo", "p0.025"), ("limit_95_hi", "p0.975"), ("limit_998_hi", "p0.999")]
        for want in wanted {
            let id = try #require(want["village"] as? String)
            let row = try #require(rows[id], "no row for \(id)")
            Self.check("\(id) target", row["target_per_1000"], golden["target_per_1000"], tol)
            #expect(row["target"] as? String == "pooled")
            for (got, key) in [("expected", "expected"), ("ratio", "ratio"), ("rate_per_1000", "rate_per_1000"),
                               ("p_upper", "p_upper_exact"), ("p_upper_midp", "p_upper_midp"),
                               ("p_lower", "p_lower_exact"), ("p_lower_midp", "p_lower_midp")] {
                Self.check("\(id) \(got)", row[got], want[key], tol)
            }
            for (field, tail) in limitKeys {
                Self.check("\(id) \(field)", row[field], (want["count_limits"] as? Record)?[tail], tol)
                Self.check("\(id) rate_\(field)", row["rate_" + field], (want["rate_limits_per_1000"] as? Record)?[tail], tol)
            }
            #expect(row["funnel_flag"] as? String == want["flag_limits"] as? String, "\(id) funnel_flag")
            #expect(row["funnel_flag_exact"] as? String == want["flag_exact_p"] as? String, "\(id) funnel_flag_exact")
            #expect(row["funnel_flag_midp"] as? String == want["flag_midp"] as? String, "\(id) funnel_flag_midp")
        }
        // V08: above the interpolated 95% limit, but not by the exact test; the note says so.
        #expect((rows["V08"]?["note"] as? String)?.contains("differs from the exact-p flag") == true
                || (rows["V08"]?["note"] as? String)?.contains("khác cờ theo p chính xác") == true)
    }

    /// The 8-year panel with its adjacency, as a long CSV (village ids as names).
    static func writePanel(in directory: URL) throws -> (data: URL, adjacency: URL) {
        var csv = "commune,village,year,category,metric,count,population\n"
        for f in try lines("gistar_panel_binary.input.csv") { csv += "Golden,\(f[0]),\(f[2]),crime,cases,\(f[3]),\(f[4])\n" }
        let data = directory.appendingPathComponent("panel.csv")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        let adjacency = directory.appendingPathComponent("adjacency.csv")
        try Data(contentsOf: CLIRunner.fixture("golden/gistar_panel_binary.adjacency.csv")).write(to: adjacency)
        return (data, adjacency)
    }

    @Test func giStarPanelBinaryEveryYear() throws {
        let record = try Self.expected("gistar_panel_binary")
        let tol = try Self.tolerance(record)
        let golden = try #require(record["golden"] as? Record)
        let order = try #require(golden["village_order"] as? [String])
        let files = try Self.writePanel(in: CLIRunner.temporaryDirectory())
        let byYear = try #require(golden["by_year"] as? [Record])
        #expect(byYear.count == 8)
        for want in byYear {
            let year = try #require((want["year"] as? NSNumber)?.intValue)
            let rows = try Self.run([files.data.path, "--adjacency", files.adjacency.path, "--year", String(year)])
            let g = try #require(want["gistar_binary"] as? Record)
            for (i, id) in order.enumerated() {
                let row = try #require(rows[id], "\(year): no row for \(id)")
                for (field, key) in [("gi_z", "z"), ("gi_p", "p_two_sided"), ("gi_p_bh", "p_bh"), ("gi_g", "G"), ("gi_eg", "EG"), ("gi_vg", "VG")] {
                    Self.check("\(year) \(id) \(field)", row[field], (g[key] as? [Any])?[i], tol)
                }
                #expect((row["gi_bin"] as? NSNumber)?.intValue == (g["bin"] as? [Int])?[i], "\(year) \(id) gi_bin")
                #expect((row["gi_bin_fdr"] as? NSNumber)?.intValue == (g["bin_fdr"] as? [Int])?[i], "\(year) \(id) gi_bin_fdr")
                #expect(row["variable"] as? String == "count" && row["gi_variant"] as? String == "star")
            }
        }
    }

    @Test func emergingHotSpotPanel() throws {
        let record = try Self.expected("ehsa_panel")
        let tol = try Self.tolerance(record)
        let golden = try #require(record["golden"] as? Record)
        let years = try #require(((record["references"] as? Record)?["R"] as? Record)?["years"] as? [Int])
        #expect(years == Array(2018...2025))
        let files = try Self.writePanel(in: CLIRunner.temporaryDirectory())
        var perYear: [Int: [String: Record]] = [:]
        for year in years {
            perYear[year] = try Self.run([files.data.path, "--adjacency", files.adjacency.path, "--year", String(year)])
        }
        let final = try #require(perYear[2025])
        let results = try #require(golden["results"] as? [Record])
        for want in results {
            let id = try #require(want["location"] as? String)
            let row = try #require(final[id], "no row for \(id)")
            for (t, year) in years.enumerated() {
                Self.check("\(id) z[\(year)]", perYear[year]?[id]?["gi_z"], (want["z"] as? [Any])?[t], tol)
                Self.check("\(id) p[\(year)]", perYear[year]?[id]?["gi_p"], (want["p"] as? [Any])?[t], tol)
            }
            func yearList(_ key: String) -> String? {
                let flags = want[key] as? [Bool] ?? []
                let list = zip(years, flags).filter(\.1).map { String($0.0) }
                return list.isEmpty ? nil : list.joined(separator: " ")
            }
            #expect(row["ehsa_hot_years"] as? String == yearList("sig_hot"), "\(id) hot years")
            #expect(row["ehsa_cold_years"] as? String == yearList("sig_cold"), "\(id) cold years")
            let mk = try #require(want["mk"] as? Record)
            #expect((row["ehsa_mk_s"] as? NSNumber)?.intValue == (mk["S"] as? NSNumber)?.intValue, "\(id) S")
            Self.check("\(id) var_s", row["ehsa_mk_var_s"], mk["var_s"], tol)
            Self.check("\(id) mk z", row["ehsa_mk_z"], mk["z"], tol)
            Self.check("\(id) mk p", row["ehsa_mk_p"], mk["p"], tol)
            #expect(row["ehsa_class"] as? String == want["class_arcgis"] as? String, "\(id) class")
            #expect((row["ehsa_steps"] as? NSNumber)?.intValue == 8)
        }
        // With 8 years "historical" cannot happen, and the note says so.
        let note = try #require(final["V01"]?["note"] as? String)
        #expect(note.contains("≥ 10"))
    }
}
