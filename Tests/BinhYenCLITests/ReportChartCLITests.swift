import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `report`, `chart` and `--metadata` through the built executable, on the sample commune.
@Suite("report, chart and metadata")
struct ReportChartCLITests {
    static let sample = SampleCommuneTests.long

    @Test("report: one HTML page on stdout, Vietnamese by default, with every section")
    func reportHTML() throws {
        let result = try CLIRunner.run(["report", Self.sample, "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let html = result.stdout
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"vi\">"))
        for heading in ["1. Kết luận chỉ tiêu 19.2", "2. Diễn biến theo năm", "3. Diễn biến trong năm", "4. Khu dân cư",
                        "5. Bộ quy tắc và căn cứ", "6. Kỳ báo cáo", "7. Số liệu đầu vào"] {
            #expect(html.contains("<h2>\(heading)</h2>"), "\(heading)")
        }
        // 6 yearly charts (one per rule), 1 monthly, 3 small multiples (tt124-village rules), 1 funnel plot.
        #expect(html.components(separatedBy: "<svg ").count - 1 == 11)
        #expect(html.contains("<h3>Biểu đồ phễu</h3>") && html.contains("<h3>Danh sách theo dõi</h3>"))
        #expect(html.contains("Xu hướng Theil–Sen (các năm đủ kỳ)"))
        #expect(html.contains("TNGT – số vụ: 7 → 15 vụ (+114,29%): không đạt (giảm, tối đa 6)"))
        #expect(html.contains("<h3>Xóm Chợ</h3>") || html.contains("<caption>Xóm Chợ</caption>"))
        #expect(html.contains("18.240"))
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("https://"))
    }

    @Test("report --format md --lang en writes the Markdown twin to --output")
    func reportMarkdown() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("report.md")
        let result = try CLIRunner.run(["report", Self.sample, "--format", "md", "--lang", "en", "--output", out.path, "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        let markdown = try String(contentsOf: out, encoding: .utf8)
        #expect(markdown.hasPrefix("# Security and order report 2025 — Xã Bình Yên (dữ liệu mẫu)\n"))
        #expect(markdown.contains("**not met** — count conditions, 2025 against 2024"))
        #expect(markdown.contains("Not assessed"))
    }

    @Test("chart svg parses as XML; chart vega-lite is JSON with the data inline", arguments: ["totals", "villages", "months"])
    func charts(kind: String) throws {
        let svg = try CLIRunner.run(["chart", Self.sample, "--kind", kind, "--quiet"])
        #expect(svg.status == 0, "stderr: \(svg.stderr)")
        #expect(svg.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
        #expect(XMLParser(data: Data(svg.stdout.utf8)).parse())
        let spec = try CLIRunner.run(["chart", Self.sample, "--kind", kind, "--format", "vega-lite", "--measure", "traffic.cases", "--quiet"])
        #expect(spec.status == 0, "stderr: \(spec.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(spec.stdout.utf8)) as? [String: Any])
        #expect((object["usermeta"] as? [String: Any]).flatMap { ($0["binhyen"] as? [String: Any])?["chart_kind"] as? String } == kind)
    }

    @Test("chart --village: one village with its trend line (sen_slope of trend); --kind months; funnel refuses it")
    func chartVillage() throws {
        let spec = try CLIRunner.run(["chart", Self.sample, "--village", "xóm chợ", "--format", "vega-lite", "--quiet"])
        #expect(spec.status == 0, "stderr: \(spec.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(spec.stdout.utf8)) as? [String: Any])
        let values = try #require((object["data"] as? [String: Any])?["values"] as? [[String: Any]])
        let trend = values.filter { $0["layer"] as? String == "trend" }.compactMap { ($0["y"] as? NSNumber)?.doubleValue }
        #expect(trend.count == 8)
        // The slope of the line equals the sen_slope `trend` reports for Xóm Chợ.
        let trendCSV = try CLIRunner.run(["trend", Self.sample, "--level", "village", "--village", "Xóm Chợ", "--measure", "crime.cases",
                                          "--format", "csv", "--quiet"])
        let header = trendCSV.stdout.split(separator: "\n")[0].split(separator: ",").map(String.init)
        let row = trendCSV.stdout.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let senSlope = try #require(header.firstIndex(of: "sen_slope").flatMap { Double(row[$0]) })
        #expect(abs((trend[7] - trend[0]) / 7 - senSlope) < 1e-9)
        #expect((object["title"] as? [String: Any])?["text"] as? String == "Phạm tội về TTXH: số vụ theo năm — Xóm Chợ")
        let months = try CLIRunner.run(["chart", Self.sample, "--village", "Xóm Chợ", "--kind", "months", "--quiet"])
        #expect(months.status == 0, "stderr: \(months.stderr)")
        #expect(months.stdout.contains("— Xóm Chợ"))
        let funnel = try CLIRunner.run(["chart", Self.sample, "--village", "Xóm Chợ", "--kind", "funnel"])
        #expect(funnel.status == 64)
        let unknown = try CLIRunner.run(["chart", Self.sample, "--village", "Thôn Không Có", "--quiet"])
        #expect(unknown.status == 65)
    }

    @Test("report --adjacency: the watch list has Gi* and the emerging class")
    func reportAdjacency() throws {
        let adjacency = CLIRunner.packageRoot.appendingPathComponent("datasets/sample-commune/ke-thon.csv").path
        let result = try CLIRunner.run(["report", Self.sample, "--adjacency", adjacency, "--format", "md", "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Có tệp kề: Gi\\* theo từng năm"))
        #expect(result.stdout.contains("| Gi\\* z"))
    }

    @Test("chart: unknown measure is a usage error; a measure without data is invalid data")
    func chartErrors() throws {
        let unknown = try CLIRunner.run(["chart", Self.sample, "--measure", "nonsense.things"])
        #expect(unknown.status == 64)
        let vn = CLIRunner.packageRoot.appendingPathComponent("datasets/vn-gso-national/gso-national-long.csv").path
        let absent = try CLIRunner.run(["chart", vn, "--measure", "crime.cases", "--quiet"])
        #expect(absent.status == 65)
        #expect(absent.stderr.contains("crime.cases"))
        let yearly = try CLIRunner.run(["chart", vn, "--kind", "months", "--measure", "traffic.cases", "--quiet"])
        #expect(yearly.status == 65)
    }

    @Test("--metadata comment: # lines before the CSV header, BOM first with --excel")
    func metadataComment() throws {
        let result = try CLIRunner.run(["verify", Self.sample, "--metadata", "comment", "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines.prefix(9)) == ["# tool: binhyen", "# tool_version: 0.1.0", "# command: verify", "# format: csv",
                                            "# language: vi", "# period: statistical", "# rule_pack: ntm-2021-2025",
                                            "# year: 2025", "# prev_year: 2024"])
        #expect(lines[9].hasPrefix("unit_kind,commune,"))
        let excel = try CLIRunner.run(["normalize", Self.sample, "--excel", "--metadata", "comment", "--quiet"])
        #expect(Array(excel.stdoutBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(excel.stdout.dropFirst().hasPrefix("# tool: binhyen\r\n"))
        #expect(excel.stdout.contains("# excel: true\r\n# period: statistical\r\ncommune;"))
        let pure = try CLIRunner.run(["verify", Self.sample, "--format", "csv", "--quiet"])
        #expect(pure.stdout.hasPrefix("unit_kind,"))
    }

    @Test("--metadata sidecar: FILE.meta.json next to --output, the CSV stays pure; needs --output")
    func metadataSidecar() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("verdicts.csv")
        let result = try CLIRunner.run(["verify", Self.sample, "--year", "2024", "--metadata", "sidecar", "--output", out.path, "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try String(contentsOf: out, encoding: .utf8).hasPrefix("unit_kind,"))
        let sidecar = try Data(contentsOf: URL(fileURLWithPath: out.path + ".meta.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: sidecar) as? [String: String])
        #expect(object["year"] == "2024" && object["rule_pack"] == "ntm-2021-2025" && object["command"] == "verify")
        #expect(object.keys.allSatisfy { !$0.contains("time") && !$0.contains("date") })
        let chart = dir.appendingPathComponent("totals.svg")
        let chartRun = try CLIRunner.run(["chart", Self.sample, "--metadata", "sidecar", "--output", chart.path, "--quiet"])
        #expect(chartRun.status == 0, "stderr: \(chartRun.stderr)")
        let chartMeta = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: chart.path + ".meta.json"))) as? [String: String])
        #expect(chartMeta["measure"] == "crime.cases" && chartMeta["chart_kind"] == "totals")
        #expect(try CLIRunner.run(["verify", Self.sample, "--metadata", "sidecar"]).status == 64)
        #expect(try CLIRunner.run(["verify", Self.sample, "--metadata", "comment", "--format", "json"]).status == 64)
    }

    @Test("a hostile village name read from a file is text in the HTML report, the SVG and the Vega-Lite data")
    func hostileNamesFromInput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let csv = dir.appendingPathComponent("hostile.csv")
        let name = "<script>alert(1)</script>"
        var text = "Xã,Thôn,Năm,Lĩnh vực,Số lượng\n"
        for (village, counts) in [(name, (5, 4)), ("Thôn Đông", (3, 3))] {
            text += "Xã Thử,\"\(village)\",2024,Tội phạm TTXH,\(counts.0)\nXã Thử,\"\(village)\",2025,Tội phạm TTXH,\(counts.1)\n"
        }
        try Data(text.utf8).write(to: csv)
        let report = try CLIRunner.run(["report", csv.path, "--quiet"])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        #expect(!report.stdout.contains(name))
        #expect(report.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let svg = try CLIRunner.run(["chart", csv.path, "--kind", "villages", "--quiet"])
        #expect(svg.status == 0 && !svg.stdout.contains(name) && XMLParser(data: Data(svg.stdout.utf8)).parse())
        let spec = try CLIRunner.run(["chart", csv.path, "--kind", "villages", "--format", "vega-lite", "--quiet"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(spec.stdout.utf8)) as? [String: Any])
        let values = try #require((object["data"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(values.contains { $0["panel"] as? String == name })
    }

    @Test("no progress indicator when stderr is not a terminal")
    func noProgressWhenPiped() throws {
        let result = try CLIRunner.run(["verify", Self.sample, "--format", "csv", "--quiet"])
        #expect(result.stderr.isEmpty)
    }
}

