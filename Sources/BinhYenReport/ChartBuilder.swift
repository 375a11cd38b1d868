import BinhYenAnalytics
import BinhYenCore

/// Builds the charts available today from a panel and a rule pack (issue 7; SPEC §7 `chart`).
///
/// Yearly values and verdicts come from `Verifier`, run once per year with that year as the
/// judged year, so a chart shows exactly what `verify` judges: judged counts (count minus
/// force-majeure cases), commune totals summed from villages when the input has no commune
/// rows, and a missing or incomplete year as a gap (never a zero). Each bar is coloured by the
/// verdict of its year against the year before under the pack's rule for the measure (the first
/// year, a year after a gap and a rule that does not apply are "not judged"); without a rule for
/// the measure the bars are plain and there is no target line.
public enum ChartBuilder {
    /// The chart of `kind` for `measure`. `options.year` chooses the judged year (default: the latest).
    public static func make(_ kind: ChartKind, panel: Panel, measure: Measure, pack: RulePack,
                            options: VerifyOptions = VerifyOptions(), catalogue: Catalogue = .standard) -> Chart {
        switch kind {
        case .totals: return totals(panel: panel, measure: measure, pack: pack, options: options, catalogue: catalogue)
        case .villages: return villages(panel: panel, measure: measure, pack: pack, options: options, catalogue: catalogue)
        case .months: return months(panel: panel, measure: measure, pack: pack, options: options, catalogue: catalogue)
        case .funnel:
            let hotspotOptions = HotspotOptions(year: options.year, alpha: options.alpha, confidence: options.confidence, measures: [measure])
            let rows = HotspotAnalyzer(pack: pack, options: hotspotOptions).analyze(panel, edges: nil)
            return funnel(rows: rows, measure: measure, catalogue: catalogue)
        }
    }

    /// (a) Commune yearly totals of `measure`, one panel per commune, with the judged year's
    /// target (the largest count that meets the rule, e.g. ⌊19·prev/20⌋ for "down ≥ 5%") and the
    /// previous year's level as reference lines; the subtitle is the verdict's evidence sentence.
    public static func totals(panel: Panel, measure: Measure, pack: RulePack, options: VerifyOptions = VerifyOptions(),
                              catalogue: Catalogue = .standard) -> Chart {
        let context = Context(panel: panel, measure: measure, pack: pack, options: options, catalogue: catalogue)
        let history = context.history(level: .commune)
        var panels: [ChartPanel] = []
        var sentences: [LocalizedText] = []
        for commune in panel.communes {
            let name = panel.units[commune].name
            let rows = history.mapValues { $0.first { $0.unitKind == .commune && $0.commune == name } }
            var chartPanel = ChartPanel(title: name, series: [context.yearlySeries(rows)])
            if context.hasRule, let judged = rows[context.year] ?? nil {
                chartPanel.references = context.references(judged, previousLevel: true)
                sentences.append(LocalizedText(vi: VerdictSentence.make(judged, language: .vi, catalogue: catalogue),
                                               en: VerdictSentence.make(judged, language: .en, catalogue: catalogue)))
            }
            panels.append(chartPanel)
        }
        if panels.count == 1 { panels[0].title = nil }
        let unitName = panel.communes.count == 1 ? panel.units[panel.communes[0]].name : nil
        let title = LocalizedText(
            vi: "\(context.label.vi): \(context.metricLabel.vi) theo năm" + (unitName.map { " — \($0)" } ?? ""),
            en: "\(context.label.en): \(context.metricLabel.en) by year" + (unitName.map { " — \($0)" } ?? ""))
        return Chart(kind: .totals, title: title, subtitle: sentences.count == 1 ? sentences[0] : context.ruleSubtitle,
                     xAxis: context.yearAxis, yAxis: context.valueAxis, panels: panels,
                     notes: context.notes(history: history))
    }

