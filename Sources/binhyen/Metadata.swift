import ArgumentParser
import BinhYenCore
import BinhYenReport

/// `--metadata` values (issue 7, tidy exports).
enum MetadataMode: String, ExpressibleByArgument, CaseIterable {
    /// `# key: value` lines before the CSV header.
    case comment
    /// `FILE.meta.json` next to `--output`.
    case sidecar
    /// Nothing: the CSV stays pure (default).
    case none

    /// A sidecar needs a file to sit next to; comment lines exist only in CSV.
    func validate(output: String?, commentAllowed: Bool) throws {
        if self == .sidecar && output == nil {
            throw ValidationError("--metadata sidecar writes FILE.meta.json next to --output FILE; give --output.")
        }
        if self == .comment && !commentAllowed {
            throw ValidationError("--metadata comment adds # lines to CSV only; use --format csv, or --metadata sidecar with --output.")
        }
    }
}

extension ExportMetadata {
    /// Tool, version and command of this run, then the output's own settings.
    static func run(format: String, language: Language, excel: Bool = false) -> ExportMetadata {
        var entries = [MetadataEntry("tool", "binhyen"), MetadataEntry("tool_version", BinhYen.configuration.version)]
        if let command = invokedCommand { entries.append(MetadataEntry("command", command)) }
        entries += [MetadataEntry("format", format), MetadataEntry("language", language.rawValue)]
        if excel { entries.append(MetadataEntry("excel", "true")) }
        return ExportMetadata(entries)
    }

    /// The subcommand name of this process (`verify`), from the first argument.
    static var invokedCommand: String? {
        let names = BinhYen.configuration.subcommands.map { $0._commandName }
        return CommandLine.arguments.dropFirst().first.flatMap { names.contains($0) ? $0 : nil }
    }

    /// Writes the sidecar `output.meta.json` atomically; does nothing without `output`.
    static func writeSidecar(_ metadata: ExportMetadata, next output: String?, language: Language) throws {
        guard let output else { return }
        try OutputOptions.write(Array(metadata.sidecarJSON().utf8), to: output + ".meta.json", language: language)
    }
}

extension OutputOptions {
    /// The run's metadata followed by the facts the table carries (period, rule pack, year).
    func exportMetadata(_ table: OutputTable?) -> ExportMetadata {
        var metadata = ExportMetadata.run(format: resolvedFormat.rawValue, language: language, excel: excel)
        for entry in table?.metadata ?? [] { metadata.set(entry) }
        return metadata
    }
}
