import Foundation
import Testing

/// `binhyen ytd` on the sample commune, checked against counts worked out by hand from
/// `datasets/sample-commune/xa-binh-yen-thang-2018-2025.csv` (crime cases per month):
/// Xóm Chợ 2024 = 1 1 0 2 0 1 2 1 0 1 2 4 (15), 2025 = 0 1 1 2 0 3 0 3 0 2 3 2 (17);
/// commune 2024 = 42, 2025 = 39; one force-majeure fire in Xóm Bến, 09/2025.
/// Also `alerts` usage errors and messages.
@Suite("ytd and alerts through the CLI")
struct DuringTheYearCLITests {
    static let sample = CLIRunner.packageRoot.appendingPathComponent("datasets/sample-commune/xa-binh-yen-thang-2018-2025.csv").path

    static func ytd(_ through: String, _ extra: [String] = []) throws -> [[String: Any]] {
        let result = try CLIRunner.run(["ytd", sample, "--through", through, "--format", "json", "--quiet", "--lang", "en"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    static func row(_ rows: [[String: Any]], village: String?, category: String, metric: String = "cases") -> [String: Any]? {
        rows.first {
            ($0["village"] as? String) == village && $0["category"] as? String == category && $0["metric"] as? String == metric
        }
    }

    static func int(_ any: Any?) -> Int? { (any as? NSNumber)?.intValue }

    @Test("first month: Xóm Chợ 0 cases (same month 2024: 1), max ⌊19·15/20⌋ = 14, headroom 14")
    func firstMonth() throws {
        let rows = try Self.ytd("2025-01")
        // Every village and the commune, each with the six rules of ntm-2021-2025.
        #expect(rows.count == 11 * 6)
        let cho = try #require(Self.row(rows, village: "Xóm Chợ", category: "crime"))
        #expect(Self.int(cho["ytd"]) == 0 && Self.int(cho["ytd_prev"]) == 1 && Self.int(cho["prev"]) == 15)
        #expect(Self.int(cho["target_max"]) == 14 && Self.int(cho["headroom"]) == 14 && cho["lost"] as? Bool == false)
        #expect(Self.int(cho["through_month"]) == 1 && cho["rule"] as? String == "reduce_by_pct(5)")
        let p = try #require((cho["p_meet"] as? NSNumber)?.doubleValue)
        #expect(p > 0 && p < 1)
        #expect(cho["model"] as? String == "seasonal_gamma_poisson")
        let commune = try #require(Self.row(rows, village: nil, category: "crime"))
        #expect(Self.int(commune["ytd"]) == 1 && Self.int(commune["ytd_prev"]) == 8 && Self.int(commune["target_max"]) == 39)
        #expect(Self.int(commune["headroom"]) == 38)
    }

    @Test("June: Xóm Chợ 7 (same months 2024: 5), headroom 7")
    func midYear() throws {
        let rows = try Self.ytd("2025-06", ["--village", "Xóm Chợ"])
        #expect(rows.count == 6 && rows.allSatisfy { $0["unit_kind"] as? String == "village" })
        let cho = try #require(Self.row(rows, village: "Xóm Chợ", category: "crime"))
        #expect(Self.int(cho["ytd"]) == 7 && Self.int(cho["ytd_prev"]) == 5 && Self.int(cho["ytd_change"]) == 2)
        #expect(Self.int(cho["headroom"]) == 7)
        #expect(((cho["sentence"] as? String) ?? "").contains("months 1–6 of 2025: 7 cases (same months of 2024: 5)"))
    }

    @Test("last month: the verdicts of verify (Xóm Chợ 17 > 14 lost; commune 39 ≤ 39; fires 6 − 1 force majeure ≤ 5)")
    func lastMonth() throws {
        let rows = try Self.ytd("2025-12")
        let cho = try #require(Self.row(rows, village: "Xóm Chợ", category: "crime"))
        #expect(Self.int(cho["ytd"]) == 17 && Self.int(cho["headroom"]) == -3 && cho["lost"] as? Bool == true)
        #expect((cho["p_meet"] as? NSNumber)?.doubleValue == 0)
        #expect(((cho["note"] as? String) ?? "").contains("year_complete"))
        let commune = try #require(Self.row(rows, village: nil, category: "crime"))
        #expect(Self.int(commune["ytd"]) == 39 && Self.int(commune["headroom"]) == 0 && (commune["p_meet"] as? NSNumber)?.doubleValue == 1)
        let fire = try #require(Self.row(rows, village: nil, category: "fire"))
        #expect(Self.int(fire["ytd"]) == 5 && Self.int(fire["target_max"]) == 5 && (fire["p_meet"] as? NSNumber)?.doubleValue == 1)
        // In June the September exclusion cannot be placed yet: the Xóm Bến fire count is raw.
        let june = try Self.ytd("2025-06")
        let ben = try #require(Self.row(june, village: "Xóm Bến", category: "fire"))
        #expect(((ben["note"] as? String) ?? "").contains("exclusions_not_attributed"))
    }

    @Test("a missing month: the year to date is missing (null with a reason), never zero")
    func missingMonth() throws {
        let directory = try CLIRunner.temporaryDirectory()
        let file = directory.appendingPathComponent("months.csv")
        var csv = "commune,village,year,month,category,count\n"
        for month in 1...12 { csv += "Xã A,Thôn 1,2024,\(month),crime,2\n" }
        csv += "Xã A,Thôn 1,2025,1,crime,1\nXã A,Thôn 1,2025,2,crime,\nXã A,Thôn 1,2025,3,crime,0\n"
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["ytd", file.path, "--through", "2025-03", "--format", "json", "--quiet", "--lang", "en",
                                        "--level", "village"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let crime = try #require(Self.row(rows, village: "Thôn 1", category: "crime"))
        #expect(crime["ytd"] is NSNull && crime["headroom"] is NSNull && crime["p_meet"] is NSNull)
        #expect(Self.int(crime["target_max"]) == 22 && crime["note"] as? String == "missing_months")
        #expect((crime["sentence"] as? String)?.contains("data missing") == true)
        let january = try CLIRunner.run(["ytd", file.path, "--through", "2025-01", "--format", "json", "--quiet", "--level", "village"])
        let first = try #require(try JSONSerialization.jsonObject(with: Data(january.stdout.utf8)) as? [[String: Any]])
        #expect(Self.int(Self.row(first, village: "Thôn 1", category: "crime")?["headroom"]) == 21)
    }

    @Test func ytdCategoryKeepsOnlyThatCategorysRules() throws {
        let rows = try Self.ytd("2025-06", ["--category", "traffic", "--level", "commune"])
        #expect(rows.map { $0["metric"] as? String } == ["cases", "deaths", "injuries"])
        #expect(Self.int(rows.first?["ytd"]) == 8 && rows.first?["lost"] as? Bool == true)
    }

    /// An incident log (one row per event, statistical months) flows into monthly series: one
    /// crime on the 5th of every month 2020–2024 in Thôn 1, plus eight on 6–13 March 2024.
    @Test func fromAnIncidentLogToAlertsAndYearToDate() throws {
        let directory = try CLIRunner.temporaryDirectory()
        let file = directory.appendingPathComponent("vu-viec.csv")
        var csv = "Ngày,Xã,Thôn,Lĩnh vực\n"
        for year in 2020...2024 {
            for month in 1...12 { csv += "05/\(month < 10 ? "0" : "")\(month)/\(year),Xã A,Thôn 1,Tội phạm TTXH\n" }
        }
        for day in 6...13 { csv += "\(day < 10 ? "0" : "")\(day)/03/2024,Xã A,Thôn 1,Tội phạm TTXH\n" }
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let alerts = try CLIRunner.run(["alerts", file.path, "--b", "3", "--w", "2", "--level", "village", "--only-alarms",
                                        "--format", "json", "--quiet"])
        #expect(alerts.status == 0, "\(alerts.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(alerts.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["period"] as? String } == ["2024-03"])
        #expect(Self.int(rows.first?["observed"]) == 9)
        let ytd = try CLIRunner.run(["ytd", file.path, "--through", "2024-03", "--level", "village", "--category", "crime",
                                     "--format", "json", "--quiet"])
        let ytdRows = try #require(try JSONSerialization.jsonObject(with: Data(ytd.stdout.utf8)) as? [[String: Any]])
        let crime = try #require(ytdRows.first)
        #expect(Self.int(crime["ytd"]) == 11 && Self.int(crime["ytd_prev"]) == 3 && Self.int(crime["target_max"]) == 11)
        #expect(Self.int(crime["headroom"]) == 0)
    }

    @Test func ytdRejectsABadMonth() throws {
        for bad in ["2025-13", "2025", "25-06", "2025-W03"] {
            let result = try CLIRunner.run(["ytd", Self.sample, "--through", bad])
            #expect(result.status == 64, "\(bad)")
        }
    }

    @Test func ytdTableStatesTheModel() throws {
        let result = try CLIRunner.run(["ytd", Self.sample, "--through", "2025-06", "--level", "commune", "--format", "md", "--quiet"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Khả năng đạt"))
        #expect(result.stdout.contains("Mô hình: số vụ mỗi tháng theo phân phối Poisson"))
    }

    @Test func alertsExplainsAShortHistoryWithTheLongestSettingThatWorks() throws {
        let result = try CLIRunner.run(["alerts", Self.sample, "--b", "8", "--lang", "en", "--quiet"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("History too short for b = 8, w = 3"))
        #expect(result.stderr.contains("Longest setting that works: --b 7 (keeping w = 3)."))
        let ranged = try CLIRunner.run(["alerts", Self.sample, "--range", "2020-01:2020-12", "--b", "3", "--quiet"])
        #expect(ranged.status == 64)
        #expect(ranged.stderr.contains("--range 2021-04:… (bắt đầu muộn hơn)"))
    }

    @Test func alertsRejectsOptionsOfAnotherMethod() throws {
        let result = try CLIRunner.run(["alerts", Self.sample, "--method", "farrington", "--trans", "rossi"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--trans applies to --method cusum"))
        let flexibleOnly = try CLIRunner.run(["alerts", Self.sample, "--method", "farrington", "--threshold", "nbplugin"])
        #expect(flexibleOnly.status == 64)
        let farringtonOnly = try CLIRunner.run(["alerts", Self.sample, "--method", "poisson-ewma", "--b", "3"])
        #expect(farringtonOnly.status == 64 && farringtonOnly.stderr.contains("--b applies to --method farrington or farrington-flexible"))
        let outside = try CLIRunner.run(["alerts", Self.sample, "--method", "cusum", "--range", "2030-01:2030-12", "--lang", "en"])
        #expect(outside.status == 64)
        #expect(outside.stderr.contains("outside the data (2018-01 to 2025-12)"))
    }

    @Test func alertsOnlyAlarmsAndCSVFields() throws {
        let result = try CLIRunner.run(["alerts", Self.sample, "--village", "Xóm Chợ", "--measure", "crime.cases", "--method",
                                        "poisson-cusum", "--format", "csv", "--quiet"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("unit_kind,commune,commune_code,village,village_code,category,metric,method,subperiod_kind,period") == true)
        #expect(lines.count == 13)   // the last year, 2025-01 … 2025-12
        let alarms = try CLIRunner.run(["alerts", Self.sample, "--level", "commune", "--only-alarms", "--format", "json", "--quiet"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(alarms.stdout.utf8)) as? [[String: Any]])
        #expect(!rows.isEmpty && rows.allSatisfy { $0["alarm"] as? Bool == true && $0["reason"] as? String == "above_threshold" })
        #expect(rows.allSatisfy { $0["metric"] as? String != "damage_vnd" })
    }
}
