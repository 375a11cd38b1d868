import ArgumentParser
import BinhYenCore
import BinhYenIngest
import BinhYenReport

/// `binhyen check`: reads the inputs and lists every problem, accounting for every row.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every rejected, repaired or doubtful value, with file, line and reason.",
        discussion: """
        Reads the inputs exactly as the analysis commands do and reports everything found: \
        invalid counts, unknown categories or headings, duplicate and conflicting rows, months \
        or years out of range, incomplete years. Every row is accounted for: \
        read = accepted + rejected + duplicate + skipped, per file (on stderr for csv and json). \
        Exits with 65 when there is at least one error, 0 otherwise.
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let result = Ingest.read(paths: input.inputs, options: input.ingestOptions)
        let language = output.language
        let accounts = ReportTables.accounts(result.accounts)
        let diagnostics = ReportTables.diagnostics(result.diagnostics)
        switch output.resolvedFormat {
        case .table, .md:
            try Pipeline.emit(accounts.appending(diagnostics, language: language), output)
        case .csv, .json:
            Console.write(TerminalTableWriter(language: language).render(accounts))
            try Pipeline.emit(diagnostics, output)
        }
        if result.hasErrors { throw ExitStatus.invalidData }
    }
}
