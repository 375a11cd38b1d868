import Foundation
import Testing

/// The bundled sample commune through the CLI: the verdicts documented in datasets/README.md.
@Suite("sample commune")
struct SampleCommuneTests {
    static let long = CLIRunner.packageRoot.appendingPathComponent("datasets/sample-commune/xa-binh-yen-thang-2018-2025.csv").path
    static let wide = CLIRunner.packageRoot.appendingPathComponent("datasets/sample-commune/xa-binh-yen-rong-thang-2018-2025.csv").path

    static func verifyJSON(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try CLIRunner.run(["verify"] + arguments + ["--format", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    static func row(_ rows: [[String: Any]], _ category: String, _ metric: String) -> [String: Any]? {
        rows.first { $0["category"] as? String == category && $0["metric"] as? String == metric && $0["unit_kind"] as? String == "commune" }
    }

    @Test func communeVerdicts2025AsDocumented() throws {
        let rows = try Self.verifyJSON([Self.long])
        let expected: [(String, String, Int, Int, String)] = [
            ("crime", "cases", 42, 39, "met"),
            ("social_evil", "cases", 18, 16, "met"),
            ("traffic", "cases", 7, 15, "not_met"),
            ("traffic", "deaths", 2, 3, "not_met"),
            ("traffic", "injuries", 10, 21, "not_met"),
            ("fire", "cases", 6, 5, "met"),
        ]
        for (category, metric, prev, curr, verdict) in expected {
            let r = try #require(Self.row(rows, category, metric), "\(category).\(metric)")
            #expect((r["prev"] as? NSNumber)?.intValue == prev, "\(category).\(metric) prev")
            #expect((r["curr"] as? NSNumber)?.intValue == curr, "\(category).\(metric) curr")
            #expect(r["verdict"] as? String == verdict, "\(category).\(metric) verdict")
            #expect(r["year"] as? Int == 2025)
        }
        let fire = try #require(Self.row(rows, "fire", "cases"))
        #expect((fire["curr_excluded"] as? NSNumber)?.intValue == 1)
        let crime = try #require(Self.row(rows, "crime", "cases"))
        #expect((crime["target_max"] as? NSNumber)?.intValue == 39)   // ⌊19·42/20⌋
        let overall = try #require(rows.first { $0["category"] is NSNull && $0["unit_kind"] as? String == "commune" })
        #expect(overall["verdict"] as? String == "not_met")
    }

    /// The wide sheet carries no force-majeure column, so the fire rule fails there (6 → 6).
    @Test func wideFileGivesTheSameCountsWithoutExclusions() throws {
        let rows = try Self.verifyJSON([Self.wide, "--quiet"])
        let fire = try #require(Self.row(rows, "fire", "cases"))
        #expect((fire["prev"] as? NSNumber)?.intValue == 6)
        #expect((fire["curr"] as? NSNumber)?.intValue == 6)
        #expect(fire["verdict"] as? String == "not_met")
        let crime = try #require(Self.row(rows, "crime", "cases"))
        #expect((crime["curr"] as? NSNumber)?.intValue == 39)
    }

    /// `--category` judges only that category's rules and gives no overall verdict, which would
    /// otherwise read as the commune's; a category without a rule in the pack is a usage error.
    @Test func categoryRestrictsTheRulesAndDropsTheOverallVerdict() throws {
        let rows = try Self.verifyJSON([Self.long, "--category", "traffic", "--quiet"])
        let measures = Set(rows.compactMap { row in (row["category"] as? String).map { "\($0).\(row["metric"] as? String ?? "")" } })
        #expect(measures == ["traffic.cases", "traffic.deaths", "traffic.injuries"])
        #expect(!rows.contains { $0["category"] is NSNull })
        let unknown = try CLIRunner.run(["verify", Self.long, "--category", "labor_accident", "--quiet"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("labor_accident"))
    }

    @Test func earlierYearAndVillageLevel() throws {
        let rows = try Self.verifyJSON([Self.long, "--year", "2024", "--level", "village", "--quiet"])
        let villages = Set(rows.compactMap { $0["village"] as? String })
        #expect(villages.count == 10)
        #expect(villages.contains("Xóm Chợ"))
        #expect(rows.allSatisfy { $0["year"] as? Int == 2024 })
    }

    @Test func failOnNotMetExitsWithOne() throws {
        let result = try CLIRunner.run(["verify", Self.long, "--fail-on-not-met", "--format", "csv", "--quiet"])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("unit_kind,"))
    }

    @Test func vietnameseTableIsTheDefaultLanguage() throws {
        let result = try CLIRunner.run(["verify", Self.long, "--format", "table", "--quiet"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Phạm tội về TTXH"))
        #expect(result.stdout.contains("Không đạt"))
        #expect(result.stdout.contains("−7,14%"))
        #expect(result.stdout.contains("đã trừ bất khả kháng"))
    }

    @Test func excelCSVHasBOMSemicolonsAndIsAtomicOnDisk() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("verdicts.csv")
        let result = try CLIRunner.run(["verify", Self.long, "--excel", "--output", out.path, "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let bytes = try [UInt8](Data(contentsOf: out))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("unit_kind;commune;"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["verdicts.csv"])
    }

    @Test func normalizeWritesYearlyPanel() throws {
        let result = try CLIRunner.run(["normalize", Self.long, "--format", "json", "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        // 10 villages × 19 series × 8 years.
        #expect(rows.count == 10 * 19 * 8)
        let crime2025 = rows.filter { $0["category"] as? String == "crime" && $0["metric"] as? String == "cases" && $0["year"] as? Int == 2025 }
        #expect(crime2025.reduce(0) { $0 + (($1["count"] as? NSNumber)?.intValue ?? 0) } == 39)
    }

    @Test func checkAccountsForEveryRow() throws {
        let result = try CLIRunner.run(["check", Self.long, "--format", "csv"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // The accounts table goes to stderr in Vietnamese number style: 18.240 rows read and accepted.
        #expect(result.stderr.contains("18.240"))
    }

    /// `--details` adds the trend and next-year forecast, computed only from years up to the judged one.
    @Test func detailsAddTrendAndForecastAsOfTheJudgedYear() throws {
        let rows2025 = try Self.verifyJSON([Self.long, "--details", "--quiet"])
        let crime = try #require(Self.row(rows2025, "crime", "cases"))
        let pMeet = try #require((crime["p_meet"] as? NSNumber)?.doubleValue)
        #expect(pMeet > 0 && pMeet < 1)
        #expect(crime["direction"] as? String != nil)
        let rows2024 = try Self.verifyJSON([Self.long, "--details", "--year", "2024", "--quiet"])
        let crime2024 = try #require(Self.row(rows2024, "crime", "cases"))
        // The 2025 forecast made as of 2024 differs from the 2026 forecast made as of 2025.
        #expect((crime2024["forecast_mean"] as? NSNumber)?.doubleValue != (crime["forecast_mean"] as? NSNumber)?.doubleValue)
        let overall = try #require(rows2025.first { $0["category"] is NSNull })
        #expect(overall["p_meet"] is NSNull)
    }
}
