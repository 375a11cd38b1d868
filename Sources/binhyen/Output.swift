import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Output formats of SPEC §7.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, md
}

/// Options shared by every command that writes a result.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, csv, json or md. Default: table on a terminal, csv otherwise.")
    var format: OutputFormat?

    @Option(help: ArgumentHelp("Write the result to FILE (atomically: a temporary file renamed into place).", valueName: "FILE"))
    var output: String?

    @Option(help: "Language of labels and messages: vi (Vietnamese) or en (English).")
    var lang: LanguageArgument = .vi

    @Flag(help: "CSV for Excel: UTF-8 with BOM, ';' separator, text cells made formula-safe.")
    var excel = false

    @Flag(help: "Print no notes or warnings on stderr (errors are always printed).")
    var quiet = false

    @Option(help: "Record tool version, command, period scheme, rule pack and year: comment (# lines before the CSV header), sidecar (FILE.meta.json next to --output) or none.")
    var metadata: MetadataMode = .none

    func validate() throws {
        if let output {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ValidationError("--output \(output) is a directory; give a file name.")
            }
        }
        try metadata.validate(output: output, commentAllowed: resolvedFormat == .csv)
    }

    /// The format to use: the one asked for, else table on a terminal and csv when piped.
    var resolvedFormat: OutputFormat {
        if let format { return format }
        if excel || metadata == .comment { return .csv }
        if output == nil && isTerminal { return .table }
        return .csv
    }

    /// Whether stdout is a terminal (colour and the table format are used only then).
    var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    var language: BinhYenCore.Language { lang.language }

    /// Writes `bytes` to `--output` atomically, or to stdout.
    func emit(_ bytes: [UInt8]) throws {
        try Self.write(bytes, to: output, language: language)
    }

    /// Writes `bytes` to the file `output` atomically (`AtomicFile`), or to stdout when nil.
    static func write(_ bytes: [UInt8], to output: String?, language: BinhYenCore.Language) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        try AtomicFile.write(bytes, to: output, language: language)
    }
}

import BinhYenCore

/// `--lang` values.
enum LanguageArgument: String, ExpressibleByArgument, CaseIterable {
    case vi, en
    var language: Language { self == .vi ? .vi : .en }
}

/// Messages on stderr.
enum Console {
    static func error(_ text: LocalizedText, _ language: Language) {
        let word = language == .vi ? "lỗi" : "error"
        write("binhyen: \(word): \(text(language))\n")
    }

    static func line(_ text: String) { write(text + "\n") }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
