import Foundation
import Testing

/// SPEC §2 "Bad input" and §7 exit codes: every kind of bad value gives exit 65 and a message
/// naming the file, the line and the reason.
@Suite("bad input and exit codes")
struct BadInputTests {
    static let header = "Xã,Thôn,Năm,Tháng,Lĩnh vực,Chỉ tiêu,Số lượng\n"

    static func run(_ name: String, _ body: String, command: String = "verify") throws -> CLIRunner.Result {
        let dir = try CLIRunner.temporaryDirectory()
        let file = dir.appendingPathComponent(name)
        try Data(body.utf8).write(to: file)
        return try CLIRunner.run([command, file.path, "--format", "json"])
    }

    static let cases: [(name: String, row: String, line: Int, code: String)] = [
        ("negative", "Xã A,Thôn 1,2025,1,TTXH,số vụ,-3\n", 2, "negative_count"),
        ("fractional", "Xã A,Thôn 1,2025,1,TTXH,số vụ,2.5\n", 2, "fractional_count"),
        ("nonnumeric", "Xã A,Thôn 1,2025,1,TTXH,số vụ,ba\n", 2, "non_numeric_count"),
        ("category", "Xã A,Thôn 1,2025,1,Bóng đá,số vụ,3\n", 2, "unknown_category"),
        ("month", "Xã A,Thôn 1,2025,13,TTXH,số vụ,3\n", 2, "month_out_of_range"),
        ("year", "Xã A,Thôn 1,1850,1,TTXH,số vụ,3\n", 2, "year_out_of_range"),
    ]

    @Test(arguments: 0..<6)
    func badValueGives65WithFileLineAndReason(_ index: Int) throws {
        let c = Self.cases[index]
        let result = try Self.run("\(c.name).csv", Self.header + "Xã A,Thôn 1,2025,2,TTXH,số vụ,4\n" + c.row)
        #expect(result.status == 65, "\(c.name): \(result.stderr)")
        #expect(result.stderr.contains("\(c.name).csv:\(c.line + 1)"), "\(c.name): \(result.stderr)")
        #expect(result.stderr.contains(c.code), "\(c.name): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func conflictingDuplicatesAreAnErrorUnlessResolved() throws {
        let body = Self.header + "Xã A,Thôn 1,2025,1,TTXH,số vụ,3\nXã A,Thôn 1,2025,1,TTXH,số vụ,4\n"
        let result = try Self.run("conflict.csv", body)
        #expect(result.status == 65)
        #expect(result.stderr.contains("conflict.csv:3"))
        #expect(result.stderr.contains("conflicting_row"))
        let dir = try CLIRunner.temporaryDirectory()
        let file = dir.appendingPathComponent("conflict.csv")
        try Data(body.utf8).write(to: file)
        let summed = try CLIRunner.run(["normalize", file.path, "--format", "json", "--on-conflict", "sum"])
        #expect(summed.status == 0, "\(summed.stderr)")
        #expect(summed.stdout.contains("\"count\":7") || summed.stdout.contains("\"count\": 7"))
    }

    @Test func identicalDuplicatesAreCountedOnceWithAWarning() throws {
        let body = Self.header + "Xã A,Thôn 1,2025,1,TTXH,số vụ,3\nXã A,Thôn 1,2025,1,TTXH,số vụ,3\n"
        let result = try Self.run("dup.csv", body, command: "normalize")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("duplicate_row"))
        #expect(result.stderr.contains("dup.csv:3"))
    }

    @Test func unknownWideHeadingIsAnError() throws {
        let body = "Xã,Thôn,Năm,Tội phạm TTXH,Bóng đá\nXã A,Thôn 1,2025,3,1\n"
        let result = try Self.run("wide.csv", body)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("wide.csv:1"))
        #expect(result.stderr.contains("Bóng đá"))
    }

    @Test func fileThatIsNotCSVIsRefused() throws {
        // The first bytes of a ZIP archive (an .xlsx renamed to .csv).
        let dir = try CLIRunner.temporaryDirectory()
        let file = dir.appendingPathComponent("book.csv")
        try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]).write(to: file)
        let result = try CLIRunner.run(["verify", file.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("book.csv"))
        #expect(result.stderr.contains("wrong_file_type"))
    }

    @Test func skipInvalidRunsOnTheValidRowsAndSaysSo() throws {
        let body = Self.header + "Xã A,Thôn 1,2024,,TTXH,số vụ,20\nXã A,Thôn 1,2025,,TTXH,số vụ,-1\n"
        let dir = try CLIRunner.temporaryDirectory()
        let file = dir.appendingPathComponent("skip.csv")
        try Data(body.utf8).write(to: file)
        let result = try CLIRunner.run(["verify", file.path, "--skip-invalid", "--format", "json", "--lang", "en"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("--skip-invalid"))
        #expect(result.stdout.contains("insufficient_data"))
    }

    @Test func usageErrorsExitWith64() throws {
        #expect(try CLIRunner.run(["verify"]).status == 64)
        #expect(try CLIRunner.run(["verify", "x.csv", "--format", "pdf"]).status == 64)
        #expect(try CLIRunner.run(["verify", "x.csv", "--rules", "no-such-pack"]).status == 64)
        #expect(try CLIRunner.run(["verify", "x.csv", "--conf", "95"]).status == 64)
        let dir = try CLIRunner.temporaryDirectory()
        #expect(try CLIRunner.run(["verify", "x.csv", "--output", dir.path]).status == 64)
    }

    @Test func malformedRulePackIsInvalidData() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let pack = dir.appendingPathComponent("pack.toml")
        try Data("id = \"x\"\n[[rule]]\nmeasure = \"crime.cases\"\ntest = \"reduce_by_pct\"\npct = \n".utf8).write(to: pack)
        let data = dir.appendingPathComponent("d.csv")
        try Data((Self.header + "Xã A,Thôn 1,2025,1,TTXH,số vụ,3\n").utf8).write(to: data)
        let result = try CLIRunner.run(["verify", data.path, "--rules", pack.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("pack.toml:5"))
    }
}
