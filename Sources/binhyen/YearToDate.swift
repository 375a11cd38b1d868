import ArgumentParser
import BinhYenAnalytics
import BinhYenCore
import BinhYenReport

/// `YYYY-MM` (a month) or `YYYY-Www` (a week) on the command line.
struct PeriodArgument: ExpressibleByArgument, Hashable {
    var point: PeriodPoint
    var isWeek: Bool

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), (1900...2100).contains(year) else { return nil }
        var number = Substring(parts[1])
        isWeek = number.first == "W" || number.first == "w"
        if isWeek { number = number.dropFirst() }
        guard (1...2).contains(number.count), let value = Int(number), value >= 1, value <= (isWeek ? 53 : 12) else { return nil }
        point = PeriodPoint(year: year, number: value)
    }
}

/// `binhyen ytd`: year to date, headroom and the chance of meeting each rule at year end.
struct YearToDate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ytd",
        abstract: "Year to date against the same months of last year, and how many more cases the year can hold.",
        discussion: """
        For each unit (commune totals and villages) and each rule of the pack: the count of \
        months 1…M of the year (--through YYYY-M; the labelled months of the data), the same \
        months of the previous year, the largest count the whole year may reach and still meet \
        the rule (⌊19·prev/20⌋ for "down ≥ 5%", prev − 1 for "down", 0 for "none", from the \
        previous FULL year), the headroom left, whether the rule is already lost, and the \
        probability of meeting it at year end.

        The probability comes from a seasonal count model of the remaining months: monthly \
        shares and overdispersion from up to 5 complete past years, this year's level from the \
        count so far shrunk towards the past mean (weight of half a year), with the level's \
        uncertainty included (negative binomial). A missing month makes the year to date \
        missing, never zero.
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("The year and last month counted, e.g. 2025-06.", valueName: "YYYY-MM"))
    var through: PeriodArgument

    @Option(help: ArgumentHelp("Rule pack: a built-in id (ntm-2021-2025, tt124-village) or a pack file.", valueName: "id|file"))
    var rules: String = RulePack.defaultID

    @Option(help: "When the previous year had no cases: met (the year must stay at 0) or not-applicable. Default: the pack's policy.")
    var zeroBase: ZeroBaseArgument?

    @Option(help: "Which units: commune, village or all (default all; village with --village).")
    var level: UnitLevel?

    @Option(help: "Level of the interval of the projected year total.")
    var conf: Double = 0.95

    @OptionGroup var selection: SelectionOptions

    func validate() throws {
        if through.isWeek { throw ValidationError("--through takes a month, e.g. 2025-06.") }
        guard conf > 0 && conf < 1 else { throw ValidationError("--conf must be between 0 and 1 (e.g. 0.95).") }
    }

    func run() throws {
        let language = output.language
        let pack = try Verify.loadPack(rules, language: language)
        let result = try Pipeline.ingest(input, output)
        let panel = selection.apply(to: result.panel, commune: input.commune)
        let categories = selection.category.flatMap { Catalogue.standard.resolve($0) }.map { Set([$0.category]) }
        let options = YearToDateOptions(through: through.point, zeroBase: zeroBase?.policy,
                                        level: level ?? (selection.village == nil ? .all : .village), confidence: conf,
                                        categories: categories)
        let rows = YearToDateEngine(pack: pack, options: options).rows(panel)
        guard !rows.isEmpty else {
            Console.error(LocalizedText(vi: "không có đơn vị hoặc tiêu chí nào để tính lũy kế.",
                                        en: "there is no unit or rule to compute a year to date for."), language)
            throw ExitStatus.invalidData
        }
        switch output.resolvedFormat {
        case .table, .md:
            try Pipeline.emit(YearToDateReport.compactTable(rows, language: language, footnotes: Verify.footnotes(pack)), to: output)
        case .csv, .json:
            try Pipeline.emit(YearToDateReport.fullTable(rows, language: language), to: output)
        }
    }
}
