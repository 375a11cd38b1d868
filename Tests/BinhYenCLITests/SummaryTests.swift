import Foundation
import Testing

/// `binhyen summary` end to end: the benchmark table against values computed independently by
/// the benchmark's numpy kernels (Tests/FixtureScripts/bench/gen_summary_fixture.py), both
/// readers, the sample commune through the general reader against the fast reader on the same
/// data in the coded layout, and bad values (exit 65 with file and line).
@Suite("summary command")
struct SummaryTests {
    /// Float columns and their relative tolerance (bench/compare.py): 1e-9, p-values 1e-7.
    static let floats: [String: Double] = [
        "pct_change": 1e-9, "ols_slope": 1e-9, "sen_slope": 1e-9, "mk_var_s": 1e-9, "mk_z": 1e-9, "mk_p": 1e-7,
        "rate_per_1000": 1e-9, "expected": 1e-9,
    ]

    /// RFC 4180 records of `text` (quoted fields, doubled quotes).
    static func records(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar?
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    if let next = iterator.next(), next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = nil }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" && field.isEmpty {
                quoted = true
            } else if scalar == "," {
                row.append(field)
                field = ""
            } else if scalar == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else if scalar != "\r" {
                field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
        return rows
    }

    /// The rows of a CSV table as dictionaries keyed by heading.
    static func table(_ text: String) -> [[String: String]] {
        let all = records(text)
        guard let header = all.first else { return [] }
        return all.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// Compares `actual` with `expected` on the columns of `expected` (minus `skipping`).
    static func compare(_ actual: [[String: String]], _ expected: [[String: String]], skipping: Set<String> = [],
                        label: String) {
        #expect(actual.count == expected.count, "\(label): row counts")
        for (index, (a, e)) in zip(actual, expected).enumerated() {
            for (column, want) in e where !skipping.contains(column) {
                let got = a[column] ?? "<missing>"
                if let tolerance = floats[column], let x = Double(got), let y = Double(want) {
                    #expect(abs(x - y) <= tolerance * max(abs(x), abs(y)) + 1e-12, "\(label) row \(index + 2) \(column): \(got) vs \(want)")
                } else if let x = Double(got), let y = Double(want), column != "village_code" && column != "commune_code"
                            && column != "province_code" {
                    #expect(x == y, "\(label) row \(index + 2) \(column): \(got) vs \(want)")
                } else {
                    #expect(got == want, "\(label) row \(index + 2) \(column): \(got) vs \(want)")
                }
            }
        }
    }

    static func fixtureText(_ name: String) throws -> String {
        try String(contentsOf: CLIRunner.fixture("bench/\(name)"), encoding: .utf8)
    }

    @Test(arguments: ["summary-yearly", "summary-monthly"])
    func benchTableMatchesTheNumpyKernels(_ name: String) throws {
        let input = try CLIRunner.fixture("bench/\(name).csv").path
        let expected = Self.table(try Self.fixtureText("\(name).expected.csv"))
        let fast = try CLIRunner.run(["summary", input, "--format", "csv", "--reader", "fast"])
        #expect(fast.status == 0, "\(fast.stderr)")
        let fastTable = Self.table(fast.stdout)
        Self.compare(fastTable, expected, label: "\(name) fast")
        // The column set and order of bench/SPEC.md, then BinhYen's own columns.
        let header = Self.records(fast.stdout).first ?? []
        #expect(Array(header.prefix(7)) == ["village_code", "category", "metric", "province_code", "commune_code", "village_name", "population"])
        #expect(Array(header.suffix(19)) == ["abs_change", "pct_change", "meets_5pct", "ols_slope", "sen_slope", "mk_s", "mk_var_s",
                                              "mk_z", "mk_p", "rate_per_1000", "expected", "ucl", "hotspot",
                                              "commune", "n_years", "mk_p_exact", "direction", "verdict", "note"])
        // The general reader gives the same table (it keeps no province code).
        let general = try CLIRunner.run(["summary", input, "--format", "csv", "--reader", "general"])
        #expect(general.status == 0, "\(general.stderr)")
        Self.compare(Self.table(general.stdout), expected, skipping: ["province_code"], label: "\(name) general")
        // One thread or several: the same bytes.
        let single = try CLIRunner.run(["summary", input, "--format", "csv", "--threads", "1"])
        #expect(single.stdout == fast.stdout)
    }

    @Test func jsonToAFileAndExcelCSV() throws {
        let input = try CLIRunner.fixture("bench/summary-monthly.csv").path
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("summary.json")
        let json = try CLIRunner.run(["summary", input, "--format", "json", "--output", out.path])
        #expect(json.status == 0 && json.stdout.isEmpty, "\(json.stderr)")
        let records = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [[String: Any]]
        #expect(records?.count == 72)
        #expect(records?.first?["n_2022"] is Int)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["summary.json"])
        let excel = try CLIRunner.run(["summary", input, "--excel"])
        #expect(excel.stdoutBytes.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(excel.stdout.contains("village_code;category;metric;") && excel.stdout.contains("\r\n"))
    }

    /// The sample commune (Vietnamese headings, monthly, force-majeure exclusions) read by the general
    /// reader, and the same judged yearly totals written in the coded layout and read by the fast
    /// reader, give the same table.
    @Test func sampleCommuneThroughBothReaders() throws {
        let sample = CLIRunner.packageRoot.appendingPathComponent("datasets/sample-commune/xa-binh-yen-thang-2018-2025.csv").path
        let normalized = try CLIRunner.run(["normalize", sample, "--format", "csv"])
        #expect(normalized.status == 0, "\(normalized.stderr)")
        var villageCodes: [String: String] = [:]
        var coded = "province_code,commune_code,village_code,village_name,population,year,category,metric,count\n"
        for row in Self.table(normalized.stdout) where !(row["village"] ?? "").isEmpty {
            let village = row["village"] ?? ""
            let code = villageCodes[village] ?? String(format: "00001%03d", villageCodes.count + 1)
            villageCodes[village] = code
            let judged = (Int(row["count"] ?? "") ?? 0) - (Int(row["excluded"] ?? "") ?? 0)
            coded += "01,00001,\(code),\(village),\(row["population"] ?? ""),\(row["year"] ?? ""),\(row["category"] ?? ""),\(row["metric"] ?? ""),\(judged)\n"
        }
        let dir = try CLIRunner.temporaryDirectory()
        let codedFile = dir.appendingPathComponent("coded.csv")
        try Data(coded.utf8).write(to: codedFile)
        let general = try CLIRunner.run(["summary", sample, "--format", "csv"])
        let fast = try CLIRunner.run(["summary", codedFile.path, "--format", "csv", "--reader", "fast"])
        #expect(general.status == 0 && fast.status == 0, "\(general.stderr)\(fast.stderr)")
        let generalRows = Self.table(general.stdout)
        let fastRows = Self.table(fast.stdout)
        #expect(generalRows.count == 10 * 19)  // 10 villages, 19 series (every measure of the sample)
        // Match rows by village and series (the coded file has codes, the sample none).
        var byKey: [String: [String: String]] = [:]
        for row in fastRows { byKey["\(row["village_name"] ?? "")|\(row["category"] ?? "")|\(row["metric"] ?? "")"] = row }
        var compared = 0
        for row in generalRows {
            let key = "\(row["village_name"] ?? "")|\(row["category"] ?? "")|\(row["metric"] ?? "")"
            guard let other = byKey[key] else {
                Issue.record("no coded row for \(key)")
                continue
            }
            for (column, value) in row where !["village_code", "province_code", "commune_code", "commune"].contains(column) {
                #expect(other[column] == value, "\(key) \(column): \(other[column] ?? "") vs \(value)")
            }
            compared += 1
        }
        #expect(compared == generalRows.count && compared == fastRows.count)
    }

    static let badRows: [(what: String, row: String, code: String)] = [
        ("fractional", "01,00001,00001001,Thôn Đông,900,2025,crime,cases,2.5", "fractional_count"),
        ("negative", "01,00001,00001001,Thôn Đông,900,2025,crime,cases,-3", "negative_count"),
        ("non-numeric", "01,00001,00001001,Thôn Đông,900,2025,crime,cases,ba", "non_numeric_count"),
        ("category", "01,00001,00001001,Thôn Đông,900,2025,bóng đá,cases,3", "unknown_category"),
        ("year", "01,00001,00001001,Thôn Đông,900,1850,crime,cases,3", "year_out_of_range"),
    ]

    @Test(arguments: 0..<5)
    func badValuesExit65WithFileAndLine(_ index: Int) throws {
        let bad = Self.badRows[index]
        let body = "province_code,commune_code,village_code,village_name,population,year,category,metric,count\n"
            + "01,00001,00001001,Thôn Đông,900,2024,crime,cases,4\n"
            + "01,00001,00001001,Thôn Đông,900,2024,fire,cases,1\n"
            + bad.row + "\n"
            + "01,00001,00001001,Thôn Đông,900,2025,fire,cases,0\n"
        let dir = try CLIRunner.temporaryDirectory()
        let file = dir.appendingPathComponent("\(bad.what).csv")
        try Data(body.utf8).write(to: file)
        let result = try CLIRunner.run(["summary", file.path, "--format", "csv"])
        #expect(result.status == 65, "\(bad.what): \(result.stderr)")
        #expect(result.stderr.contains("\(bad.what).csv:4"), "\(bad.what): \(result.stderr)")
        #expect(result.stderr.contains(bad.code), "\(bad.what): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        // Asked for the fast reader only: it names the line too.
        let fast = try CLIRunner.run(["summary", file.path, "--reader", "fast"])
        #expect(fast.status == 65 && fast.stderr.contains("\(bad.what).csv:4"), "\(fast.stderr)")
        // With --skip-invalid the valid rows are summarised.
        let skipped = try CLIRunner.run(["summary", file.path, "--format", "csv", "--skip-invalid"])
        #expect(skipped.status == 0 && skipped.stdout.contains("00001001,fire,cases"), "\(skipped.stderr)")
    }
}