    /// (b) Yearly counts of `measure` in every village, as small multiples with one y scale;
    /// bars coloured by each village's verdict under the pack's rule, the judged year's target
    /// dashed, and each village's Theil–Sen trend line (`trendLine`). A panel with one village
    /// (`--village`) gives one chart titled with the village's name.
    public static func villages(panel: Panel, measure: Measure, pack: RulePack, options: VerifyOptions = VerifyOptions(),
                                catalogue: Catalogue = .standard) -> Chart {
        let context = Context(panel: panel, measure: measure, pack: pack, options: options, catalogue: catalogue)
        let history = context.history(level: .village)
        let trends = trendRows(panel: panel, measure: measure, through: context.year, options: options)
        let several = panel.communes.count > 1
        var panels: [ChartPanel] = []
        for commune in panel.communes {
            let communeName = panel.units[commune].name
            for village in panel.villages(of: commune) {
                let name = panel.units[village].name
                let rows = history.mapValues { $0.first { $0.unitKind == .village && $0.village == name && $0.commune == communeName } }
                var series = [context.yearlySeries(rows)]
                if let trend = trends.first(where: { $0.village == name && $0.commune == communeName }),
                   let line = trendLine(trend, axis: context.yearAxis) {
                    series.append(line)
                }
                var chartPanel = ChartPanel(title: several ? "\(communeName) / \(name)" : name, series: series)
                if context.hasRule, let judged = rows[context.year] ?? nil {
                    chartPanel.references = context.references(judged, previousLevel: false)
                }
                panels.append(chartPanel)
            }
        }
        var title = LocalizedText(vi: "\(context.label.vi): \(context.metricLabel.vi) theo năm ở từng khu dân cư",
                                  en: "\(context.label.en): \(context.metricLabel.en) by year in each village")
        if panels.count == 1, let name = panels[0].title {
            title = LocalizedText(vi: "\(context.label.vi): \(context.metricLabel.vi) theo năm — \(name)",
                                  en: "\(context.label.en): \(context.metricLabel.en) by year — \(name)")
            panels[0].title = nil
        }
        var notes = context.notes(history: history)
        if panels.contains(where: { $0.series.contains { $0.id == trendSeriesID } }) { notes.append(trendNote) }
        return Chart(kind: .villages, title: title, subtitle: context.ruleSubtitle, xAxis: context.yearAxis,
                     yAxis: context.valueAxis, panels: panels, notes: notes)
    }

    /// The `id` of trend-line series.
    public static let trendSeriesID = "trend"

    static let trendNote = LocalizedText(
        vi: "Đường xu hướng: độ dốc Theil–Sen (trung vị các độ dốc từng cặp năm) với hệ số chặn Conover, trên các năm đủ kỳ đến năm đánh giá — đúng các số sen_slope của lệnh binhyen trend; vẽ từ năm đủ kỳ đầu đến năm đủ kỳ cuối, không vẽ dưới 0.",
        en: "Trend line: Theil–Sen slope (median of the pairwise slopes) with Conover's intercept over the complete years up to the judged year — the sen_slope of binhyen trend; drawn from the first to the last complete year, never below 0.")

    /// The `trend` command's rows of `measure` for every village, on the panel cut at `year`
    /// (years after the judged year do not bend the line).
    static func trendRows(panel: Panel, measure: Measure, through year: Int, options: VerifyOptions) -> [TrendRow] {
        let trendOptions = TrendOptions(level: .village, measures: [measure], confidence: options.confidence, alpha: options.alpha)
        guard let engine = try? TrendEngine(options: trendOptions) else { return [] }
        return engine.trends(panel.through(year: year))
    }

    /// The Theil–Sen line of `row` as a line series over the axis years from its first to its last
    /// complete year: `y = interceptYear0 + slope·year`, clipped at 0. Nil with fewer than two
    /// complete years.
    public static func trendLine(_ row: TrendRow, axis: ChartAxis) -> ChartSeries? {
        guard let theilSen = row.summary?.theilSen, let slope = theilSen.slope, let intercept = theilSen.interceptYear0,
              let first = row.years.first, let last = row.years.last, first < last else { return nil }
        let points = axis.categories.map { category -> ChartPoint in
            guard (first...last).contains(category.value) else { return ChartPoint(x: category.value, y: nil) }
            return ChartPoint(x: category.value, y: max(0, intercept + slope * Double(category.value)))
        }
        return ChartSeries(id: trendSeriesID,
                           label: LocalizedText(vi: "Xu hướng Theil–Sen (các năm đủ kỳ)", en: "Theil–Sen trend (complete years)"),
                           mark: .line, tone: .trend, points: points)
    }

