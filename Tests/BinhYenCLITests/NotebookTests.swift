import Foundation
import Testing

/// Executable Markdown notebooks (`notebooks-md/*.md`, issue 7).
///
/// A notebook is prose with fenced ```` ```sh ```` blocks, each holding one command, and right
/// after each a ```` ```text ```` block with the output it printed. Commands run from the
/// package root with the built `binhyen`; supported forms:
/// - `binhyen ARGS…` (words split as a shell would for plain words and '…' or "…" quotes,
///   `*` in a file name expanded to the matching files),
///   optionally followed by `| head -n N` to keep the first N lines;
/// - `cat FILE` (a file an earlier command wrote, under `.build/notebooks/`).
/// The recorded text is stdout (`[no output on stdout]` when empty), then `[exit N]` when the status is not 0. The test fails when
/// a recorded output differs from what the command prints now; with
/// `BINHYEN_RECORD_NOTEBOOKS=1` (`make notebooks`) it rewrites the text blocks instead.
@Suite("notebooks")
struct NotebookTests {
    static let folder = CLIRunner.packageRoot.appendingPathComponent("notebooks-md")
    static let outputFolder = CLIRunner.packageRoot.appendingPathComponent(".build/notebooks")
    static let recording = ProcessInfo.processInfo.environment["BINHYEN_RECORD_NOTEBOOKS"] == "1"

    static var notebooks: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
    }

    @Test("the notebooks are there")
    func present() {
        #expect(Self.notebooks.contains("01-verify-5-percent.md"))
        #expect(Self.notebooks.contains("02-during-the-year.md"))
        #expect(Self.notebooks.contains("03-charts-for-external-tools.md"))
        #expect(Self.notebooks.contains("04-office-files.md"))
        #expect(Self.notebooks.contains("05-national-scale.md"))
    }

    @Test("recorded outputs match what the commands print", arguments: Self.notebooks)
    func notebook(name: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        try FileManager.default.createDirectory(at: Self.outputFolder, withIntermediateDirectories: true)
        var lines = text.components(separatedBy: "\n")
        var index = 0
        var commands = 0
        while index < lines.count {
            guard lines[index] == "```sh" else {
                index += 1
                continue
            }
            let end = try #require(lines[(index + 1)...].firstIndex(of: "```"), "\(name):\(index + 1): unclosed sh block")
            let command = lines[(index + 1)..<end].joined(separator: " ")
            let output = try Self.run(command)
            commands += 1
            var next = end + 1
            while next < lines.count && lines[next].isEmpty { next += 1 }
            let hasRecord = next < lines.count && lines[next] == "```text"
            let recordEnd = hasRecord ? lines[(next + 1)...].firstIndex(of: "```") : nil
            let recorded = recordEnd.map { lines[(next + 1)..<$0].joined(separator: "\n") }
            let actual = output.hasSuffix("\n") ? String(output.dropLast()) : output
            if Self.recording {
                let block = ["```text"] + actual.components(separatedBy: "\n") + ["```"]
                if let recordEnd {
                    lines.replaceSubrange(next...recordEnd, with: block)
                } else {
                    lines.insert(contentsOf: [""] + block, at: end + 1)
                }
                index = end + 1
            } else {
                #expect(recorded != nil, "\(name):\(end + 1): no ```text block after the command `\(command)`")
                #expect(recorded == actual, "\(name): `\(command)` prints something else now; run `make notebooks` and review the diff")
                index = (recordEnd ?? end) + 1
            }
        }
        #expect(commands > 0, "\(name) has no ```sh command")
        if Self.recording {
            try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        }
    }

    /// Runs one notebook command and returns what it printed.
    static func run(_ command: String) throws -> String {
        var words = try split(command)
        var keepLines: Int?
        if let bar = words.firstIndex(of: "|") {
            let tail = Array(words[(bar + 1)...])
            guard tail.count == 3, tail[0] == "head", tail[1] == "-n", let count = Int(tail[2]) else {
                throw NotebookError("only `| head -n N` may follow a command: \(command)")
            }
            keepLines = count
            words = Array(words[..<bar])
        }
        var output: String
        switch words.first {
        case "binhyen":
            let result = try CLIRunner.run(words.dropFirst().flatMap(expandGlob), in: CLIRunner.packageRoot)
            output = result.stdout
            if result.status != 0 { output += (output.isEmpty || output.hasSuffix("\n") ? "" : "\n") + "[exit \(result.status)]\n" }
        case "cat":
            guard words.count == 2 else { throw NotebookError("cat takes one file: \(command)") }
            output = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent(words[1]), encoding: .utf8)
        default:
            throw NotebookError("a notebook command starts with binhyen or cat: \(command)")
        }
        // Windows line ends and a BOM (--excel) are shown as the text a reader sees.
        output = output.replacingOccurrences(of: "\r\n", with: "\n")
        if output.hasPrefix("\u{FEFF}") { output = "<BOM>" + output.dropFirst() }
        if let keepLines {
            output = output.components(separatedBy: "\n").prefix(keepLines).joined(separator: "\n") + "\n"
        }
        return output.isEmpty ? "[no output on stdout]\n" : output
    }

    /// A word with `*` in its last path component becomes the matching files of that folder
    /// (relative to the package root, sorted), as the shell expands it; no match keeps the word.
    static func expandGlob(_ word: String) -> [String] {
        guard word.contains("*") else { return [word] }
        let folder = (word as NSString).deletingLastPathComponent
        let pattern = (word as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(
            atPath: CLIRunner.packageRoot.appendingPathComponent(folder).path)) ?? []
        let matches = names.filter { fnmatch(pattern, $0, 0) == 0 }.sorted()
        return matches.isEmpty ? [word] : matches.map { folder.isEmpty ? $0 : folder + "/" + $0 }
    }

    /// Shell-like word splitting: spaces separate words; '…' and "…" quote.
    static func split(_ command: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for character in command {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil else { throw NotebookError("unclosed quote: \(command)") }
        if inWord { words.append(current) }
        return words
    }

    @Test("word splitting and pipes")
    func splitting() throws {
        #expect(try Self.split("binhyen verify 'a b.csv' --lang \"en\"") == ["binhyen", "verify", "a b.csv", "--lang", "en"])
        #expect(throws: NotebookError.self) { try Self.split("cat 'x") }
        #expect(throws: NotebookError.self) { try Self.run("rm -rf x") }
        #expect(Self.expandGlob("datasets/sample-commune/xa-*.csv") == [
            "datasets/sample-commune/xa-binh-yen-rong-thang-2018-2025.csv",
            "datasets/sample-commune/xa-binh-yen-thang-2018-2025.csv",
        ])
        #expect(Self.expandGlob("datasets/none-*.csv") == ["datasets/none-*.csv"])
    }
}

struct NotebookError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
