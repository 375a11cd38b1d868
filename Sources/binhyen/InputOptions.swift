import ArgumentParser
import BinhYenCore
import BinhYenIngest

/// `--on-conflict` values (SPEC §2: conflicting duplicate rows).
enum ConflictArgument: String, ExpressibleByArgument, CaseIterable {
    case error, last, sum
}

/// `--period` values (SPEC §4).
extension PeriodScheme: ExpressibleByArgument {}

/// The input files and how to read them; the same for every command (SPEC §7).
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Input files or folders (CSV/TSV; long or wide layout).", valueName: "input"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Only this commune (name or code). Files without a commune column take this name.", valueName: "name"))
    var commune: String?

    @Option(help: "How to treat two rows for the same count with different values: error, last or sum.")
    var onConflict: ConflictArgument = .error

    @Option(help: "Period scheme for dated incidents: calendar, statistical, tt124-commune or tt124-village.")
    var period: PeriodScheme = .statistical

    @Flag(help: "Analyse the valid rows even if some rows are invalid; say exactly what was skipped.")
    var skipInvalid = false

    func validate() throws {
        if inputs.isEmpty {
            throw ValidationError("Give at least one input file or folder, e.g. `binhyen verify data.csv`.")
        }
    }

    var ingestOptions: IngestOptions {
        var options = IngestOptions()
        options.defaultCommune = commune
        options.scheme = period
        switch onConflict {
        case .error: options.onConflict = .error
        case .last: options.onConflict = .last
        case .sum: options.onConflict = .sum
        }
        return options
    }
}
