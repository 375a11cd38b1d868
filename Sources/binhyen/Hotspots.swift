import ArgumentParser
import BinhYenAnalytics
import BinhYenCore
import BinhYenIngest
import BinhYenReport
import BinhYenStats

extension GiVariant: ExpressibleByArgument {}
extension HotspotVariable: ExpressibleByArgument {}

/// `binhyen hotspots`: rates, funnel flags, Gi* and emerging classes, and a watch level with
/// reasons for villages trending toward complex-area status (SPEC §6–7).
struct Hotspots: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find villages trending toward complex-area status: a watch list with its reasons.",
        discussion: """
        One row per village and measure for the judged year: rate per 1,000 residents with its \
        exact interval; funnel statistics against the pooled commune rate (or --target-rate): \
        expected count, exact exceedance p, Spiegelhalter's 95% and 99.8% limits and flag; with \
        --adjacency, Getis–Ord Gi* of every year (two-sided p, ArcGIS bins, Benjamini–Hochberg per \
        year) and the emerging hot-spot class of the yearly series; the Mann–Kendall trend of the \
        counts; the rule pack's verdict; and a watch level (none, watch, warning, alarm) from the \
        pack's [watch] rule, with every condition that fired as a plain-language reason. Rows are \
        sorted by watch level, alarm first.

        The adjacency file lists pairs of neighbouring villages (two columns of names or codes, \
        one pair per line, undirected).
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Rule pack: a built-in id (ntm-2021-2025, tt124-village) or a pack file; its [watch] table sets the watch rule.", valueName: "id|file"))
    var rules: String = RulePack.defaultID

    @Option(help: "The judged year (default: the latest year in the data).")
    var year: Int?

    @Option(help: ArgumentHelp("Village adjacency list: CSV with two columns of neighbouring village names or codes.", valueName: "FILE"))
    var adjacency: String?

    @Option(help: "Gi variant: star (binary weights with self), star-row (row-standardised) or gi (without self).")
    var giVariant: GiVariant = .star

    @Option(help: "What Gi* is computed on: count or rate (per 1,000 residents).")
    var variable: HotspotVariable = .count

    @Option(help: ArgumentHelp("Funnel target in events per 1,000 residents (default: the pooled commune rate).", valueName: "R"))
    var targetRate: Double?

    @Option(help: "Confidence level of the rate intervals.")
    var conf: Double = 0.95

    @Option(help: "Significance level of Gi*, the trend test and the rule tests.")
    var alpha: Double = 0.05

    @Option(help: ArgumentHelp("Only this village (name or code).", valueName: "name"))
    var village: String?

    @Option(help: ArgumentHelp("Only this category (id or Vietnamese label); default: the measures of the rule pack.", valueName: "category"))
    var category: String?

    func validate() throws {
        guard conf > 0 && conf < 1 else { throw ValidationError("--conf must be between 0 and 1 (e.g. 0.95).") }
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1 (e.g. 0.05).") }
        if let year, !(1900...2100).contains(year) { throw ValidationError("--year must be between 1900 and 2100.") }
        if let targetRate, !(targetRate > 0 && targetRate.isFinite) {
            throw ValidationError("--target-rate must be a positive number of events per 1,000 residents (e.g. 3.5).")
        }
        if let category, Catalogue.standard.resolve(category) == nil {
            throw ValidationError("Unknown category '\(category)'. Known: \(Catalogue.standard.categories.map(\.id.rawValue).joined(separator: ", ")).")
        }
    }

    func run() throws {
        let language = output.language
        let pack = try Verify.loadPack(rules, language: language)
        let result = try Pipeline.ingest(input, output)
        let chosen = category.flatMap { Catalogue.standard.resolve($0) }
        let panel = result.panel.filtered(commune: input.commune, village: nil, category: chosen?.category)
        let edges = try adjacency.map { try Pipeline.readAdjacency($0, panel: panel, language: language, quiet: output.quiet) }
        var measures: [Measure]?
        if let chosen {
            // Money (damage_vnd) is not a count of events: no rates, funnels or Poisson models.
            let present = panel.measures.filter { $0.category == chosen.category && $0.metric != .damageVND }
            measures = chosen.metric.map { metric in present.filter { $0.metric == metric } } ?? present
        }
        let options = HotspotOptions(year: year, alpha: alpha, confidence: conf, targetRatePer1000: targetRate,
                                     variable: variable, variant: giVariant, measures: measures)
        let analyzer = HotspotAnalyzer(pack: pack, options: options)
        guard options.year ?? panel.years.last != nil else {
            Console.error(LocalizedText(vi: "không có số liệu năm nào để phân tích.", en: "there is no year with data to analyse."), language)
            throw ExitStatus.invalidData
        }
        var rows = analyzer.analyze(panel, edges: edges)
        // The village filter applies after the analysis: Gi* and the pooled rate need every village.
        if let village {
            let key = TextKey.unitKey(village)
            rows = rows.filter { $0.villageCode == village || TextKey.unitKey($0.village) == key }
        }
        let table: OutputTable
        switch output.resolvedFormat {
        case .table, .md: table = HotspotReport.compactTable(rows, language: language)
        case .csv, .json: table = HotspotReport.fullTable(rows, language: language)
        }
        try Pipeline.emit(table, to: output)
    }
}
