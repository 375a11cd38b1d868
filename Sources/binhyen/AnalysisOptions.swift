import ArgumentParser
import BinhYenAnalytics
import BinhYenCore

/// `--village` and `--category`: which part of the panel an analysis looks at (SPEC §7).
struct SelectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this village (name or code).", valueName: "name"))
    var village: String?

    @Option(help: ArgumentHelp("Only this category (id or Vietnamese label, e.g. crime or TTXH).", valueName: "category"))
    var category: String?

    func validate() throws {
        if let category, Catalogue.standard.resolve(category) == nil {
            throw ValidationError("Unknown category '\(category)'. Known: \(Catalogue.standard.categories.map(\.id.rawValue).joined(separator: ", ")).")
        }
    }

    /// The part of `panel` selected by `--commune` (from the input options), `--village` and `--category`.
    func apply(to panel: Panel, commune: String?) -> Panel {
        panel.filtered(commune: commune, village: village,
                       category: category.flatMap { Catalogue.standard.resolve($0)?.category })
    }

    /// `pack` with only the rules of `--category` (all rules without it), so that a question about
    /// one category is not answered with "insufficient data" for every other one.
    /// Throws a usage error when the pack has no rule for that category.
    func restrict(_ pack: RulePack, language: Language) throws -> RulePack {
        guard let category, let wanted = Catalogue.standard.resolve(category)?.category else { return pack }
        var restricted = pack
        restricted.rules = pack.rules.filter { $0.measure.category == wanted }
        guard restricted.rules.isEmpty else { return restricted }
        Console.error(LocalizedText(
            vi: "bộ quy tắc \(pack.id) không có quy tắc nào cho lĩnh vực “\(category)”.",
            en: "rule pack \(pack.id) has no rule for the category '\(category)'."), language)
        throw ExitStatus.usage
    }
}

/// `--conf` and `--alpha` (SPEC §6: defaults 0.95 and 0.05).
struct SignificanceOptions: ParsableArguments {
    @Option(help: "Confidence level of the intervals.")
    var conf: Double = 0.95

    @Option(help: "Significance level of the tests.")
    var alpha: Double = 0.05

    func validate() throws {
        guard conf > 0 && conf < 1 else { throw ValidationError("--conf must be between 0 and 1 (e.g. 0.95).") }
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1 (e.g. 0.05).") }
    }
}

extension UnitLevel: ExpressibleByArgument {}
