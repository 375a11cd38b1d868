import Foundation
import Testing

/// End-to-end: the public golden trend cases (pymannkendall, scipy, exact enumeration, R `lm`)
/// through `binhyen trend --format json`. A missing year in the fixture is an empty count cell,
/// which BinhYen must leave out (never zero).
@Suite("golden trend cases through the CLI")
struct GoldenTrendTests {
    static let cases = ["trend_decline_no_ties", "trend_with_ties", "trend_missing_year"]

    /// The fixture's (year, count) rows as a long CSV of one commune.
    static func writeInput(_ name: String, in directory: URL) throws -> URL {
        let input = try String(contentsOf: CLIRunner.fixture("golden/\(name).input.csv"), encoding: .utf8)
        var csv = "commune,year,category,metric,count\n"
        for line in input.split(separator: "\n", omittingEmptySubsequences: true).dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            csv += "Golden,\(fields[0]),crime,cases,\(fields.count > 1 ? fields[1] : "")\n"
        }
        let url = directory.appendingPathComponent("\(name).csv")
        try csv.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test(arguments: cases)
    func everyGoldenTrendValue(_ name: String) throws {
        let expected = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: CLIRunner.fixture("golden/\(name).expected.json"))) as? [String: Any])
        let golden = try #require(expected["golden"] as? [String: Any])
        let dir = try CLIRunner.temporaryDirectory()
        let input = try Self.writeInput(name, in: dir)
        let result = try CLIRunner.run(["trend", input.path, "--format", "json", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let row = try #require(rows.first)

        func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }
        func check(_ field: String, _ want: Any?, rel: Double, abs: Double) {
            if want == nil || want is NSNull {
                #expect(row[field] == nil || row[field] is NSNull, "\(name).\(field) should be null, got \(String(describing: row[field]))")
                return
            }
            guard let w = number(want), let g = number(row[field]) else {
                Issue.record("\(name).\(field): expected \(String(describing: want)), got \(String(describing: row[field]))")
                return
            }
            #expect(Swift.abs(g - w) <= Swift.max(abs, rel * Swift.abs(w)), "\(name).\(field): got \(g), expected \(w)")
        }
        let mk = try #require(golden["mk"] as? [String: Any])
        let sen = try #require(golden["sen"] as? [String: Any])
        let ols = try #require(golden["ols"] as? [String: Any])
        #expect((row["n_years"] as? NSNumber)?.intValue == (golden["n_used"] as? NSNumber)?.intValue)
        check("mk_s", mk["S"], rel: 0, abs: 0)
        check("mk_var_s", mk["var_s"], rel: 1e-10, abs: 1e-12)
        check("mk_z", mk["z"], rel: 1e-10, abs: 1e-12)
        check("mk_p", mk["p"], rel: 1e-10, abs: 1e-12)
        check("mk_tau_b", mk["tau_b"], rel: 1e-10, abs: 1e-12)
        if let exact = golden["mk_exact"] as? [String: Any] {
            check("mk_p_exact", exact["p_two_sided"], rel: 1e-12, abs: 0)
        }
        check("sen_slope", sen["slope"], rel: 1e-10, abs: 1e-12)
        check("sen_lo", sen["ci95_lower"], rel: 1e-10, abs: 1e-12)
        check("sen_hi", sen["ci95_upper"], rel: 1e-10, abs: 1e-12)
        check("ols_slope", ols["slope"], rel: 1e-9, abs: 1e-9)
        check("ols_se", ols["slope_se"], rel: 1e-9, abs: 1e-9)
        check("ols_p", ols["slope_p"], rel: 1e-9, abs: 1e-9)
        // The direction follows the exact p for n ≤ 10 (METHODS §5.2 recommendation).
        let direction = row["direction"] as? String
        #expect(direction == "decreasing" || direction == "increasing" || direction == "no trend")
    }

    @Test func missingYearIsLeftOutAndNamedNotZero() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let input = try Self.writeInput("trend_missing_year", in: dir)
        let result = try CLIRunner.run(["trend", input.path, "--format", "json", "--quiet", "--lang", "en"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["years_skipped"] as? String == "2018")
        #expect((rows.first?["note"] as? String)?.contains("2018") == true)
    }
}
