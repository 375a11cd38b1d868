import ArgumentParser
import BinhYenAnalytics
import BinhYenCore
import BinhYenReport
import BinhYenStats

extension AlertMethod: ExpressibleByArgument {}
extension CUSUMTransform: ExpressibleByArgument {}
extension CUSUMBaseline: ExpressibleByArgument {}
extension FarringtonPowerTransform: ExpressibleByArgument {}
extension FarringtonThresholdMethod: ExpressibleByArgument {}
extension SubperiodKind: ExpressibleByArgument {}

/// `--range FROM:TO`.
struct PeriodRangeArgument: ExpressibleByArgument {
    var from: PeriodArgument
    var to: PeriodArgument?

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let from = PeriodArgument(argument: String(parts[0])) else { return nil }
        self.from = from
        if parts.count == 2, !parts[1].isEmpty {
            guard let to = PeriodArgument(argument: String(parts[1])), to.isWeek == from.isWeek else { return nil }
            self.to = to
        }
    }
}

/// `--limit54 CASES,PERIODS`.
struct Limit54Argument: ExpressibleByArgument {
    var cases: Int
    var periods: Int

    init?(argument: String) {
        let parts = argument.split(separator: ",")
        guard parts.count == 2, let cases = Int(parts[0]), let periods = Int(parts[1]), cases >= 0, periods >= 1 else { return nil }
        self.cases = cases
        self.periods = periods
    }
}

