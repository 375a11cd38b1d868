import ArgumentParser
import BinhYenAnalytics
import BinhYenCore
import BinhYenReport

/// `--format` of `chart`.
enum ChartFormat: String, ExpressibleByArgument, CaseIterable {
    case svg
    case vegaLite = "vega-lite"
}

extension ChartKind: ExpressibleByArgument {}

/// `binhyen chart`: one chart as a standalone SVG or a Vega-Lite v5 spec with the data inline.
struct ChartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart",
        abstract: "Draw one chart as SVG, or write it as a Vega-Lite v5 spec for external tools.",
        discussion: """
        Kinds: totals (commune yearly totals of the measure, bars coloured by each year's verdict \
        against the year before, with the judged year's target line — e.g. ⌊19·prev/20⌋ for \
        "down ≥ 5%" — and the previous year's level), villages (the same per village, small \
        multiples on one scale, each with its Theil–Sen trend line over the complete years — the \
        sen_slope of `trend`), months (cumulative monthly counts of the judged year against \
        the previous year, with the full-year target), funnel (village rates per 1,000 against \
        population in the judged year, with the pooled commune rate and Spiegelhalter's 95% and \
        99.8% limits; villages outside the limits named). Counts are those verify judges: \
        force-majeure cases removed; a missing or incomplete year is a gap, never zero. \
        --village NAME draws one village: its yearly counts with target and trend line, or \
        (--kind months) its cumulative months against the previous year.
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var document: DocumentOptions

    @Option(help: "Which chart: totals, villages, months or funnel.")
    var kind: ChartKind = .totals

    @Option(help: ArgumentHelp("The measure to draw, e.g. crime.cases or traffic.deaths.", valueName: "category.metric"))
    var measure: String = "crime.cases"

    @Option(help: "Output format: svg (standalone image) or vega-lite (JSON spec with the data inline).")
    var format: ChartFormat = .svg

    @Option(help: ArgumentHelp("One village only (name or code): its yearly counts with the trend line (--kind totals or villages) or its months (--kind months).",
                               valueName: "name"))
    var village: String?

    func validate() throws {
        if village != nil && kind == .funnel {
            throw ValidationError("--village does not apply to --kind funnel (the funnel plot compares all villages).")
        }
        if Self.measure(measure) == nil {
            throw ValidationError("Unknown measure '\(measure)'. Write category.metric, e.g. crime.cases, social_evil.cases, traffic.deaths.")
        }
    }

    /// The measure `text` names (metric `cases` when only a category is named).
    static func measure(_ text: String) -> Measure? {
        Catalogue.standard.resolve(text).map { Measure($0.category, $0.metric ?? .cases) }
    }

    func run() throws {
        let language = document.language
        let pack = try Verify.loadPack(document.rules, language: language)
        let result = try Pipeline.ingest(input, language: language, quiet: document.quiet)
        let panel = result.panel.filtered(commune: input.commune, village: village, category: nil)
        let villageIndex = panel.units.indices.first { panel.units[$0].kind == .village }
        if let village, villageIndex == nil || panel.units.filter({ $0.kind == .village }).count > 1 {
            Console.error(LocalizedText(vi: "không tìm thấy đúng một khu dân cư “\(village)” trong dữ liệu.",
                                        en: "no single village “\(village)” in the data."), language)
            throw ExitStatus.invalidData
        }
        guard let measure = Self.measure(measure) else { throw ExitStatus.usage }
        guard panel.measures.contains(measure) else {
            let known = panel.measures.map(\.description).joined(separator: ", ")
            Console.error(LocalizedText(vi: "dữ liệu không có chỉ số \(measure) (có: \(known)).",
                                        en: "the data has no \(measure) series (present: \(known))."), language)
            throw ExitStatus.invalidData
        }
        let options = VerifyOptions(year: document.year)
        let chart: Chart
        switch (kind, village == nil ? nil : villageIndex) {
        case (.totals, .some), (.villages, .some): chart = ChartBuilder.villages(panel: panel, measure: measure, pack: pack, options: options)
        case (.months, .some(let unit)): chart = ChartBuilder.months(panel: panel, measure: measure, pack: pack, options: options, village: unit)
        default: chart = ChartBuilder.make(kind, panel: panel, measure: measure, pack: pack, options: options)
        }
        guard chart.hasData else {
            Console.error(LocalizedText(vi: "không có số liệu để vẽ biểu đồ \(kind.rawValue) cho \(measure) (biểu đồ tháng cần số liệu theo tháng).",
                                        en: "there is nothing to draw for the \(kind.rawValue) chart of \(measure) (the months chart needs monthly data)."), language)
            throw ExitStatus.invalidData
        }
        let text: String
        switch format {
        case .svg: text = SVGChartRenderer(language: language).render(chart)
        case .vegaLite: text = VegaLiteRenderer(language: language).render(chart)
        }
        var metadata = ExportMetadata.run(format: format.rawValue, language: language)
        for entry in [MetadataEntry("chart_kind", kind.rawValue), MetadataEntry("measure", measure.description),
                      MetadataEntry("period", panel.scheme.rawValue), MetadataEntry("rule_pack", pack.id),
                      MetadataEntry("year", String(options.year ?? panel.years.last ?? 0))] {
            metadata.set(entry)
        }
        if let villageIndex, village != nil { metadata.set(MetadataEntry("village", panel.units[villageIndex].name)) }
        try document.emit(text, metadata: metadata)
    }
}
