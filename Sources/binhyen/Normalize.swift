import ArgumentParser
import BinhYenCore
import BinhYenIngest
import BinhYenReport

/// `binhyen normalize`: the canonical panel, one row per unit, measure and year.
struct Normalize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the canonical panel: one row per unit, category, metric and year.",
        discussion: """
        Monthly, quarterly and weekly counts are added up to years; a year with missing \
        subperiods is marked incomplete and lists them. Names are written in NFC as first seen. \
        Each row names the file and line(s) it came from.
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let result = try Pipeline.ingest(input, output)
        try Pipeline.emit(PanelReport.table(result.panel), to: output)
    }
}