    /// (c) Cumulative monthly counts of the judged year against the previous year (from
    /// `YearValue.months`; a commune without its own rows adds up its villages month by month,
    /// a month is drawn only when every village has it), with the judged year's full-year
    /// ceiling: the verdict's `targetMax`, or for a year still in progress the ceiling `ytd`
    /// uses — `RuleTest.targetMax` of the previous full year's judged count (⌊19·prev/20⌋ for
    /// "down ≥ 5%").
    /// Monthly values are raw counts (force-majeure cases included); a year without monthly
    /// values gives an empty chart (`hasData == false`). `village` (an index into `panel.units`)
    /// draws that one village instead of the communes (`chart --village`).
    public static func months(panel: Panel, measure: Measure, pack: RulePack, options: VerifyOptions = VerifyOptions(),
                              catalogue: Catalogue = .standard, village: Int? = nil) -> Chart {
        let context = Context(panel: panel, measure: measure, pack: pack, options: options, catalogue: catalogue)
        let year = context.year
        let judgedRows = context.rows(year: year, level: village == nil ? .commune : .village)
        var panels: [ChartPanel] = []
        var excluded = 0
        var sentences: [LocalizedText] = []
        for unit in village.map({ [$0] }) ?? panel.communes {
            let name = panel.units[unit].name
            let series = [(year - 1, ChartTone.previous), (year, ChartTone.current)].map { seriesYear, tone in
                ChartSeries(id: "year_\(seriesYear)", label: .same(String(seriesYear)), mark: .line, tone: tone,
                            points: cumulative(monthly(panel, unit: unit, measure: measure, year: seriesYear)))
            }
            var chartPanel = ChartPanel(title: name, series: series)
            if context.hasRule, let judged = judgedRows.first(where: { $0.unitName == name }),
               let target = judged.targetMax ?? context.yearToDateCeiling(previous: judged.prev) {
                chartPanel.references = [ReferenceLine(
                    id: "target", label: LocalizedText(vi: "Mức tối đa cả năm \(year) để đạt", en: "Most allowed in \(year) to meet the rule"),
                    y: Double(target), tone: .target)]
                excluded += judged.currExcluded ?? 0
                sentences.append(LocalizedText(vi: VerdictSentence.make(judged, language: .vi, catalogue: catalogue),
                                               en: VerdictSentence.make(judged, language: .en, catalogue: catalogue)))
            }
            panels.append(chartPanel)
        }
        if panels.count == 1 { panels[0].title = nil }
        var notes = [LocalizedText(
            vi: "Số liệu tháng là số gốc, cộng dồn từ tháng 1 của kỳ báo cáo (\(panel.scheme.label.vi)); tháng chưa có số liệu không được vẽ.",
            en: "Monthly values are raw counts, cumulated from month 1 of the reporting year (\(panel.scheme.label.en)); months without data are not drawn.")]
        if excluded > 0 {
            notes.append(LocalizedText(
                vi: "Mức tối đa áp dụng cho số đã trừ \(excluded) trường hợp bất khả kháng năm \(year).",
                en: "The limit applies to the count after removing \(excluded) force-majeure case(s) in \(year)."))
        }
        let place = village.map { " — \(panel.units[$0].name)" } ?? ""
        let title = LocalizedText(vi: "\(context.label.vi): \(context.metricLabel.vi) cộng dồn theo tháng, \(year) so với \(year - 1)\(place)",
                                  en: "\(context.label.en): cumulative \(context.metricLabel.en) by month, \(year) vs \(year - 1)\(place)")
        let monthAxis = ChartAxis(title: LocalizedText(vi: "Tháng", en: "Month"), categories: (1...12).map { month in
            ChartCategory(value: month, label: LocalizedText(vi: "T\(month)", en: monthNames[month - 1]))
        })
        var yAxis = context.valueAxis
        yAxis.title = LocalizedText(vi: "\(yAxis.title.vi) (cộng dồn)", en: "\(yAxis.title.en) (cumulative)")
        return Chart(kind: .months, title: title, subtitle: sentences.count == 1 ? sentences[0] : nil, xAxis: monthAxis, yAxis: yAxis,
                     panels: panels, notes: notes)
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Monthly counts of `unit` in `year`: its own, else (a commune) the sum over its villages of
    /// the months every village has. Empty when there are no monthly values.
    static func monthly(_ panel: Panel, unit: Int, measure: Measure, year: Int) -> [Int: Int] {
        if let own = panel.series[SeriesKey(unit: unit, measure: measure)]?[year] { return own.months }
        guard panel.units.indices.contains(unit), panel.units[unit].kind == .commune else { return [:] }
        let villages = panel.villages(of: unit)
        let values = villages.compactMap { panel.series[SeriesKey(unit: $0, measure: measure)]?[year] }
        guard !villages.isEmpty, values.count == villages.count else { return [:] }
        var sums: [Int: Int] = [:]
        for month in 1...12 {
            let counts = values.compactMap { $0.months[month] }
            if counts.count == values.count { sums[month] = counts.reduce(0, +) }
        }
        return sums
    }

    /// Running totals over months 1–12, stopping at the first month without a value.
    static func cumulative(_ months: [Int: Int]) -> [ChartPoint] {
        var total = 0
        var broken = false
        return (1...12).map { month in
            guard !broken, let count = months[month] else {
                broken = true
                return ChartPoint(x: month, y: nil)
            }
            total += count
            return ChartPoint(x: month, y: Double(total))
        }
    }
}

/// What every builder needs: the judged year, the rule, labels and the verifier runs.
private struct Context {
    let panel: Panel
    let measure: Measure
    let pack: RulePack
    let options: VerifyOptions
    let catalogue: Catalogue
    /// The pack's rule for the measure, or a stand-in used only to compute totals.
    let rule: Rule
    let hasRule: Bool
    let year: Int

