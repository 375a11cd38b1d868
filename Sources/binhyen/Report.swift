import ArgumentParser
import BinhYenAnalytics
import BinhYenCore
import BinhYenIngest
import BinhYenReport

/// `--format` of `report`.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case html, md
}

/// `binhyen report`: the indicator 19.2 report as one self-contained HTML page or Markdown.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the indicator 19.2 report: one self-contained HTML page (or Markdown) with tables and charts.",
        discussion: """
        Contents: the commune checklist of indicator 19.2 with verdicts and evidence (the \
        conditions that are not counts are listed as not assessed, or judged from the \
        --conditions file with an overall verdict of the whole indicator), yearly charts with the \
        target line, the judged year month by month, village verdicts with small multiples \
        (Theil–Sen trend lines) and one table per village, the funnel plot of village rates \
        (when the data have population), the watch list of `hotspots` (with Gi* and emerging \
        hot spots given --adjacency), the rule packs with their sources and verification status, \
        the period scheme, and the input accounting. The HTML needs no network (inline CSS \
        and SVG, system fonts) and prints on A4. Vietnamese by default; --lang en for English.
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var document: DocumentOptions

    @OptionGroup var conditionsFile: ConditionsOptions

    @Option(help: ArgumentHelp("Village adjacency list (two columns of neighbouring villages): adds Gi* and emerging hot spots to the watch list.",
                               valueName: "file"))
    var adjacency: String?

    @Option(help: "Output format: html (self-contained page) or md (Markdown).")
    var format: ReportFormat = .html

    @Option(help: ArgumentHelp("Rule pack for the village tables: a built-in id or a pack file.", valueName: "id|file"))
    var villageRules: String = "tt124-village"

    func run() throws {
        let language = document.language
        let communePack = try Verify.loadPack(document.rules, language: language)
        let villagePack = try Verify.loadPack(villageRules, language: language)
        let result = try Pipeline.ingest(input, language: language, quiet: document.quiet)
        let panel = result.panel.filtered(commune: input.commune, village: nil, category: nil)
        let options = VerifyOptions(year: document.year)
        guard Verifier(pack: communePack, options: options).year(in: panel) != nil else {
            Console.error(LocalizedText(vi: "không có số liệu năm nào để đánh giá.", en: "there is no year with data to judge."), language)
            throw ExitStatus.invalidData
        }
        let conditions = try conditionsFile.read(panel: panel, encoding: input.encoding, language: language, quiet: document.quiet)
        let edges = try adjacency.map { try Pipeline.readAdjacency($0, panel: panel, language: language, quiet: document.quiet) }
        let reportInput = ReportInput(panel: panel, communePack: communePack, villagePack: villagePack, options: options,
                                      inputs: input.inputs, accounts: Check.accountsTable(result.accounts),
                                      diagnostics: result.diagnostics, skippedInvalid: input.skipInvalid,
                                      toolVersion: BinhYen.configuration.version, conditions: conditions, adjacency: edges)
        let text = Progress.run(LocalizedText(vi: "Đang lập báo cáo", en: "Writing the report")(language), quiet: document.quiet) {
            let report = IndicatorReport.make(reportInput, language: language)
            switch format {
            case .html: return HTMLReportRenderer(language: language).render(report)
            case .md: return MarkdownReportRenderer(language: language).render(report)
            }
        }
        var metadata = ExportMetadata.run(format: format.rawValue, language: language)
        for entry in [MetadataEntry("period", panel.scheme.rawValue), MetadataEntry("rule_pack", communePack.id),
                      MetadataEntry("village_rule_pack", villagePack.id),
                      MetadataEntry("year", String(options.year ?? panel.years.last ?? 0))] {
            metadata.set(entry)
        }
        try document.emit(text, metadata: metadata)
    }
}
