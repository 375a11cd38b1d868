import Foundation
import Testing

/// datasets/office-files/ (made by datasets/tools/make_office_files.py from the sample commune):
/// every form normalises to the same canonical rows as the long sample file.
@Suite("Office files of the sample commune")
struct OfficeFilesTests {
    static let folder = CLIRunner.packageRoot.appendingPathComponent("datasets/office-files")
    static let sample = CLIRunner.packageRoot.appendingPathComponent("datasets/sample-commune/xa-binh-yen-thang-2018-2025.csv").path
    static let villages = folder.appendingPathComponent("danh-sach-thon.csv").path

    /// Canonical CSV rows (source column dropped) keyed by commune, village, year, category, metric.
    private func normalize(_ inputs: [String], extra: [String] = []) throws -> (header: [String], rows: [[String: String]], stderr: String) {
        let result = try CLIRunner.run(["normalize"] + inputs + ["--villages", Self.villages, "--format", "csv", "--lang", "en"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first).split(separator: ",").map(String.init)
        let rows = lines.dropFirst().map { line -> [String: String] in
            // The source column is last and may be quoted; the others hold no comma.
            let cells = line.split(separator: ",", maxSplits: header.count - 1, omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(header, cells))
        }
        return (header, rows, result.stderr)
    }

    private func canonical(_ row: [String: String], columns: [String]) -> String {
        columns.map { row[$0] ?? "" }.joined(separator: ",")
    }

    private func key(_ row: [String: String]) -> String {
        ["commune", "village", "year", "category", "metric"].map { row[$0] ?? "" }.joined(separator: "|")
    }

    /// Checks that `form` gives exactly the reference rows of the series it carries.
    private func expectSame(_ form: [[String: String]], reference: [[String: String]], header: [String],
                            carriesExclusions: (String) -> Bool, label: String) {
        let byKey = Dictionary(reference.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let formLines = form.map { row -> String in
            let columns = header.filter { $0 != "source" && ($0 != "excluded" || carriesExclusions(row["metric"] ?? "")) }
            return canonical(row, columns: columns)
        }.sorted()
        let referenceLines = form.compactMap { row -> String? in
            guard let reference = byKey[key(row)] else { return nil }
            let columns = header.filter { $0 != "source" && ($0 != "excluded" || carriesExclusions(row["metric"] ?? "")) }
            return canonical(reference, columns: columns)
        }.sorted()
        #expect(formLines.count == form.count, "\(label): series missing from the reference")
        #expect(formLines == referenceLines, "\(label)")
    }

    @Test func everyFormNormalisesToTheSampleRows() throws {
        let reference = try normalize([Self.sample])
        #expect(reference.rows.count == 1520)
        // One workbook per village, a sheet per year (wide: counts without force-majeure exclusions).
        let workbooks = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasPrefix("bao-cao-") }.sorted()
        #expect(workbooks.count == 10)
        let books = try normalize(workbooks.map { Self.folder.appendingPathComponent($0).path })
        #expect(books.rows.count == 10 * 8 * 13)
        expectSame(books.rows, reference: reference.rows, header: reference.header, carriesExclusions: { _ in false }, label: "workbooks")
        // The long rows of 2024–2025 in TCVN3.
        let legacy = try normalize([Self.folder.appendingPathComponent("so-lieu-2024-2025-tcvn3.csv").path])
        #expect(legacy.stderr.contains("tcvn3"))
        #expect(legacy.rows.count == 380)
        expectSame(legacy.rows, reference: reference.rows, header: reference.header, carriesExclusions: { _ in true }, label: "tcvn3")
        // The incident log: traffic and fire, 2024–2025 (the sample marks force majeure on case counts only).
        let incidents = try normalize([Self.folder.appendingPathComponent("vu-viec-2024-2025.xlsx").path])
        #expect(incidents.rows.count == 10 * 2 * 4 * 2)
        expectSame(incidents.rows, reference: reference.rows, header: reference.header, carriesExclusions: { $0 == "cases" }, label: "incidents")
    }

    @Test func crosswalkAddsUpTheMergedVillagesAndSaysSo() throws {
        let crosswalk = Self.folder.appendingPathComponent("chuyen-doi-don-vi.csv").path
        let merged = try normalize([Self.sample], extra: ["--crosswalk", crosswalk])
        let reference = try normalize([Self.sample])
        func count(_ rows: [[String: String]], _ village: String) -> Int? {
            rows.first { $0["village"] == village && $0["year"] == "2025" && $0["category"] == "crime" && $0["metric"] == "cases" }
                .flatMap { $0["count"] }.flatMap { Int($0) }
        }
        let east = try #require(count(reference.rows, "Thôn Đông"))
        let west = try #require(count(reference.rows, "Thôn Tây"))
        #expect(count(merged.rows, "Thôn Đông Tây") == east + west)
        #expect(count(merged.rows, "Thôn Đông") == nil)
        #expect(merged.stderr.contains("Thôn Đông + Thôn Tây → Thôn Đông Tây (merge, effective 01/01/2026)"))
    }

    @Test func checkAccountsForEveryRowAndWritesRejects() throws {
        let directory = try CLIRunner.temporaryDirectory()
        let bad = directory.appendingPathComponent("bad.csv")
        try Data("Thôn,Năm,Tội phạm TTXH\nThôn Đông,2024,-1\nThôn Không Có,2024,2\nThôn Tây,2024,3\n".utf8).write(to: bad)
        let rejects = directory.appendingPathComponent("rejects.csv")
        let workbook = Self.folder.appendingPathComponent("bao-cao-xom-ben.xlsx").path
        let result = try CLIRunner.run(["check", bad.path, workbook, "--villages", Self.villages, "--rejects", rejects.path,
                                        "--format", "csv", "--lang", "en"])
        #expect(result.status == 65)
        // One account per sheet of the workbook: 12 months accepted, the total row skipped.
        #expect(result.stderr.contains("bao-cao-xom-ben.xlsx[Năm 2024]"))
        let written = String(decoding: try Data(contentsOf: rejects), as: UTF8.self).split(separator: "\n")
        #expect(written.count == 3)
        #expect(written[1].hasPrefix("\(bad.path),,2,negative_count,"))
        #expect(written[2].contains(",3,unknown_village,"))
        #expect(written[2].hasSuffix(",Thôn Không Có,2024,2"))
    }
}
