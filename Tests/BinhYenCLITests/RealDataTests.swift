import Foundation
import Testing

/// Real official data: GSO national traffic and fire series (datasets/vn-gso-national), whose
/// 2015 → 2016 changes sit on both sides of the rules (datasets/vn-gso-national/SOURCE.md).
@Suite("GSO national series")
struct RealDataTests {
    static let file = CLIRunner.packageRoot.appendingPathComponent("datasets/vn-gso-national/gso-national-long.csv").path

    @Test func verdicts2016AgainstPreviousYear() throws {
        let result = try CLIRunner.run(["verify", Self.file, "--format", "json", "--lang", "en", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        func row(_ category: String, _ metric: String) -> [String: Any]? {
            rows.first { $0["category"] as? String == category && $0["metric"] as? String == metric }
        }
        // 22 850 → 21 589 is a 5.52% fall; 8 728 → 8 685 is 0.49%; fires 3 020 → 3 045 rise.
        let accidents = try #require(row("traffic", "cases"))
        #expect(accidents["verdict"] as? String == "met")
        #expect(abs(((accidents["reduction_pct"] as? NSNumber)?.doubleValue ?? 0) - 100.0 * 1261 / 22850) < 1e-12)
        #expect(row("traffic", "deaths")?["verdict"] as? String == "met")
        #expect(row("fire", "cases")?["verdict"] as? String == "not_met")
        #expect(row("crime", "cases")?["verdict"] as? String == "insufficient_data")
        #expect(rows.first { $0["category"] is NSNull }?["verdict"] as? String == "not_met")
        #expect(rows.allSatisfy { $0["commune_code"] as? String == "VN" })
    }

    /// Under the 5% rule the 2016 traffic accidents pass (5.52%) and deaths fail (0.49%).
    @Test func fivePercentRuleOnRealBoundaryCases() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let pack = dir.appendingPathComponent("five.toml")
        try Data("""
        id = "five"
        title_vi = "Giảm 5%"
        title_en = "Down 5%"
        source = "test"
        verified = true
        level = "commune"
        zero_base = "met_if_zero"

        [[rule]]
        measure = "traffic.cases"
        test = "reduce_by_pct"
        pct = 5

        [[rule]]
        measure = "traffic.deaths"
        test = "reduce_by_pct"
        pct = 5
        """.utf8).write(to: pack)
        let result = try CLIRunner.run(["verify", Self.file, "--rules", pack.path, "--format", "json", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let byMetric = Dictionary(rows.compactMap { r in (r["metric"] as? String).map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        #expect(byMetric["cases"]?["verdict"] as? String == "met")
        #expect((byMetric["cases"]?["target_max"] as? NSNumber)?.intValue == 21707)   // ⌊19·22850/20⌋
        #expect(byMetric["deaths"]?["verdict"] as? String == "not_met")
    }
}
