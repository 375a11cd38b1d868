import ArgumentParser
import BinhYenAnalytics
import BinhYenCore
import BinhYenIngest
import BinhYenReport
import Foundation

/// `--zero-base` values (SPEC §5).
enum ZeroBaseArgument: String, ExpressibleByArgument, CaseIterable {
    case met
    case notApplicable = "not-applicable"

    var policy: ZeroBasePolicy { self == .met ? .metIfZero : .notApplicable }
}


/// `binhyen verify`: the verdict of each rule of a rule pack, with its evidence.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Judge each rule of a rule pack for one year against the previous year.",
        discussion: """
        One row per unit and rule, and one overall row per commune (met only if every rule is \
        met). With --conditions, each commune also gets one row per non-count condition of \
        indicator 19.2 (met or not met as the file says) and an overall row of the whole \
        indicator (rule all_with_conditions: every count rule and every condition met); the \
        count verdict (rule all) is unchanged. Each row carries its evidence: previous and current counts, force-majeure \
        exclusions, change, percent change, the largest count that still meets the rule, the \
        exact conditional test of the change (R poisson.test), its mid-p variant, the rate ratio \
        with exact and mid-p confidence intervals, and a one-line sentence in the chosen language.

        The 5% test is exact integer arithmetic (met ⇔ 20·curr ≤ 19·prev). Built-in packs: \
        ntm-2021-2025 (default; commune), tt124-village (villages), ntm-2026-2030-template.
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Rule pack: a built-in id (ntm-2021-2025, tt124-village) or a pack file.", valueName: "id|file"))
    var rules: String = RulePack.defaultID

    @Option(help: "The year to judge against the year before (default: the latest year in the data).")
    var year: Int?

    @Option(help: "When the previous year had no cases: met (0 → 0 met, 0 → n not met) or not-applicable. Default: the pack's policy.")
    var zeroBase: ZeroBaseArgument?

    @Option(help: "Which units to judge: commune, village or all. Default: the pack's level.")
    var level: UnitLevel?

    @Flag(help: "Judge per-capita rates (population of each year as exposure) instead of counts.")
    var rates = false

    @OptionGroup var conditionsFile: ConditionsOptions
    @OptionGroup var significance: SignificanceOptions
    @OptionGroup var selection: SelectionOptions

    @Flag(help: "Add the trend of each series and the forecast of next year (probability of meeting the rule again).")
    var details = false

    @Flag(help: "Exit with status 1 when an overall verdict is not met.")
    var failOnNotMet = false

    func validate() throws {
        if let year, !(1900...2100).contains(year) { throw ValidationError("--year must be between 1900 and 2100.") }
    }

    func run() throws {
        let language = output.language
        let pack = try selection.restrict(Self.loadPack(rules, language: language), language: language)
        let result = try Pipeline.ingest(input, output)
        let panel = selection.apply(to: result.panel, commune: input.commune)
        var options = VerifyOptions(year: year, zeroBase: zeroBase?.policy, useRates: rates,
                                    confidence: significance.conf, alpha: significance.alpha, level: level)
        // A single village is judged as a village, not as a one-village commune.
        if level == nil && selection.village != nil { options.level = .village }
        let verifier = Verifier(pack: pack, options: options)
        guard verifier.year(in: panel) != nil else {
            Console.error(LocalizedText(vi: "không có số liệu năm nào để đánh giá.", en: "there is no year with data to judge."), language)
            throw ExitStatus.invalidData
        }
        let countRows = verifier.verify(panel)
        let rows: [VerdictRow]
        if selection.category != nil {
            // Only that category's rules: no conditions and no overall verdict, which needs every
            // rule and would read as the commune's.
            rows = countRows.filter { !$0.isOverall }
        } else {
            let records = try conditionsFile.read(panel: panel, encoding: input.encoding, language: language, quiet: output.quiet)
            rows = records.map { ConditionJudgement.apply(countRows, records: $0) } ?? countRows
        }
        var table: OutputTable
        let compact: Bool
        switch output.resolvedFormat {
        case .table, .md:
            let sentences = rows.map { LocalizedText.same(VerdictSentence.make($0, language: language)) }
            table = VerifyReport.compactTable(rows, language: language, footnotes: sentences + Self.footnotes(pack))
            compact = true
        case .csv, .json:
            table = VerifyReport.fullTable(rows, language: language)
            compact = false
        }
        if details, let judged = verifier.year(in: panel) {
            let level = options.level ?? (pack.level == .commune ? .commune : .village)
            let trendOptions = TrendOptions(confidence: significance.conf, alpha: significance.alpha)
            let forecasts = try VerdictDetails(panel: panel, year: judged, pack: pack, level: level,
                                               trendOptions: trendOptions, zeroBase: options.zeroBase)
            table = VerifyReport.withDetails(table, rows: rows, details: forecasts, language: language, compact: compact)
        }
        try Pipeline.emit(table, to: output)
        if failOnNotMet && rows.contains(where: { $0.isOverall && $0.verdict == .notMet }) {
            throw ExitStatus.notMet
        }
    }

    /// The built-in pack `rules` names, or the pack file at that path; prints why on failure.
    static func loadPack(_ rules: String, language: Language) throws -> RulePack {
        do {
            return try RulePack.builtInIDs.contains(rules) ? RulePack.builtIn(id: rules) : RulePack.load(path: rules)
        } catch {
            Console.error(LocalizedText.same(error.rendered(language)), language)
            // A pack that is not there is a usage error; a pack file that does not parse is invalid data.
            throw FileManager.default.fileExists(atPath: rules) ? ExitStatus.invalidData : ExitStatus.usage
        }
    }

    /// The pack's title and sources, and a warning when its numbers are not verified.
    static func footnotes(_ pack: RulePack) -> [LocalizedText] {
        var notes = [LocalizedText(vi: "Bộ quy tắc \(pack.id): \(pack.title.vi)", en: "Rule pack \(pack.id): \(pack.title.en)")]
        notes += pack.sources.map { LocalizedText.same($0) }
        if !pack.verified {
            notes.append(LocalizedText(
                vi: "Lưu ý: ngưỡng của bộ quy tắc chưa được đối chiếu với văn bản gốc; kiểm tra trước khi dùng trong báo cáo chính thức.",
                en: "Note: the pack's thresholds are not verified against the official text; check before official use."))
        }
        return notes
    }
}
