import ArgumentParser
import BinhYenAnalytics
import BinhYenCore
import BinhYenReport
import Foundation

/// Output options of the commands that write a document rather than a table (`report`, `chart`);
/// each command adds its own `--format`.
struct DocumentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the result to FILE (atomically: a temporary file renamed into place).", valueName: "FILE"))
    var output: String?

    @Option(help: "Language of labels and messages: vi (Vietnamese) or en (English).")
    var lang: LanguageArgument = .vi

    @Flag(help: "Print no notes, warnings or progress on stderr (errors are always printed).")
    var quiet = false

    @Option(help: "Record tool version, command, period scheme, rule pack and year: sidecar (FILE.meta.json next to --output) or none.")
    var metadata: MetadataMode = .none

    @Option(help: ArgumentHelp("Rule pack: a built-in id (ntm-2021-2025, tt124-village) or a pack file.", valueName: "id|file"))
    var rules: String = RulePack.defaultID

    @Option(help: "The year to judge against the year before (default: the latest year in the data).")
    var year: Int?

    func validate() throws {
        if let output {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ValidationError("--output \(output) is a directory; give a file name.")
            }
        }
        if let year, !(1900...2100).contains(year) { throw ValidationError("--year must be between 1900 and 2100.") }
        try metadata.validate(output: output, commentAllowed: false)
    }

    var language: Language { lang.language }

    /// Writes the document, then its sidecar when asked.
    func emit(_ text: String, metadata entries: ExportMetadata) throws {
        try OutputOptions.write(Array(text.utf8), to: output, language: language)
        if metadata == .sidecar { try ExportMetadata.writeSidecar(entries, next: output, language: language) }
    }
}
