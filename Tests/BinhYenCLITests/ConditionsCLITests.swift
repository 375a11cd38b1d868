import Foundation
import Testing

/// `verify` and `report` with `--conditions` through the built executable, on the sample commune
/// and its conditions file (mass complaints not met in 2025).
@Suite("--conditions")
struct ConditionsCLITests {
    static let sample = SampleCommuneTests.long
    static let conditions = CLIRunner.packageRoot.appendingPathComponent("datasets/sample-commune/dieu-kien.csv").path

    @Test("verify --format csv: five condition rows and the whole-indicator row after the count overall")
    func verifyCSV() throws {
        let result = try CLIRunner.run(["verify", Self.sample, "--conditions", Self.conditions, "--format", "csv", "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let rules = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[7] }
        #expect(Array(rules.suffix(7)) == ["all", "condition(national_security)", "condition(mass_complaints)", "condition(serious_crime)",
                                          "condition(order_hotspots)", "condition(key_commune_list)", "all_with_conditions"])
        let complaints = try #require(lines.first { $0.contains("condition(mass_complaints)") })
        #expect(complaints.contains(",not_met,conditions_file,"))
        #expect(complaints.contains("theo tệp điều kiện \(Self.conditions):8: “không đạt”"))
        let full = try #require(lines.last)
        #expect(full.contains(",not_met,rules_not_met,"))
        // The 2024 rows of the file are used when 2024 is judged: every condition met there.
        let earlier = try CLIRunner.run(["verify", Self.sample, "--conditions", Self.conditions, "--year", "2024", "--format", "csv", "--quiet"])
        #expect(earlier.status == 0, "stderr: \(earlier.stderr)")
        #expect(earlier.stdout.split(separator: "\n").filter { $0.contains("condition(") && $0.contains(",met,conditions_file,") }.count == 5)
    }

    @Test("verify --fail-on-not-met counts the whole-indicator row")
    func failOnNotMet() throws {
        let result = try CLIRunner.run(["verify", Self.sample, "--conditions", Self.conditions, "--fail-on-not-met", "--format", "csv", "--quiet"])
        #expect(result.status == 1)
    }

    @Test("a bad conditions file is exit 65 with file, line and the known conditions")
    func badFile() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let file = dir.appendingPathComponent("dk.csv")
        try "Năm,Điều kiện,Đạt\n2025,an ninh mạng,đạt\n2025,khiếu kiện,có lẽ\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["verify", Self.sample, "--conditions", file.path, "--quiet"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(file.path):2: lỗi:") || result.stderr.contains("\(file.path):2:"))
        #expect(result.stderr.contains("national_security, mass_complaints, serious_crime, order_hotspots, key_commune_list"))
        #expect(result.stderr.contains("\(file.path):3"))
        #expect(result.stderr.contains("tệp điều kiện \(file.path) có lỗi"))
    }

    @Test("report --conditions: judged conditions in the checklist, the whole-indicator verdict first; Markdown too")
    func report() throws {
        let html = try CLIRunner.run(["report", Self.sample, "--conditions", Self.conditions, "--quiet"])
        #expect(html.status == 0, "stderr: \(html.stderr)")
        #expect(!html.stdout.contains("Chưa đánh giá"))
        #expect(html.stdout.contains("<div class=\"verdict not_met\"><strong>Không đạt</strong> — toàn bộ chỉ tiêu 19.2 năm 2025"))
        #expect(html.stdout.contains("Khiếu kiện đông người kéo dài, vượt cấp trái pháp luật: không đạt (theo tệp điều kiện"))
        let markdown = try CLIRunner.run(["report", Self.sample, "--conditions", Self.conditions, "--format", "md", "--lang", "en", "--quiet"])
        #expect(markdown.status == 0, "stderr: \(markdown.stderr)")
        #expect(markdown.stdout.contains("> **not met** — the whole indicator 19.2 in 2025 (counts and the other conditions): not met: the count rules; Prolonged mass complaints beyond the competent level"))
        #expect(!markdown.stdout.contains("Not assessed"))
    }
}