/// The HTML report rendered by headless Chromium to an A4-sized PNG that must not be blank.
/// Slow and needs the Debian `chromium` package: runs only with `BINHYEN_SLOW_TESTS=1`
/// (`make test-slow`, called by `.ci/run` after installing chromium).
@Suite("report in Chromium", .enabled(if: ProcessInfo.processInfo.environment["BINHYEN_SLOW_TESTS"] == "1"))
struct ReportChromiumTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("the report page renders with content spread over the page")
    func screenshotIsNotBlank() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let html = dir.appendingPathComponent("report.html")
        let png = dir.appendingPathComponent("report.png")
        let report = try CLIRunner.run(["report", SampleCommuneTests.long, "--output", html.path, "--quiet"])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        // Any request the page made would be refused: the host resolver maps every name to nothing.
        let chromium = try Self.run(["timeout", "180", "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                     "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                                     "--host-resolver-rules=MAP * ~NOTFOUND", "--screenshot=\(png.path)",
                                     "--window-size=1240,1754", html.absoluteString])
        #expect(chromium.status == 0, "\(chromium.output)")
        let tool = CLIRunner.packageRoot.appendingPathComponent("Tests/Tools/png_ink.py").path
        let ink = try Self.run(["python3", tool, png.path])
        #expect(ink.status == 0, "\(ink.output)")
        let numbers = ink.output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        try #require(numbers.count == 4, "\(ink.output)")
        #expect(numbers[0] == 1240 && numbers[1] == 1754)
        // Text, tables and charts: over 3% of the pixels inked, on over half of the rows.
        #expect(numbers[2] > 1240 * 1754 * 3 / 100, "ink pixels \(numbers[2])")
        #expect(numbers[3] > 1754 / 2, "ink rows \(numbers[3])")
    }
}
