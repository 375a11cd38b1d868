import ArgumentParser
import BinhYenAnalytics
import BinhYenCore
import BinhYenReport
import BinhYenStats

/// `binhyen trend`: the yearly trend of every series, with OLS, Mann–Kendall and Theil–Sen.
struct Trend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Yearly trend of each series: OLS, Mann–Kendall (exact p for ≤ 10 years) and Theil–Sen.",
        discussion: """
        One row per unit and measure over its complete years (force-majeure cases excluded, as \
        in verify). A missing or incomplete year is left out and named, never read as zero. \
        Mann–Kendall uses the tie- and continuity-corrected normal p and, for up to 10 years, \
        the exact permutation p (conditional on ties), which decides the direction; Theil–Sen \
        gives the median slope per year with Gilbert's interval (null when too few years). \
        The log-linear count model (Poisson, quasi-Poisson or negative binomial NB2; auto \
        chooses by the Pearson overdispersion test) gives the annual rate ratio with its \
        interval, with a log-population offset when the population of every year is known.
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var significance: SignificanceOptions

    @Option(help: "Which units: commune, village or all.")
    var level: UnitLevel = .all

    @Option(help: ArgumentHelp("Only this measure, e.g. crime.cases or traffic.deaths.", valueName: "category.metric"))
    var measure: String?

    @Option(help: "Count model: auto (by the overdispersion check), poisson, quasipoisson or negbin.")
    var model: CountTrendModel = .auto

    func validate() throws {
        if let measure, Catalogue.standard.resolve(measure)?.metric == nil {
            throw ValidationError("Unknown measure '\(measure)'; write it as category.metric, e.g. crime.cases.")
        }
    }

    func run() throws {
        let result = try Pipeline.ingest(input, output)
        let panel = selection.apply(to: result.panel, commune: input.commune)
        let measures = measure.flatMap { Catalogue.standard.resolve($0) }.flatMap { resolved in
            resolved.metric.map { [Measure(resolved.category, $0)] }
        }
        let options = TrendOptions(level: level, measures: measures, confidence: significance.conf,
                                   alpha: significance.alpha, model: model)
        let engine: TrendEngine
        do {
            engine = try TrendEngine(options: options)
        } catch {
            throw ValidationError("--conf and --alpha must be between 0 and 1.")
        }
        let rows = engine.trends(panel)
        let language = output.language
        switch output.resolvedFormat {
        case .table, .md: try Pipeline.emit(TrendReport.compactTable(rows, language: language), to: output)
        case .csv, .json: try Pipeline.emit(TrendReport.fullTable(rows, language: language), to: output)
        }
    }
}
