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
        let language = output.language
        let result = try Progress.run(LocalizedText(vi: "Đang đọc dữ liệu", en: "Reading the input")(language), quiet: output.quiet) {
            try input.read(language: language)
        }
        var accounts = Self.accountsTable(result.accounts)
        let diagnostics = DiagnosticsReport.table(result.diagnostics, language: language)
        switch output.resolvedFormat {
        case .table, .md:
            if result.diagnostics.isEmpty {
                accounts.footnotes.append(LocalizedText(vi: "Không phát hiện vấn đề nào.", en: "No problems found."))
                try Pipeline.emit(accounts, to: output)
            } else {
                try Pipeline.emit(accounts, diagnostics, to: output)
            }
        case .csv, .json:
            Console.write(TerminalTableWriter(language: language).render(accounts))
            try Pipeline.emit(diagnostics, to: output)
        }
        if result.hasErrors { throw ExitStatus.invalidData }
    }

    /// One row per input file: layout, encoding, and read = accepted + rejected + duplicates + skipped.
    static func accountsTable(_ accounts: [FileAccount]) -> OutputTable {
        let columns = [
            OutputColumn("file", LocalizedText(vi: "Tệp", en: "File")),
            OutputColumn("layout", LocalizedText(vi: "Dạng bảng", en: "Layout")),
            OutputColumn("encoding", LocalizedText(vi: "Mã hóa", en: "Encoding")),
            OutputColumn("rows_read", LocalizedText(vi: "Dòng đọc", en: "Rows read")),
            OutputColumn("accepted", LocalizedText(vi: "Nhận", en: "Accepted")),
            OutputColumn("rejected", LocalizedText(vi: "Loại", en: "Rejected")),
            OutputColumn("duplicates", LocalizedText(vi: "Trùng", en: "Duplicates")),
            OutputColumn("skipped", LocalizedText(vi: "Bỏ qua", en: "Skipped")),
        ]
        let rows = accounts.map { a -> [OutputCell] in
            [.text(a.name), .text(a.layout), .text(a.encoding), .integer(a.rowsRead), .integer(a.accepted),
             .integer(a.rejected), .integer(a.duplicates), .integer(a.skipped)]
        }
        return OutputTable(title: LocalizedText(vi: "Kiểm tra đầu vào", en: "Input check"), columns: columns, rows: rows)
    }
}
