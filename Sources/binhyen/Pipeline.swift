import ArgumentParser
import BinhYenCore
import BinhYenIngest
import BinhYenReport

/// The steps every command shares: read the inputs, report what was wrong, render the result.
enum Pipeline {
    /// How many diagnostics of one kind are printed on stderr before they are summarised.
    static let diagnosticsPerCode = 10

    /// Reads the inputs and prints their diagnostics on stderr. Throws exit status 65 when the
    /// input has errors, unless `--skip-invalid` was given (then says what was skipped).
    static func ingest(_ input: InputOptions, _ output: OutputOptions) throws -> IngestResult {
        try ingest(input, language: output.language, quiet: output.quiet)
    }

    /// `ingest(_:_:)` for commands with their own output options (`report`, `chart`).
    static func ingest(_ input: InputOptions, language: Language, quiet: Bool) throws -> IngestResult {
        try ingest(input, options: input.ingestOptions, language: language, quiet: quiet)
    }

    /// `ingest(_:language:quiet:)` with reading options adjusted by the command (`summary`
    /// keeps no per-value sources).
    static func ingest(_ input: InputOptions, options: IngestOptions, language: Language, quiet: Bool) throws -> IngestResult {
        let result = try Progress.run(LocalizedText(vi: "Đang đọc dữ liệu", en: "Reading the input")(language), quiet: quiet) {
            try input.read(language: language, options: options)
        }
        printDiagnostics(result.diagnostics, language: language, quiet: quiet)
        if result.hasErrors {
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            if input.skipInvalid {
                let rejected = result.accounts.reduce(0) { $0 + $1.rejected }
                Console.line(LocalizedText(
                    vi: "binhyen: --skip-invalid: bỏ qua \(rejected) dòng có lỗi (\(errors) lỗi ở trên); kết quả chỉ dựa trên các dòng hợp lệ.",
                    en: "binhyen: --skip-invalid: skipped \(rejected) rows with errors (\(errors) errors above); results use the valid rows only.")(language))
            } else {
                Console.error(LocalizedText(
                    vi: "dữ liệu đầu vào có \(errors) lỗi (xem ở trên). Sửa tệp, hoặc chạy lại với --skip-invalid để bỏ qua các dòng lỗi; `binhyen check` liệt kê đầy đủ.",
                    en: "the input has \(errors) errors (listed above). Fix the files, or run again with --skip-invalid to leave the invalid rows out; `binhyen check` lists them all."), language)
                throw ExitStatus.invalidData
            }
        }
        return result
    }

    /// The neighbour pairs (panel unit indices) of the adjacency file at `path`; prints its
    /// diagnostics and throws exit status 65 when it has errors.
    static func readAdjacency(_ path: String, panel: Panel, language: Language, quiet: Bool) throws -> [(Int, Int)] {
        let read = AdjacencyReader.read(path: path, panel: panel)
        printDiagnostics(read.diagnostics, language: language, quiet: quiet)
        if read.hasErrors {
            Console.error(LocalizedText(vi: "tệp kề \(path) có lỗi (xem ở trên).",
                                        en: "the adjacency file \(path) has errors (listed above)."), language)
            throw ExitStatus.invalidData
        }
        return read.edges.map { ($0.first, $0.second) }
    }

    /// Prints errors always and warnings/notes unless `--quiet`, at most `diagnosticsPerCode`
    /// of each kind, then how many more there are.
    static func printDiagnostics(_ diagnostics: [Diagnostic], language: Language, quiet: Bool) {
        var shown: [String: Int] = [:]
        var hidden: [String: Int] = [:]
        for d in diagnostics {
            if quiet && d.severity != .error { continue }
            let kind = "\(d.severity.rawValue) \(d.code.rawValue)"
            if shown[kind, default: 0] < diagnosticsPerCode {
                shown[kind, default: 0] += 1
                Console.line(d.rendered(language))
            } else {
                hidden[kind, default: 0] += 1
            }
        }
        for (kind, count) in hidden.sorted(by: { $0.key < $1.key }) {
            Console.line(LocalizedText(
                vi: "… và \(count) mục \(kind) khác (`binhyen check` liệt kê đầy đủ)",
                en: "… and \(count) more \(kind) (`binhyen check` lists them all)")(language))
        }
    }

    /// Renders `tables` in the chosen format and writes them to stdout or `--output`. Terminal
    /// tables and Markdown show them one after the other; CSV and JSON take only the first.
    static func emit(_ tables: OutputTable..., to output: OutputOptions) throws {
        let writer: any TableWriter
        switch output.resolvedFormat {
        case .table:
            writer = TerminalTableWriter(language: output.language, color: output.output == nil && output.isTerminal)
        case .csv:
            writer = CSVWriter(excel: output.excel, metadata: output.metadata == .comment ? output.exportMetadata(tables.first) : nil)
        case .json:
            writer = JSONWriter()
        case .md:
            writer = MarkdownWriter(language: output.language)
        }
        let shown = output.resolvedFormat == .csv || output.resolvedFormat == .json ? Array(tables.prefix(1)) : tables
        let text = shown.map(writer.render).joined(separator: "\n")
        try output.emit(Array(text.utf8))
        if output.metadata == .sidecar { try ExportMetadata.writeSidecar(output.exportMetadata(tables.first), next: output.output, language: output.language) }
    }
}
