import ArgumentParser
import BinhYenCore
import BinhYenIngest

/// `--on-conflict` values (SPEC §2: conflicting duplicate rows).
enum ConflictArgument: String, ExpressibleByArgument, CaseIterable {
    case error, last, sum
}

/// `--period` values (SPEC §4).
extension PeriodScheme: ExpressibleByArgument {}

/// `--encoding` values.
extension InputEncoding: ExpressibleByArgument {}

/// The input files and how to read them; the same for every command (SPEC §7).
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Input files or folders (CSV/TSV or .xlsx; long, wide or incident-list layout).", valueName: "input"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Only this commune (name or code). Files without a commune column take this name.", valueName: "name"))
    var commune: String?

    @Option(help: "How to treat two rows for the same count with different values: error, last or sum.")
    var onConflict: ConflictArgument = .error

    @Option(help: "Period scheme for dated incidents: calendar, statistical, tt124-commune or tt124-village.")
    var period: PeriodScheme = .statistical

    @Flag(help: "Analyse the valid rows even if some rows are invalid; say exactly what was skipped.")
    var skipInvalid = false

    @Option(help: "Encoding of text files: auto, utf-8, utf-16, cp1258, tcvn3 or vni (auto detects legacy Vietnamese encodings).")
    var encoding: InputEncoding = .auto

    @Option(help: ArgumentHelp("Only this sheet of each workbook (name or number); default: every visible sheet.", valueName: "name"))
    var sheet: String?

    @Option(help: ArgumentHelp("Villages file (code, name, aliases, kind, commune, population and households by year): village names must match it.", valueName: "file"))
    var villages: String?

    @Option(help: ArgumentHelp("Crosswalk file (old unit, new unit, merge/split/rename, effective date): compare years on today's units.", valueName: "file"))
    var crosswalk: String?

    @Option(help: ArgumentHelp("Write the rejected input rows (file, sheet, line, reasons, cells) to this CSV file.", valueName: "file"))
    var rejects: String?

    func validate() throws {
        if inputs.isEmpty {
            throw ValidationError("Give at least one input file or folder, e.g. `binhyen verify data.csv`.")
        }
    }

    var ingestOptions: IngestOptions {
        var options = IngestOptions()
        options.defaultCommune = commune
        options.scheme = period
        options.encoding = encoding
        options.sheet = sheet
        options.villages = villages.map(SideFile.path)
        options.crosswalk = crosswalk.map(SideFile.path)
        options.collectRejectedRows = rejects != nil
        switch onConflict {
        case .error: options.onConflict = .error
        case .last: options.onConflict = .last
        case .sum: options.onConflict = .sum
        }
        return options
    }

    /// Reads the inputs; with `--rejects`, writes the rejected rows there.
    func read(language: Language, options: IngestOptions? = nil) throws -> IngestResult {
        let result = Ingest.read(paths: inputs, options: options ?? ingestOptions)
        if let rejects {
            try OutputOptions.write(RejectedRow.csv(result.rejectedRows, language: language), to: rejects, language: language)
        }
        return result
    }
}
