import ArgumentParser
import BinhYenAnalytics
import BinhYenCore
import BinhYenIngest
import BinhYenReport
import BinhYenStats
import Foundation

/// `--reader` values of `summary`.
enum SummaryReaderChoice: String, ExpressibleByArgument, CaseIterable {
    /// The fast reader when every input is a clean file in the national coded layout, else the general one.
    case auto
    /// Only the fast reader: exit 65 when it cannot take the input as it is.
    case fast
    /// Only the general reader (any layout).
    case general
}

/// `binhyen summary`: one row per village and series with yearly totals, change, 5% test,
/// trend, rate, funnel limit, hotspot flag and verdict — the table of the benchmark workload.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One row per village and series: yearly totals, change, trend, rate, hotspot and verdict.",
        discussion: """
        Columns (CSV/JSON): village_code, category, metric, province_code, commune_code, \
        village_name, population, n_<year> for every year, abs_change, pct_change, meets_5pct \
        (20·curr ≤ 19·prev), ols_slope, sen_slope, mk_s, mk_var_s, mk_z, mk_p, rate_per_1000, \
        expected (population × commune rate), ucl (exact Poisson 99.8% funnel limit), hotspot \
        (curr > ucl), then commune, n_years, mk_p_exact, direction, verdict (rule pack) and note. \
        Rows are sorted by village code, then category and metric. Tables and Markdown show a \
        compact view of the same rows.

        Two readers fill the same table. Files in the national coded layout (header \
        province_code,commune_code,village_code,village_name,population,year[,month],category,\
        metric,count) are read by a parallel byte-level reader when they are clean; anything \
        else — other layouts, Vietnamese headings, or a coded file with a value that needs \
        repair or is invalid, a duplicate row, a quoted field — is read by the general reader, \
        which reports every problem with file, line and reason (exit 65 on errors). --reader \
        chooses one; stderr says when a coded file was handed to the general reader.

        A missing year is empty, never 0: change fields need both of the last two years, the \
        trend uses the years with values. Counts are the judged counts (force-majeure cases \
        excluded). The rate and the funnel use the population of the last year.
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var selection: SelectionOptions

    @Option(help: ArgumentHelp("Rule pack of the verdict column: a built-in id (ntm-2021-2025, tt124-village) or a pack file.", valueName: "id|file"))
    var rules: String = RulePack.defaultID

    @Option(help: "When the previous year had no cases: met (0 → 0 met, 0 → n not met) or not-applicable. Default: the pack's policy.")
    var zeroBase: ZeroBaseArgument?

    @Option(help: "Significance level of the trend direction.")
    var alpha: Double = 0.05

    @Option(help: "Reader: auto (fast reader for clean national coded files, else the general one), fast or general.")
    var reader: SummaryReaderChoice = .auto

    @Option(help: "Threads for reading and formatting (default: the number of processors).")
    var threads: Int?

    func validate() throws {
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1 (e.g. 0.05).") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        // No linear algebra here: OpenBLAS's spinning idle workers would only take core time.
        BLASThreads.stopIdleWorkers()
        let language = output.language
        let pack = try Verify.loadPack(rules, language: language)
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let (peers, readerName) = try readGrid(language: language, threads: threadCount)
        // --village selects rows only: the commune's rate for `expected` still pools every village.
        guard let grid = selection.village == nil ? peers : peers.filtered(commune: nil, village: selection.village, category: nil) else {
            throw Self.gridFault(language)
        }
        let engine: SummaryEngine
        do {
            engine = try SummaryEngine(grid: grid, peers: peers, options: SummaryOptions(alpha: alpha, pack: pack, zeroBase: zeroBase?.policy))
        } catch .invalidAlpha {
            throw ValidationError("--alpha must be between 0 and 1 (e.g. 0.05).")
        } catch {
            Console.error(LocalizedText(vi: "dữ liệu có \(grid.years.count) năm; bảng tổng hợp nhận tối đa 64 năm.",
                                        en: "the data spans \(grid.years.count) years; the summary takes at most 64."), language)
            throw ExitStatus.invalidData
        }
        var facts = OutputTable(columns: [], metadata: [MetadataEntry("rule_pack", pack.id), MetadataEntry("reader", readerName)])
        if let last = grid.years.last { facts.metadata.append(MetadataEntry("year", String(last))) }
        switch output.resolvedFormat {
        case .table, .md:
            let rows = SummaryTable.rows(engine)
            var table = SummaryTable.compactTable(engine, rows: rows, language: language)
            table.metadata = facts.metadata
            if rows.isEmpty {
                table.footnotes.append(LocalizedText(vi: "Không có số liệu thôn nào.", en: "There is no village data."))
            }
            try Pipeline.emit(table, to: output)
        case .csv, .json:
            let format: SummaryExport.Format = output.resolvedFormat == .json ? .json : .csv(excel: output.excel)
            let metadata = output.metadata == .comment ? output.exportMetadata(facts) : nil
            let destination = try ByteDestination(path: output.output, language: language)
            try Progress.run(LocalizedText(vi: "Đang tính và ghi bảng tổng hợp", en: "Computing and writing the summary")(language),
                             quiet: output.quiet) {
                try SummaryExport.write(engine, format: format, metadata: metadata, threads: threadCount) { bytes in
                    try destination.write(bytes)
                }
            }
            try destination.commit()
            if output.metadata == .sidecar {
                try ExportMetadata.writeSidecar(output.exportMetadata(facts), next: output.output, language: language)
            }
        }
    }

    /// The grid of the inputs selected by `--commune` and `--category` (not `--village`), and the
    /// name of the reader that made it (`fast` or `general`).
    private func readGrid(language: Language, threads: Int) throws -> (CountGrid, String) {
        let category = selection.category.flatMap { Catalogue.standard.resolve($0)?.category }
        if reader != .general {
            let outcome = Progress.run(LocalizedText(vi: "Đang đọc dữ liệu", en: "Reading the input")(language), quiet: output.quiet) {
                CodedLongReader.read(paths: input.inputs, options: input.ingestOptions, concurrency: threads)
            }
            switch outcome {
            case .grid(let grid, _):
                guard let selected = grid.filtered(commune: input.commune, village: nil, category: category) else {
                    throw Self.gridFault(language)
                }
                return (selected, "fast")
            case .otherLayout(let reason):
                if reader == .fast {
                    Console.error(LocalizedText(vi: "--reader fast: \(reason.vi).", en: "--reader fast: \(reason.en)."), language)
                    throw ExitStatus.invalidData
                }
            case .declined(let reason, let location):
                let place = location.map { "\($0): " } ?? ""
                if reader == .fast {
                    Console.error(LocalizedText(vi: "--reader fast: \(place)\(reason.vi); hãy chạy `binhyen check` để xem chi tiết.",
                                                en: "--reader fast: \(place)\(reason.en); run `binhyen check` for details."), language)
                    throw ExitStatus.invalidData
                }
                if !output.quiet {
                    Console.line(LocalizedText(
                        vi: "\(place)ghi chú: tệp dạng mã hóa toàn quốc nhưng \(reason.vi); đọc bằng bộ đọc chung (chậm hơn).",
                        en: "\(place)note: a national coded file, but \(reason.en); read by the general reader (slower).")(language))
                }
            }
        }
        var options = input.ingestOptions
        options.keepSources = false
        let result = try Pipeline.ingest(input, options: options, language: language, quiet: output.quiet)
        let panel = result.panel.filtered(commune: input.commune, village: nil, category: category)
        guard let grid = CountGrid(panel: panel) else { throw Self.gridFault(language) }
        return (grid, "general")
    }

    /// Says on stderr that the table of counts could not be built (a bug: the readers give
    /// consistent data) and returns exit status 70.
    private static func gridFault(_ language: Language) -> ExitCode {
        Console.error(LocalizedText(vi: "lỗi nội bộ: không dựng được bảng số liệu của các thôn; xin báo lỗi này.",
                                    en: "internal fault: the table of village counts could not be built; please report this."), language)
        return ExitStatus.internalFault
    }
}

/// Where the CSV or JSON bytes go: `--output` written atomically (`AtomicFile`: a temporary
/// file in the same folder, renamed into place by `commit`), or stdout.
final class ByteDestination {
    private let file: AtomicFile?
    private let language: Language

    init(path: String?, language: Language) throws {
        self.language = language
        file = try path.map { try AtomicFile(path: $0, language: language) }
    }

    /// Writes every byte, retrying short writes.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if let file { return try file.write(bytes) }
        if let reason = AtomicFile.writeFully(STDOUT_FILENO, bytes) {
            Console.error(LocalizedText(vi: "không ghi được kết quả ra stdout: \(reason)",
                                        en: "cannot write the result to stdout: \(reason)"), language)
            throw ExitStatus.internalFault
        }
    }

    /// Renames the temporary file into place (nothing for stdout).
    func commit() throws {
        try file?.commit()
    }
}
