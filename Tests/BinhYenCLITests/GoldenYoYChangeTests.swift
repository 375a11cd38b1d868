import Foundation
import Testing

/// End-to-end: the public golden case `yoy_change_basic` (R `poisson.test`, epitools mid-p) fed
/// through `binhyen verify --format json`. Every golden value must come back within the case's
/// tolerance; nulls must be nulls.
@Suite("golden yoy_change_basic through the CLI")
struct GoldenYoYChangeTests {
    /// Writes the fixture's (prev, curr) pairs as a long CSV: one village per row id, 2024 → 2025.
    static func writeInput(in directory: URL) throws -> URL {
        let input = try String(contentsOf: CLIRunner.fixture("golden/yoy_change_basic.input.csv"), encoding: .utf8)
        var csv = "commune,village,year,category,metric,count\n"
        for line in input.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            csv += "Golden,V-\(f[0]),2024,crime,cases,\(f[1])\n"
            csv += "Golden,V-\(f[0]),2025,crime,cases,\(f[2])\n"
        }
        let url = directory.appendingPathComponent("yoy.csv")
        try csv.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    struct Tolerance {
        var rel: Double
        var abs: Double
        func accepts(_ got: Double, _ expected: Double) -> Bool {
            Swift.abs(got - expected) <= Swift.max(abs, rel * Swift.abs(expected))
        }
    }

    static func verifyRows(extra: [String]) throws -> [String: [String: Any]] {
        let dir = try CLIRunner.temporaryDirectory()
        let input = try writeInput(in: dir)
        let result = try CLIRunner.run(["verify", input.path, "--format", "json", "--year", "2025"] + extra)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        var byVillage: [String: [String: Any]] = [:]
        for r in records where (r["village"] as? String)?.hasPrefix("V-") == true && r["metric"] as? String == "cases" {
            byVillage[String((r["village"] as? String ?? "").dropFirst(2))] = r
        }
        return byVillage
    }

    @Test func everyGoldenValueThroughVerifyJSON() throws {
        let expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: CLIRunner.fixture("golden/yoy_change_basic.expected.json"))) as? [String: Any]
        let golden = try #require((expected?["golden"] as? [String: Any])?["rows"] as? [[String: Any]])
        #expect(golden.count == 8)
        let base = Tolerance(rel: 1e-10, abs: 1e-12)
        let rootFinding = Tolerance(rel: 1e-8, abs: 1e-10)
        let pack = try CLIRunner.fixture("five-percent-village.toml")
        let rows = try Self.verifyRows(extra: ["--rules", pack.path])
        #expect(rows.count == 8)

        func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }
        func check(_ id: String, _ field: String, _ got: Any?, _ want: Any?, _ tol: Tolerance) {
            if want == nil || want is NSNull {
                #expect(got == nil || got is NSNull, "\(id).\(field): expected null, got \(String(describing: got))")
                return
            }
            guard let w = number(want), let g = number(got) else {
                Issue.record("\(id).\(field): expected \(String(describing: want)), got \(String(describing: got))")
                return
            }
            #expect(tol.accepts(g, w), "\(id).\(field): got \(g), expected \(w)")
        }

        for g in golden {
            let id = try #require(g["id"] as? String)
            let row = try #require(rows[id], "no verify row for \(id)")
            #expect((row["prev"] as? NSNumber)?.intValue == (g["prev"] as? NSNumber)?.intValue)
            #expect((row["curr"] as? NSNumber)?.intValue == (g["curr"] as? NSNumber)?.intValue)
            #expect((row["change"] as? NSNumber)?.intValue == (g["change"] as? NSNumber)?.intValue)
            #expect(row["verdict"] as? String == g["verdict_5pct"] as? String, "\(id) verdict")
            check(id, "pct_change", row["pct_change"], g["pct_change"], base)
            check(id, "reduction_pct", row["reduction_pct"], g["reduction_pct"], base)
            check(id, "p_exact", row["p_exact"], g["p_exact_two_sided"], base)
            check(id, "p_exact_less", row["p_exact_less"], g["p_exact_less"], base)
            check(id, "p_exact_greater", row["p_exact_greater"], g["p_exact_greater"], base)
            check(id, "p_midp", row["p_midp"], g["p_midp_two_sided"], base)
            check(id, "p_midp_lower", row["p_midp_lower"], g["p_midp_lower_tail"], base)
            check(id, "p_midp_upper", row["p_midp_upper"], g["p_midp_upper_tail"], base)
            check(id, "rate_ratio", row["rate_ratio"], g["rate_ratio"], base)
            check(id, "rr_median_unbiased", row["rr_median_unbiased"], g["rr_median_unbiased"], rootFinding)
            let exact = g["rr_ci_exact"] as? [Any]
            check(id, "rr_lo", row["rr_lo"], exact?[0], base)
            check(id, "rr_hi", row["rr_hi"], exact?[1], base)
            #expect((row["rr_hi_infinite"] as? Bool) == (g["rr_ci_exact_upper_is_infinite"] as? Bool), "\(id) rr_hi_infinite")
            let midp = g["rr_ci_midp"] as? [Any]
            check(id, "rr_midp_lo", row["rr_midp_lo"], midp?[0], rootFinding)
            check(id, "rr_midp_hi", row["rr_midp_hi"], midp?[1], rootFinding)
            let wald = g["rr_ci_wald_log"] as? [Any]
            check(id, "rr_wald_lo", row["rr_wald_lo"], wald?[0], base)
            check(id, "rr_wald_hi", row["rr_wald_hi"], wald?[1], base)
        }
    }

    /// SPEC §5 default zero-base policy: 0 → 0 met (maintained_zero), 0 → 3 not met (new_cases);
    /// the exact boundary 20 → 19 met and 21 → 20 not met.
    @Test func defaultZeroBasePolicy() throws {
        let pack = try CLIRunner.fixture("five-percent-village.toml")
        let rows = try Self.verifyRows(extra: ["--rules", pack.path, "--zero-base", "met"])
        #expect(rows["a"]?["verdict"] as? String == "met")
        #expect(rows["c"]?["verdict"] as? String == "not_met")
        #expect(rows["e"]?["verdict"] as? String == "met")
        #expect(rows["e"]?["note"] as? String == "maintained_zero")
        #expect(rows["f"]?["verdict"] as? String == "not_met")
        #expect(rows["f"]?["note"] as? String == "new_cases")
        #expect(rows["f"]?["pct_change"] is NSNull)
    }
}
