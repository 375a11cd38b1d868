import ArgumentParser
import BinhYenCore
import BinhYenIngest

/// `--conditions FILE` of `verify` and `report`: the non-count conditions of indicator 19.2,
/// yes/no per commune and year (SPEC §2, §5; docs/guides/Conditions.md).
struct ConditionsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Conditions file (commune, year, condition, met yes/no): the non-count conditions of indicator 19.2.",
                               valueName: "file"))
    var conditions: String?

    /// The records of the conditions file, matched against `panel`; nil without `--conditions`.
    /// Prints the file's findings; an error in the file is exit status 65.
    func read(panel: Panel, encoding: InputEncoding, language: Language, quiet: Bool) throws -> [ConditionRecord]? {
        guard let conditions else { return nil }
        let result = ConditionsReader.read(path: conditions, panel: panel, encoding: encoding)
        Pipeline.printDiagnostics(result.diagnostics, language: language, quiet: quiet)
        if result.hasErrors {
            Console.error(LocalizedText(vi: "tệp điều kiện \(conditions) có lỗi (xem ở trên).",
                                        en: "the conditions file \(conditions) has errors (listed above)."), language)
            throw ExitStatus.invalidData
        }
        return result.records
    }
}