/// `binhyen alerts`: unusual months (or weeks) per unit and measure.
struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Flag unusual months (or weeks): Farrington, CUSUM, Poisson CUSUM or Poisson EWMA per unit and measure.",
        discussion: """
        Monthly by default, weekly when the data carry a week column. Per period: observed, \
        expected, upper bound (the count that raises an alarm), score, alarm and the reason. \
        --range FROM:TO (e.g. 2024-01:2025-12, or 2024-W01:2025-W52) chooses the monitored \
        periods; everything before FROM is history. Defaults: Farrington from the first period \
        with b years and w periods of history; the charts from the first period of the last year.

        Methods (reference implementation in brackets): farrington [surveillance algo.farrington], \
        farrington-flexible [surveillance farringtonFlexible, including its dispersion quirk; \
        --corrected uses the correct dispersion], cusum [surveillance algo.cusum, --trans, --m], \
        poisson-cusum [Lucas 1985: k = (μ1 − μ0)/(ln μ1 − ln μ0), μ1 = --shift × μ0], poisson-ewma \
        [Borror, Champ & Rigdon 1998, exact limits]. Options are surveillance's names in kebab case.
        """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var selection: SelectionOptions

    @Option(help: "Method: farrington, farrington-flexible, cusum, poisson-cusum or poisson-ewma.")
    var method: AlertMethod = .farringtonFlexible

    @Option(help: ArgumentHelp("Monitored periods, e.g. 2024-01:2025-12 (TO optional).", valueName: "FROM:TO"))
    var range: PeriodRangeArgument?

    @Option(help: "Which units: commune, village or all (default all; village with --village).")
    var level: UnitLevel?

    @Option(help: ArgumentHelp("Only this measure, e.g. crime.cases or traffic.deaths.", valueName: "category.metric"))
    var measure: String?

    @Option(help: "Periods: month or week (default: week when the data have a week column, else month).")
    var by: SubperiodKind?

    @Flag(help: "Print only the periods with an alarm.")
    var onlyAlarms = false

    // Farrington (surveillance names).
    @Option(name: .customLong("b"), help: "Farrington: years back for the reference windows (default 5).")
    var yearsBack: Int?

    @Option(name: .customLong("w"), help: "Farrington: half-width of each reference window, in periods (default 3).")
    var halfWindow: Int?

    @Option(help: "Farrington: significance level of the threshold (default 0.05).")
    var alpha: Double?

    @Flag(help: "Farrington: no time trend.")
    var noTrend = false

    @Flag(help: "Farrington: no reweighting of outlying reference values.")
    var noReweight = false

    @Option(help: "Farrington: power transformation of the threshold: 2/3, 1/2 or none.")
    var powertrans: FarringtonPowerTransform = .twoThirds

    @Option(help: "Farrington: Anscombe residual above which a reference value is downweighted (default 1; flexible 2.58).")
    var weightsThreshold: Double?

    @Option(help: ArgumentHelp("Farrington: alarms need CASES cases in the last PERIODS periods (default 5,4).", valueName: "CASES,PERIODS"))
    var limit54: Limit54Argument?

    @Flag(help: "Farrington: add log(population) as an offset (population of each year).")
    var populationOffset = false

    @Option(help: "farrington-flexible: periods at the end of the current window left out of the baseline (default w).")
    var pastExcluded: Int?

    @Option(help: "farrington-flexible: levels of the seasonal factor (noPeriods, default 1).")
    var periods: Int?

    @Option(help: "farrington-flexible: threshold method: delta, nbplugin or muan.")
    var threshold: FarringtonThresholdMethod?

    @Flag(help: "farrington-flexible: use the correct dispersion in the trend test and the prediction error (not surveillance-compatible).")
    var corrected = false

    // CUSUM and EWMA.
    @Option(help: "cusum: standardisation: standard, rossi, anscombe or anscombe2nd.")
    var trans: CUSUMTransform?

    @Option(name: .customLong("m"), help: "cusum: in-control mean: mean (of the history) or glm (seasonal Poisson GLM).")
    var baseline: CUSUMBaseline?

    @Option(name: .customLong("k"), help: "cusum: reference value k (default 1.04); poisson-cusum: k in counts (default from μ0 and μ1).")
    var referenceValue: Double?

    @Option(name: .customLong("h"), help: "cusum, poisson-cusum: decision limit h (defaults 2.26 and 4).")
    var decisionLimit: Double?

    @Option(help: "poisson-cusum: the mean to detect, as a multiple of μ0 (default 1.5).")
    var shift: Double?

    @Option(help: "poisson-ewma: smoothing λ (default 0.2).")
    var lambda: Double?

    @Option(name: .customLong("L"), help: "poisson-ewma: limit width L in standard deviations (default 2.7).")
    var limitWidth: Double?

    func validate() throws {
        if let measure, Catalogue.standard.resolve(measure)?.metric == nil {
            throw ValidationError("Unknown measure '\(measure)'; write it as category.metric, e.g. crime.cases.")
        }
        if let alpha, !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must be between 0 and 1 (e.g. 0.05).") }
        func only(_ used: Bool, _ name: String, _ methods: [AlertMethod]) throws {
            if used && !methods.contains(method) {
                throw ValidationError("\(name) applies to --method \(methods.map(\.rawValue).joined(separator: " or ")), not \(method.rawValue).")
            }
        }
        let farrington: [AlertMethod] = [.farrington, .farringtonFlexible]
        try only(yearsBack != nil, "--b", farrington)
        try only(halfWindow != nil, "--w", farrington)
        try only(alpha != nil, "--alpha", farrington)
        try only(noTrend, "--no-trend", farrington)
        try only(noReweight, "--no-reweight", farrington)
        try only(weightsThreshold != nil, "--weights-threshold", farrington)
        try only(limit54 != nil, "--limit54", farrington)
        try only(populationOffset, "--population-offset", farrington)
        try only(pastExcluded != nil, "--past-excluded", [.farringtonFlexible])
        try only(periods != nil, "--periods", [.farringtonFlexible])
        try only(threshold != nil, "--threshold", [.farringtonFlexible])
        try only(corrected, "--corrected", [.farringtonFlexible])
        try only(trans != nil, "--trans", [.cusum])
        try only(baseline != nil, "--m", [.cusum])
        try only(referenceValue != nil, "--k", [.cusum, .poissonCUSUM])
        try only(decisionLimit != nil, "--h", [.cusum, .poissonCUSUM])
        try only(shift != nil, "--shift", [.poissonCUSUM])
        try only(lambda != nil, "--lambda", [.poissonEWMA])
        try only(limitWidth != nil, "--L", [.poissonEWMA])
        if let shift, !(shift > 1) { throw ValidationError("--shift must be above 1 (e.g. 1.5).") }
        if let range, let kind = by, range.from.isWeek != (kind == .week) {
            throw ValidationError("--range is in \(range.from.isWeek ? "weeks" : "months") but --by is \(kind.rawValue).")
        }
    }

    var options: AlertOptions {
        var farrington = FarringtonOptions(
            variant: method == .farringtonFlexible ? .flexible : .original, yearsBack: yearsBack ?? 5, halfWindow: halfWindow ?? 3,
            alpha: alpha ?? 0.05, reweight: !noReweight, trend: !noTrend, powerTransform: powertrans,
            weightsThreshold: weightsThreshold, pastPeriodsNotIncluded: pastExcluded, seasonalPeriods: periods ?? 1,
            thresholdMethod: threshold ?? .delta, populationOffset: populationOffset, correctedDispersion: corrected)
        if let limit54 {
            farrington.minimumRecentCases = limit54.cases
            farrington.recentPeriods = limit54.periods
        }
        let measures = measure.flatMap { Catalogue.standard.resolve($0) }.flatMap { resolved in
            resolved.metric.map { [Measure(resolved.category, $0)] }
        }
        let kind = by ?? range.map { $0.from.isWeek ? SubperiodKind.week : .month }
        return AlertOptions(method: method, farrington: farrington, cusumTransform: trans ?? .standard,
                            cusumBaseline: baseline ?? .mean, k: referenceValue, h: decisionLimit, shift: shift ?? 1.5,
                            lambda: lambda ?? 0.2, limitWidth: limitWidth ?? 2.7, from: range?.from.point, to: range?.to?.point,
                            kind: kind, level: level ?? (selection.village == nil ? .all : .village), measures: measures)
    }

    func run() throws {
        let language = output.language
        let result = try Pipeline.ingest(input, output)
        let panel = selection.apply(to: result.panel, commune: input.commune)
        var rows: [AlertRow]
        do {
            rows = try AlertsRunner(options: options).run(panel)
        } catch {
            let (message, status) = Self.describe(error)
            Console.error(message, language)
            throw status
        }
        if onlyAlarms { rows = rows.filter { $0.alarm == true || $0.lowAlarm == true } }
        switch output.resolvedFormat {
        case .table, .md: try Pipeline.emit(AlertsReport.compactTable(rows, language: language), to: output)
        case .csv, .json: try Pipeline.emit(AlertsReport.fullTable(rows, language: language), to: output)
        }
    }

    /// The message and exit status for a runner error.
    static func describe(_ error: AlertsError) -> (LocalizedText, ExitCode) {
        switch error {
        case .noSubperiodData(let kind):
            return (LocalizedText(vi: "dữ liệu không có số liệu theo \(kind.label.vi) (cần cột tháng hoặc tuần).",
                                  en: "the data have no \(kind.rawValue)ly counts (a month or week column is needed)."), ExitStatus.invalidData)
        case .rangeOutsideData(let first, let last, let kind):
            return (LocalizedText(vi: "--range nằm ngoài số liệu (từ \(first.label(kind)) đến \(last.label(kind))) hoặc FROM sau TO.",
                                  en: "--range is outside the data (\(first.label(kind)) to \(last.label(kind))) or FROM is after TO."), ExitStatus.usage)
        case .historyTooShort(let shortfall):
            return (shortfall.message, ExitStatus.usage)
        case .noBaseline(let first, let kind):
            return (LocalizedText(vi: "không có số liệu nào trước \(first.label(kind)) làm mức nền; chọn --range bắt đầu muộn hơn.",
                                  en: "there is no history before \(first.label(kind)) for the baseline; start --range later."), ExitStatus.usage)
        case .invalidParameter(let name):
            return (LocalizedText(vi: "tham số không hợp lệ: \(name).", en: "invalid parameter: \(name)."), ExitStatus.usage)
        case .missingPopulation(let unit, let years):
            let list = years.map(String.init).joined(separator: ", ")
            return (LocalizedText(vi: "--population-offset cần số dân của \(unit) các năm \(list).",
                                  en: "--population-offset needs the population of \(unit) for \(list)."), ExitStatus.invalidData)
        }
    }
}