    init(panel: Panel, measure: Measure, pack: RulePack, options: VerifyOptions, catalogue: Catalogue) {
        self.panel = panel
        self.measure = measure
        self.pack = pack
        self.options = options
        self.catalogue = catalogue
        let own = pack.rule(for: measure)
        hasRule = own != nil
        let category = catalogue.info(measure.category)
        let fallbackLabel = LocalizedText(
            vi: "\(category?.label.vi ?? measure.category.rawValue) – \(category?.metric(measure.metric)?.label.vi ?? measure.metric.rawValue)",
            en: "\(category?.label.en ?? measure.category.rawValue) – \(category?.metric(measure.metric)?.label.en ?? measure.metric.rawValue)")
        rule = own ?? Rule(measure: measure, test: .decrease(allowEqual: true), label: fallbackLabel)
        year = options.year ?? panel.years.last ?? 0
    }

    var label: LocalizedText { rule.label }

    /// The largest yearly count that still meets the rule given the previous full year's judged
    /// count, as `YearToDateEngine` computes it; nil without a previous year.
    func yearToDateCeiling(previous: Int?) -> Int? {
        guard let previous else { return nil }
        return rule.test.targetMax(previous: previous, zeroBase: options.zeroBase ?? pack.zeroBase)
    }

    var metricLabel: LocalizedText {
        catalogue.info(measure.category)?.metric(measure.metric)?.label ?? .same(measure.metric.rawValue)
    }

    var yearAxis: ChartAxis {
        let first = panel.years.first ?? year
        let years = first <= year ? Array(first...year) : [year]
        return ChartAxis(title: LocalizedText(vi: "Năm", en: "Year"),
                         categories: years.map { ChartCategory(value: $0, label: .same(String($0))) })
    }

    var valueAxis: ChartAxis {
        let metric = metricLabel
        let unit = catalogue.info(measure.category)?.metric(measure.metric)?.unit
        return ChartAxis(title: LocalizedText(vi: Self.capitalized(metric.vi), en: Self.capitalized(metric.en)), unit: unit)
    }

