import Foundation
import Testing
#if canImport(Glibc)
import Glibc
import BinhYenTestSupport
#endif

/// Issue 9: hostile files are refused by the real binary with exit 65 and a message naming the
/// file and the reason, in bounded time (< 5 s) and memory (< 300 MB peak RSS); outputs are
/// formula-safe, escaped and written atomically (docs/guides/BadInput.md).
@Suite("Hostile inputs (CLI)")
struct HostileInputTests {
    static let timeLimit: Duration = .seconds(5)
    static let memoryLimitKB = 300 * 1024
    static let hostileWorkbooks = CLIRunner.packageRoot.appendingPathComponent("Tests/BinhYenIngestTests/Fixtures/hostile")

    /// One run with its wall time and the child's peak resident set.
    struct Measured {
        var result: CLIRunner.Result
        var elapsed: Duration
        var peakKB: Int
    }

    /// Runs `binhyen` under `/usr/bin/time -f %M` (the child's own peak RSS, in KB); without it,
    /// the largest peak of any child this process has waited for (an upper bound).
    static func measured(_ arguments: [String]) throws -> Measured {
        let binary = try #require(CLIRunner.binary, "binhyen executable not found next to the test bundle")
        let report = try CLIRunner.temporaryDirectory().appendingPathComponent("rss")
        let timer = "/usr/bin/time"
        let hasTimer = FileManager.default.isExecutableFile(atPath: timer)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hasTimer ? timer : binary.path)
        process.arguments = hasTimer ? ["-f", "%M", "-o", report.path, binary.path] + arguments : arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = clock.now - start
        var peak: Int
        if hasTimer {
            let text = try String(contentsOf: report, encoding: .utf8)
            peak = try #require(text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }, "\(text)")
        } else {
            var usage = rusage()
            getrusage(Int32(RUSAGE_CHILDREN.rawValue), &usage)
            peak = usage.ru_maxrss
        }
        let result = CLIRunner.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                      stderr: String(decoding: errData, as: UTF8.self), stdoutBytes: [UInt8](outData))
        return Measured(result: result, elapsed: elapsed, peakKB: peak)
    }

    /// Asserts exit 65, the file and `reason` in the message, nothing on stdout, bounded time and memory.
    static func expectRefused(_ run: Measured, file: String, reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.result.status == 65, "\(run.result.stderr)", sourceLocation: sourceLocation)
        #expect(run.result.stderr.contains(file), "\(run.result.stderr)", sourceLocation: sourceLocation)
        #expect(run.result.stderr.contains(reason), "\(run.result.stderr)", sourceLocation: sourceLocation)
        #expect(run.result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(run.elapsed < timeLimit, "took \(run.elapsed)", sourceLocation: sourceLocation)
        #expect(run.peakKB < memoryLimitKB, "peak RSS \(run.peakKB) KB", sourceLocation: sourceLocation)
    }

    static func write(_ bytes: [UInt8], _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    // MARK: Hostile files

    static let workbookCases: [(file: String, reason: String)] = [
        ("zip-bomb.xlsx", "over the 512 MB limit"),
        ("zip-bomb-lying-sizes.xlsx", "more than the size its ZIP header declares"),
        ("billion-laughs.xlsx", "document type declaration"),
        ("undeclared-entity.xlsx", "“&xxe;”"),
        ("deep-nesting.xlsx", "deeper than 64 levels"),
    ]

    @Test(arguments: 0..<5)
    func hostileWorkbookIsRefused(_ index: Int) throws {
        let c = Self.workbookCases[index]
        let path = Self.hostileWorkbooks.appendingPathComponent(c.file).path
        let run = try Self.measured(["verify", path, "--lang", "en"])
        Self.expectRefused(run, file: c.file, reason: c.reason)
        #expect(run.result.stderr.contains("[unreadable_file]"))
    }

    @Test func truncatedWorkbookIsRefused() throws {
        let dir = try CLIRunner.temporaryDirectory()
        var bytes = [UInt8](try Data(contentsOf: CLIRunner.packageRoot.appendingPathComponent("Tests/BinhYenIngestTests/Fixtures/wide-openpyxl.xlsx")))
        bytes.removeLast(bytes.count / 2)
        let path = try Self.write(bytes, "cut.xlsx", in: dir)
        Self.expectRefused(try Self.measured(["verify", path, "--lang", "en"]), file: "cut.xlsx", reason: "damaged ZIP file")
    }

    @Test func hundredMegabyteSingleLineIsRefused() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let header = Array("Xã,Thôn,Năm,Lĩnh vực,Chỉ tiêu,Số lượng\nXã A,Thôn 1,2025,TTXH,số vụ,".utf8)
        let path = try Self.write(header + [UInt8](repeating: UInt8(ascii: "9"), count: 100_000_000) + [0x0A], "line.csv", in: dir)
        let run = try Self.measured(["verify", path, "--lang", "en"])
        Self.expectRefused(run, file: "line.csv:2", reason: "over the 1 MB limit for one row")
        // The 100 MB value is not echoed.
        #expect(run.result.stderr.utf8.count < 2_000)
    }

    @Test func lineOfDelimitersIsRefused() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 20 MB of "a,": ten million fields on one line.
        let path = try Self.write([UInt8]("a,".utf8).repeated(10_000_000), "commas.csv", in: dir)
        Self.expectRefused(try Self.measured(["verify", path, "--lang", "en"]), file: "commas.csv:1", reason: "over the 1 MB limit for one row")
    }

    @Test func binaryGarbageIsRefused() throws {
        let dir = try CLIRunner.temporaryDirectory()
        var generator = SplitMix64(seed: 9)
        let withNUL = (0..<1_000_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let path = try Self.write(withNUL, "garbage.csv", in: dir)
        Self.expectRefused(try Self.measured(["verify", path, "--lang", "en"]), file: "garbage.csv", reason: "[wrong_file_type]")
        // High bytes without NUL: a legacy encoding is tried and refused for its low confidence.
        let highBytes = (0..<1_000_000).map { _ in UInt8(truncatingIfNeeded: generator.next() | 0x80) }
        let other = try Self.write(highBytes, "cp.csv", in: dir)
        Self.expectRefused(try Self.measured(["verify", other, "--lang", "en"]), file: "cp.csv", reason: "[encoding]")
    }

    @Test func countsTooLargeAreRefusedWithAShortMessage() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let digits = String(repeating: "9", count: 5_000)
        let body = "Xã,Thôn,Năm,Lĩnh vực,Chỉ tiêu,Số lượng\nXã A,Thôn 1,2024,TTXH,số vụ,9223372036854775807\nXã A,Thôn 1,2025,TTXH,số vụ,\(digits)\n"
        let path = try Self.write(Array(body.utf8), "huge.csv", in: dir)
        let run = try Self.measured(["verify", path, "--lang", "en"])
        Self.expectRefused(run, file: "huge.csv:2", reason: "too large (limit 10^12)")
        #expect(run.result.stderr.contains("huge.csv:3"))
        #expect(run.result.stderr.contains("“" + String(repeating: "9", count: 40) + "…”"))
        #expect(run.result.stderr.utf8.count < 2_000)
    }

    // MARK: Formula injection and markup

    static let header = "Xã,Thôn,Năm,Lĩnh vực,Chỉ tiêu,Số lượng,Dân số\n"

    /// Villages named with each formula lead character, over two years.
    static func formulaFile(in dir: URL) throws -> String {
        var body = header
        for name in ["=HYPERLINK(\"http://x\")", "+Thôn 1", "-Thôn 2", "@SUM(A1)"] {
            body += "Xã A,\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\",2024,TTXH,số vụ,20,1000\n"
            body += "Xã A,\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\",2025,TTXH,số vụ,18,1000\n"
        }
        return try write(Array(body.utf8), "names.csv", in: dir)
    }

    @Test(arguments: ["normalize", "trend", "hotspots", "summary"], [false, true])
    func namesStartingWithAFormulaCharacterAreNeutralized(command: String, excel: Bool) throws {
        let dir = try CLIRunner.temporaryDirectory()
        let path = try Self.formulaFile(in: dir)
        let result = try CLIRunner.run([command, path, "--format", "csv"] + (excel ? ["--excel"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        let separator = excel ? ";" : ","
        let cells = Set(result.stdout.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).flatMap { $0.components(separatedBy: separator) })
        for cell in ["'+Thôn 1", "'-Thôn 2", "'@SUM(A1)", "\"'=HYPERLINK(\"\"http://x\"\")\""] {
            #expect(cells.contains(cell), "\(command) excel=\(excel): \(cell) missing in \(result.stdout.prefix(600))")
        }
        for raw in ["+Thôn 1", "-Thôn 2", "@SUM(A1)"] { #expect(!cells.contains(raw), "\(command): raw \(raw)") }
    }

    @Test(arguments: [false, true])
    func summaryFastPathNeutralizesFormulas(excel: Bool) throws {
        let dir = try CLIRunner.temporaryDirectory()
        let body = "province_code,commune_code,village_code,village_name,population,year,category,metric,count\n"
            + "01,00001,00000101,=cmd|' /C calc'!A0,1000,2024,crime,cases,20\n01,00001,00000101,=cmd|' /C calc'!A0,1000,2025,crime,cases,10\n"
            + "01,00001,00000102,@Thôn 2,1000,2024,crime,cases,20\n01,00001,00000102,@Thôn 2,1000,2025,crime,cases,30\n"
        let path = try Self.write(Array(body.utf8), "coded.csv", in: dir)
        let result = try CLIRunner.run(["summary", path, "--format", "csv", "--reader", "fast"] + (excel ? ["--excel"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        let separator = excel ? ";" : ","
        let cells = Set(result.stdout.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).flatMap { $0.components(separatedBy: separator) })
        #expect(cells.contains("'=cmd|' /C calc'!A0"), "\(result.stdout)")
        #expect(cells.contains("'@Thôn 2"), "\(result.stdout)")
    }

    @Test func rejectedRowsFileNeutralizesFormulas() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let path = try Self.write(Array((Self.header + "=A,@B,2024,TTXH,số vụ,-5,1000\n").utf8), "bad.csv", in: dir)
        let rejects = dir.appendingPathComponent("rejects.csv")
        let result = try CLIRunner.run(["check", path, "--rejects", rejects.path])
        #expect(result.status == 65)
        let text = try String(contentsOf: rejects, encoding: .utf8)
        #expect(text.contains(",'=A,'@B,2024,TTXH,số vụ,'-5,"), "\(text)")
    }

    static let markupName = "Thôn \"><script>alert(1)</script>"

    static func markupFile(in dir: URL) throws -> String {
        let quoted = "\"" + markupName.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let body = header + "Xã <b>A</b>,\(quoted),2024,TTXH,số vụ,20,1000\nXã <b>A</b>,\(quoted),2025,TTXH,số vụ,30,1000\n"
            + "Xã <b>A</b>,Thôn 2,2024,TTXH,số vụ,20,1000\nXã <b>A</b>,Thôn 2,2025,TTXH,số vụ,10,1000\n"
        return try write(Array(body.utf8), "markup.csv", in: dir)
    }

    @Test func markupInNamesIsEscapedInTheReportAndSVG() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let path = try Self.markupFile(in: dir)
        let report = dir.appendingPathComponent("report.html")
        #expect(try CLIRunner.run(["report", path, "--output", report.path]).status == 0)
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("Thôn &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        for kind in ["villages", "funnel"] {
            let svg = dir.appendingPathComponent("\(kind).svg")
            let run = try CLIRunner.run(["chart", path, "--kind", kind, "--output", svg.path])
            #expect(run.status == 0, "\(run.stderr)")
            let text = try String(contentsOf: svg, encoding: .utf8)
            #expect(!text.contains("<script"), "\(kind)")
            #expect(text.contains("&lt;script&gt;"), "\(kind)")
        }
    }

    @Test func markupInNamesSurvivesVegaLiteExactlyAndCannotCloseAScript() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let path = try Self.markupFile(in: dir)
        let result = try CLIRunner.run(["chart", path, "--kind", "villages", "--format", "vega-lite"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("</script"))
        let spec = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let values = try #require((spec["data"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(values.contains { $0["panel"] as? String == Self.markupName })
    }

    // MARK: Outputs

    @Test func outputOntoAFolderIsAUsageError() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let path = try Self.formulaFile(in: dir)
        for command in [["verify"], ["summary"], ["report"], ["chart", "--kind", "totals"]] {
            let result = try CLIRunner.run(command + [path, "--output", dir.path, "--lang", "en"])
            #expect(result.status == 64, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("is a directory"), "\(command): \(result.stderr)")
        }
    }

    @Test func unwritableOutputIs70AndLeavesNoFile() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let path = try Self.formulaFile(in: dir)
        // /proc takes no new files, whoever runs the test.
        var targets = ["/proc/binhyen-out.csv", dir.appendingPathComponent("no-such-folder/out.csv").path]
        if getuid() != 0 {
            let locked = dir.appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: false)
            chmod(locked.path, 0o555)
            targets.append(locked.appendingPathComponent("out.csv").path)
        }
        for target in targets {
            for command in [["verify"], ["summary"], ["report"], ["normalize", "--metadata", "sidecar"]] {
                let result = try CLIRunner.run(command + [path, "--output", target, "--lang", "en"])
                #expect(result.status == 70, "\(command) \(target): \(result.stderr)")
                #expect(result.stderr.contains("cannot write the output file \(target)"), "\(result.stderr)")
                #expect(!FileManager.default.fileExists(atPath: target))
            }
        }
    }

    @Test func readOnlyOutputFileIsLeftAlone() throws {
        guard getuid() != 0 else { return }  // root may write any file
        let dir = try CLIRunner.temporaryDirectory()
        let path = try Self.formulaFile(in: dir)
        let target = dir.appendingPathComponent("kept.csv")
        try Data("old\n".utf8).write(to: target)
        chmod(target.path, 0o444)
        let result = try CLIRunner.run(["verify", path, "--output", target.path, "--lang", "en"])
        #expect(result.status == 70, "\(result.stderr)")
        #expect(try String(contentsOf: target, encoding: .utf8) == "old\n")
    }

    @Test func everyCommandWritesItsOutputsAtomically() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let input = try Self.formulaFile(in: dir)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        let runs: [(name: String, arguments: [String])] = [
            ("normalize.csv", ["normalize", "--metadata", "sidecar"]),
            ("verify.json", ["verify", "--format", "json", "--metadata", "sidecar"]),
            ("trend.csv", ["trend"]), ("forecast.csv", ["forecast"]), ("hotspots.csv", ["hotspots"]),
            ("summary.csv", ["summary", "--metadata", "sidecar"]), ("report.html", ["report", "--metadata", "sidecar"]),
            ("chart.svg", ["chart", "--kind", "totals"]), ("check.csv", ["check", "--format", "csv"]),
        ]
        var expected: Set<String> = []
        for run in runs {
            let target = out.appendingPathComponent(run.name)
            let result = try CLIRunner.run(run.arguments + [input, "--output", target.path])
            #expect(result.status == 0, "\(run.name): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(run.name)")
            let size = (try FileManager.default.attributesOfItem(atPath: target.path)[.size] as? Int) ?? 0
            #expect(size > 0, "\(run.name)")
            expected.insert(run.name)
            if run.arguments.contains("sidecar") { expected.insert(run.name + ".meta.json") }
        }
        // Nothing else: no temporary file left behind, and the files are readable by others.
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out.path)) == expected)
        let mode = (try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("summary.csv").path)[.posixPermissions] as? Int) ?? 0
        #expect(mode & 0o044 == 0o044 || mode & 0o022 == 0, "mode \(String(mode, radix: 8))")
    }

    /// A national coded file of `villages` villages, three categories, 2018–2025.
    static func codedFile(villages: Int, in dir: URL) throws -> String {
        var text = "province_code,commune_code,village_code,village_name,population,year,category,metric,count\n"
        text.reserveCapacity(villages * 24 * 60)
        for village in 0..<villages {
            let code = String(village + 10_000_000)
            let commune = String(village / 10 + 10_000)
            for category in ["crime", "traffic", "fire"] {
                for year in 2018...2025 {
                    text += "01,\(commune),\(code),Thôn \(village),\(1000 + village % 500),\(year),\(category),cases,\((village &* 31 &+ year) % 29)\n"
                }
            }
        }
        return try write(Array(text.utf8), "national.csv", in: dir)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func interruptedSummaryLeavesTheOldOutputAndNoTemporaryFile(signal: Int32) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try Self.codedFile(villages: 12_000, in: dir)
        let target = dir.appendingPathComponent("summary.csv")
        try Data("old\n".utf8).write(to: target)
        let binary = try #require(CLIRunner.binary)
        let child = try Self.spawn(binary.path, ["summary", input, "--output", target.path, "--quiet"])
        // Wait until the result is being written (its temporary file exists), then interrupt.
        var sawTemporary = false
        var status: Int32 = 0
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while waitpid(child, &status, WNOHANG) == 0 && clock.now < deadline {
            if try FileManager.default.contentsOfDirectory(atPath: dir.path).contains(where: { $0.hasPrefix("summary.csv.tmp-") }) {
                sawTemporary = true
                kill(child, signal)
                waitpid(child, &status, 0)
                break
            }
            usleep(1_000)
        }
        try #require(sawTemporary, "the run ended before its output was being written")
        // Ended by the signal itself (WIFSIGNALED, WTERMSIG), after removing its temporary file.
        #expect(status & 0x7F == signal, "wait status \(status)")
        #expect(try String(contentsOf: target, encoding: .utf8) == "old\n")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(left.isEmpty, "\(left)")
    }
}

extension HostileInputTests {
    /// Starts `binhyen` with SIGINT and SIGTERM unblocked and at their default action (a test
    /// runner may block or ignore them, and children inherit both), stderr to /dev/null.
    static func spawn(_ path: String, _ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, path, &actions, &attributes, argv, environ)
        try #require(result == 0, "posix_spawn: \(String(cString: strerror(result)))")
        return child
    }
}


extension Array {
    /// The array repeated `count` times.
    func repeated(_ count: Int) -> [Element] {
        var result: [Element] = []
        result.reserveCapacity(self.count * count)
        for _ in 0..<count { result += self }
        return result
    }
}
