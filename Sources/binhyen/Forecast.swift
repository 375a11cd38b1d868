import ArgumentParser
import BinhYenAnalytics
import BinhYenCore
import BinhYenReport
import BinhYenStats

extension CountTrendModel: ExpressibleByArgument {}

/// `binhyen forecast`: next year's count of each rule's measure and the chance the rule is met.
struct Forecast: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forecast next year's count per rule and the probability of meeting it.",
        discussion: """
        Fits the log-linear count model (METHODS §6) to the complete years of each unit and \
        rule measure, and forecasts the year after the last one: mean, 95% prediction interval \
        and the probability that the count stays at or below the rule's largest allowed value \
        (e.g. ⌊19·last/20⌋ for the 5% rule), with the uncertainty of the fitted trend integrated \
        (Gauss–Hermite), not only the plug-in estimate. Never read a point forecast alone.
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var significance: SignificanceOptions

    @Option(help: ArgumentHelp("Rule pack: a built-in id (ntm-2021-2025, tt124-village) or a pack file.", valueName: "id|file"))
    var rules: String = RulePack.defaultID

    @Option(help: "Which units: commune, village or all. Default: the pack's level.")
    var level: UnitLevel?

    @Option(help: "Count model: auto (by the overdispersion check), poisson, quasipoisson or negbin.")
    var model: CountTrendModel = .auto

    @Option(help: "When the last year had no cases: met (0 stays 0) or not-applicable. Default: the pack's policy.")
    var zeroBase: ZeroBaseArgument?

    func run() throws {
        let language = output.language
        let pack = try selection.restrict(Verify.loadPack(rules, language: language), language: language)
        let result = try Pipeline.ingest(input, output)
        let panel = selection.apply(to: result.panel, commune: input.commune)
        let defaultLevel: UnitLevel = pack.level == .commune && selection.village == nil ? .commune : .village
        let options = TrendOptions(level: level ?? defaultLevel, confidence: significance.conf,
                                   alpha: significance.alpha, model: model)
        let engine: ForecastEngine
        do {
            engine = try ForecastEngine(pack: pack, trendOptions: options, zeroBase: zeroBase?.policy)
        } catch {
            throw ValidationError("--conf and --alpha must be between 0 and 1.")
        }
        let rows = engine.forecasts(panel)
        switch output.resolvedFormat {
        case .table, .md: try Pipeline.emit(ForecastReport.compactTable(rows, language: language), to: output)
        case .csv, .json: try Pipeline.emit(ForecastReport.fullTable(rows, language: language), to: output)
        }
    }
}