    static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    var ruleSubtitle: LocalizedText? {
        guard hasRule else {
            return LocalizedText(vi: "Bộ quy tắc \(pack.id) không có tiêu chí cho chỉ số này; không đánh giá.",
                                 en: "Rule pack \(pack.id) has no rule for this measure; not judged.")
        }
        return LocalizedText(
            vi: "Màu cột: kết quả so với năm trước theo tiêu chí “\(rule.test.shortText.vi)” (bộ quy tắc \(pack.id)).",
            en: "Bar colour: verdict against the previous year under “\(rule.test.shortText.en)” (rule pack \(pack.id)).")
    }

    /// Verdict rows of the one rule for `year` at `level`.
    func rows(year: Int, level: UnitLevel) -> [VerdictRow] {
        var single = pack
        single.rules = [rule]
        var yearOptions = options
        yearOptions.year = year
        yearOptions.level = level
        return Verifier(pack: single, options: yearOptions).verify(panel).filter { !$0.isOverall }
    }

    /// Rows for every year of the axis.
    func history(level: UnitLevel) -> [Int: [VerdictRow]] {
        var result: [Int: [VerdictRow]] = [:]
        for category in yearAxis.categories { result[category.value] = rows(year: category.value, level: level) }
        return result
    }

    /// Judged counts by year, each point toned by its verdict.
    func yearlySeries(_ rows: [Int: VerdictRow?]) -> ChartSeries {
        let points = yearAxis.categories.map { category -> ChartPoint in
            let row = rows[category.value] ?? nil
            let value = row?.curr.map(Double.init)
            guard hasRule, let row else { return ChartPoint(x: category.value, y: value) }
            let tone: ChartTone = switch row.verdict {
            case .met: .met
            case .notMet: .notMet
            case .notApplicable, .insufficientData: .unjudged
            }
            return ChartPoint(x: category.value, y: value, tone: tone)
        }
        return ChartSeries(id: "counts", label: valueAxis.title, mark: .bar, tone: .current, points: points)
    }

    func references(_ judged: VerdictRow, previousLevel: Bool) -> [ReferenceLine] {
        var lines: [ReferenceLine] = []
        if let target = judged.targetMax {
            lines.append(ReferenceLine(id: "target",
                                       label: LocalizedText(vi: "Mức tối đa để đạt năm \(judged.year)",
                                                            en: "Most allowed to meet the rule in \(judged.year)"),
                                       y: Double(target), tone: .target))
        }
        if previousLevel, let prev = judged.prev {
            lines.append(ReferenceLine(id: "previous_level",
                                       label: LocalizedText(vi: "Mức năm \(judged.prevYear)", en: "\(judged.prevYear) level"),
                                       y: Double(prev), tone: .reference))
        }
        return lines
    }

    /// Notes on exclusions and gaps.
    func notes(history: [Int: [VerdictRow]]) -> [LocalizedText] {
        var notes: [LocalizedText] = []
        let excludedYears = history.keys.sorted().compactMap { year -> (Int, Int)? in
            let excluded = history[year]?.reduce(0) { $0 + ($1.currExcluded ?? 0) } ?? 0
            return excluded > 0 ? (year, excluded) : nil
        }
        if !excludedYears.isEmpty {
            let vi = excludedYears.map { "\($0.1) năm \($0.0)" }.joined(separator: ", ")
            let en = excludedYears.map { "\($0.1) in \($0.0)" }.joined(separator: ", ")
            notes.append(LocalizedText(vi: "Số liệu đã trừ các trường hợp bất khả kháng: \(vi).",
                                       en: "Counts exclude force-majeure cases: \(en)."))
        }
        let gaps = history.keys.sorted().filter { year in history[year]?.contains { $0.curr == nil } ?? true }
        if !gaps.isEmpty {
            let list = gaps.map(String.init).joined(separator: ", ")
            notes.append(LocalizedText(vi: "Năm thiếu hoặc chưa đủ kỳ, không vẽ: \(list).",
                                       en: "Years missing or incomplete, not drawn: \(list)."))
        }
        return notes
    }
}
