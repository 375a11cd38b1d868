import BinhYenAnalytics
import BinhYenCore

/// What `IndicatorReport.make` needs besides the panel: packs, options and the input accounting
/// (file accounts are an Ingest type, so the caller gives them as a table).
public struct ReportInput: Sendable {
    public var panel: Panel
    /// Commune rules (indicator 19.2), e.g. `ntm-2021-2025`.
    public var communePack: RulePack
    /// Village rules for the per-village tables and small multiples, e.g. `tt124-village`.
    public var villagePack: RulePack
    /// Judged year, zero-base policy, confidence, α (the level is set per section).
    public var options: VerifyOptions
    /// The input files as given on the command line.
    public var inputs: [String]
    /// Rows read, accepted, rejected… per file.
    public var accounts: OutputTable
    /// Every finding of the reader.
    public var diagnostics: [Diagnostic]
    /// Whether rows with errors were left out (`--skip-invalid`).
    public var skippedInvalid: Bool
    /// "0.1.0", printed in the subtitle and footer.
    public var toolVersion: String
    /// The rows of the conditions file (`--conditions`); nil when none was given, and the
    /// non-count conditions are then "chưa đánh giá" / "not assessed".
    public var conditions: [ConditionRecord]?
    /// Village neighbour pairs as indices into `panel.units` (`--adjacency`): the watch list then
    /// has Gi* and the emerging hot-spot class; nil without.
    public var adjacency: [(Int, Int)]?

    public init(panel: Panel, communePack: RulePack, villagePack: RulePack, options: VerifyOptions, inputs: [String],
                accounts: OutputTable, diagnostics: [Diagnostic], skippedInvalid: Bool, toolVersion: String,
                conditions: [ConditionRecord]? = nil, adjacency: [(Int, Int)]? = nil) {
        self.panel = panel
        self.communePack = communePack
        self.villagePack = villagePack
        self.options = options
        self.inputs = inputs
        self.accounts = accounts
        self.diagnostics = diagnostics
        self.skippedInvalid = skippedInvalid
        self.toolVersion = toolVersion
        self.conditions = conditions
        self.adjacency = adjacency
    }
}

/// The indicator 19.2 report of `binhyen report` (issue 7; SPEC §7–8), as a `ReportDocument`:
///
/// 1. conclusion per commune: overall verdict, and the checklist — every count rule of the
///    commune pack with counts, change, limit, verdict and evidence sentence (`VerdictSentence`),
///    then the non-count conditions as "chưa đánh giá" / "not assessed";
/// 2. yearly totals chart of every rule measure (`ChartBuilder.totals`);
/// 3. the judged year month by month against the previous year for the first rule's measure,
///    with the full-year ceiling (⌊19·prev/20⌋ for "down ≥ 5%", also for a year in progress);
/// 4. villages: overview of village verdicts (village pack), small multiples of every village
///    rule measure with Theil–Sen trend lines, one table per village with its evidence, the
///    funnel plot of the first commune rule's measure (or why there is none: no population),
///    and the watch list of `hotspots` (with Gi* and emerging classes when `adjacency` is given);
/// 5. the rule packs with their sources and verification status;
/// 6. the period scheme and the windows of both years;
/// 7. the input accounting (files, rows, findings).
///
/// No timestamp is written, so the same input gives the same report.
public enum IndicatorReport {
    /// Table cells are written in `language`; headings and paragraphs keep both languages.
    public static func make(_ input: ReportInput, language: Language, catalogue: Catalogue = .standard) -> ReportDocument {
        let panel = input.panel
        var communeOptions = input.options
        communeOptions.level = .commune
        var villageOptions = input.options
        villageOptions.level = .village
        let countRows = Verifier(pack: input.communePack, options: communeOptions).verify(panel)
        let communeRows = input.conditions.map { ConditionJudgement.apply(countRows, records: $0) } ?? countRows
        let villageRows = Verifier(pack: input.villagePack, options: villageOptions).verify(panel)
        let year = input.options.year ?? panel.years.last ?? 0
        let communeNames = panel.communes.map { panel.units[$0].name }
        let place = communeNames.count == 1 ? communeNames[0] : LocalizedText(vi: "\(communeNames.count) xã", en: "\(communeNames.count) communes").vi
        let title = LocalizedText(vi: "Báo cáo an ninh, trật tự năm \(year) — \(place)",
                                  en: "Security and order report \(year) — \(communeNames.count == 1 ? place : "\(communeNames.count) communes")")
        let subtitle = LocalizedText(
            vi: "Chỉ tiêu 19.2 xã nông thôn mới: năm \(year) so với năm \(year - 1); \(panel.scheme.label.vi); bộ quy tắc \(input.communePack.id) và \(input.villagePack.id)",
            en: "New-rural indicator 19.2: \(year) against \(year - 1); \(panel.scheme.label.en); rule packs \(input.communePack.id) and \(input.villagePack.id)")
        var blocks: [ReportBlock] = []
        blocks += conclusion(communeRows, language: language, catalogue: catalogue)
        blocks += yearlyCharts(input, options: communeOptions, catalogue: catalogue)
        blocks += monthlyChart(input, options: communeOptions, catalogue: catalogue)
        blocks += villages(villageRows, input: input, options: villageOptions, language: language, catalogue: catalogue)
        blocks += hotspots(input, language: language, catalogue: catalogue)
        blocks += rulePacks([input.communePack, input.villagePack], language: language)
        blocks += periods(panel.scheme, year: year)
        blocks += accounting(input)
        let footer = LocalizedText(
            vi: "Tạo bởi BinhYen \(input.toolVersion) (binhyen report). Không ghi thời điểm tạo, để cùng số liệu luôn cho cùng báo cáo.",
            en: "Made by BinhYen \(input.toolVersion) (binhyen report). No creation time is recorded, so the same data always give the same report.")
        return ReportDocument(title: title, subtitle: subtitle, blocks: blocks, footer: footer)
    }

    // MARK: - 1. Conclusion and checklist

    static let notAssessed = LocalizedText(vi: "Chưa đánh giá", en: "Not assessed")

    private static func conclusion(_ rows: [VerdictRow], language: Language, catalogue: Catalogue) -> [ReportBlock] {
        var blocks: [ReportBlock] = [.heading(LocalizedText(vi: "1. Kết luận chỉ tiêu 19.2", en: "1. Indicator 19.2: conclusion"), level: 2)]
        guard !rows.isEmpty else {
            return blocks + [.paragraph(LocalizedText(vi: "Không có năm nào để đánh giá.", en: "There is no year to judge."))]
        }
        let communes = rows.reduce(into: [String]()) { names, row in
            if let name = row.commune, !names.contains(name) { names.append(name) }
        }
        for commune in communes {
            let own = rows.filter { $0.commune == commune }
            if communes.count > 1 { blocks.append(.heading(.same(commune), level: 3)) }
            if let full = own.first(where: \.isFullIndicator) {
                let reason = full.note?.detail ?? full.ruleText
                blocks.append(.verdict(full.verdict, LocalizedText(
                    vi: "toàn bộ chỉ tiêu 19.2 năm \(full.year) (số vụ và các điều kiện khác): \(reason.vi)",
                    en: "the whole indicator 19.2 in \(full.year) (counts and the other conditions): \(reason.en)")))
            }
            if let overall = own.first(where: { $0.isOverall && !$0.isFullIndicator }) {
                let reason = overall.note?.detail ?? overall.ruleText
                blocks.append(.verdict(overall.verdict, LocalizedText(
                    vi: "các điều kiện về số vụ năm \(overall.year) so với năm \(overall.prevYear): \(reason.vi)",
                    en: "count conditions, \(overall.year) against \(overall.prevYear): \(reason.en)")))
            }
            blocks.append(.table(checklist(own.filter { !$0.isOverall }, language: language, catalogue: catalogue)))
        }
        if rows.contains(where: \.isFullIndicator) {
            blocks.append(.paragraph(LocalizedText(
                vi: "Kết luận toàn bộ chỉ tiêu đạt khi mọi tiêu chí về số vụ và mọi điều kiện khác đều đạt; các điều kiện khác lấy theo tệp điều kiện đã cung cấp (BinhYen không tự đánh giá chúng). Điều kiện không có trong tệp là thiếu số liệu.",
                en: "The whole indicator is met when every count rule and every other condition is met; the other conditions are taken from the conditions file supplied (BinhYen does not judge them itself). A condition missing from the file is insufficient data.")))
        } else {
            blocks.append(.paragraph(LocalizedText(
                vi: "Kết luận tổng hợp chỉ xét các điều kiện về số vụ. Các điều kiện khác của chỉ tiêu 19.2 phải được cơ quan có thẩm quyền xác nhận riêng (hoặc ghi trong tệp điều kiện, --conditions).",
                en: "The overall verdict covers the count conditions only. The other conditions of indicator 19.2 must be confirmed separately by the competent authority (or given in a conditions file, --conditions).")))
        }
        return blocks
    }

    /// The checklist of one commune: count rules with evidence, then the non-count conditions —
    /// judged rows when `rows` has them (a conditions file was given), else "not assessed".
    static func checklist(_ rows: [VerdictRow], language: Language, catalogue: Catalogue) -> OutputTable {
        let first = rows.first
        let columns = [
            OutputColumn("condition", LocalizedText(vi: "Nội dung", en: "Condition")),
            OutputColumn("requirement", LocalizedText(vi: "Yêu cầu", en: "Requirement")),
            OutputColumn("prev", LocalizedText(vi: first.map { "Năm \($0.prevYear)" } ?? "Năm trước", en: first.map { String($0.prevYear) } ?? "Previous")),
            OutputColumn("curr", LocalizedText(vi: first.map { "Năm \($0.year)" } ?? "Năm nay", en: first.map { String($0.year) } ?? "Current")),
            OutputColumn("pct_change", LocalizedText(vi: "Tỷ lệ", en: "% change")),
            OutputColumn("target_max", LocalizedText(vi: "Mức tối đa", en: "Max allowed")),
            OutputColumn("verdict", LocalizedText(vi: "Kết quả", en: "Verdict")),
            OutputColumn("evidence", LocalizedText(vi: "Căn cứ", en: "Evidence")),
        ]
        var body: [[OutputCell]] = rows.map { row in
            [
                .text(row.label(language)),
                .text(row.ruleText(language)),
                .integer(row.prev), .integer(row.curr), .percent(row.pctChange, signed: true), .integer(row.targetMax),
                OutputCell(.text(row.verdict.label(language)), tone: VerifyReport.tone(row.verdict)),
                .text(VerdictSentence.make(row, language: language, catalogue: catalogue)),
            ]
        }
        for condition in NonCountCondition.indicator19_2 where !rows.contains(where: { $0.condition != nil }) {
            body.append([
                .text(condition.label(language)), .text(condition.requirement(language)), .null(), .null(), .null(), .null(),
                OutputCell(.text(notAssessed(language)), tone: .muted),
                .text((LocalizedText(
                    vi: "Không phải số vụ; chưa có số liệu, BinhYen không đánh giá. Căn cứ: \(condition.source)",
                    en: "Not a count; no data supplied, BinhYen does not judge it. Source: \(condition.source)"))(language)),
            ])
        }
        return OutputTable(title: VerifyReport.title(rows), columns: columns, rows: body)
    }

    // MARK: - 2–3. Charts

    private static func yearlyCharts(_ input: ReportInput, options: VerifyOptions, catalogue: Catalogue) -> [ReportBlock] {
        let measures = input.communePack.rules.map(\.measure).filter(input.panel.measures.contains)
        guard !measures.isEmpty else { return [] }
        let charts = measures.map {
            ChartBuilder.totals(panel: input.panel, measure: $0, pack: input.communePack, options: options, catalogue: catalogue)
        }
        return [
            .heading(LocalizedText(vi: "2. Diễn biến theo năm", en: "2. Year by year"), level: 2),
            .paragraph(LocalizedText(
                vi: "Mỗi cột là số đã trừ bất khả kháng của một năm, tô màu theo kết quả so với năm trước. Vạch đỏ đứt: mức tối đa để đạt năm được đánh giá; vạch xám chấm: mức năm trước.",
                en: "Each bar is one year's count after force-majeure exclusions, coloured by its verdict against the year before. Red dashes: the most allowed to meet the rule in the judged year; grey dots: the previous year's level.")),
            .charts(charts),
        ]
    }

    private static func monthlyChart(_ input: ReportInput, options: VerifyOptions, catalogue: Catalogue) -> [ReportBlock] {
        guard let measure = input.communePack.rules.first?.measure, input.panel.measures.contains(measure) else { return [] }
        let chart = ChartBuilder.months(panel: input.panel, measure: measure, pack: input.communePack, options: options, catalogue: catalogue)
        var blocks: [ReportBlock] = [.heading(LocalizedText(vi: "3. Diễn biến trong năm", en: "3. Month by month"), level: 2)]
        if chart.hasData {
            blocks.append(.charts([chart]))
        } else {
            blocks.append(.paragraph(LocalizedText(vi: "Số liệu không có chi tiết theo tháng.", en: "The data have no monthly detail.")))
        }
        return blocks
    }

    // MARK: - 4. Villages

    private static func villages(_ rows: [VerdictRow], input: ReportInput, options: VerifyOptions, language: Language,
                                 catalogue: Catalogue) -> [ReportBlock] {
        var blocks: [ReportBlock] = [.heading(LocalizedText(vi: "4. Khu dân cư", en: "4. Villages"), level: 2)]
        let overall = rows.filter(\.isOverall)
        guard !overall.isEmpty else {
            return blocks + [.paragraph(LocalizedText(vi: "Số liệu không có khu dân cư.", en: "The data have no villages."))]
        }
        let pack = input.villagePack
        blocks.append(.paragraph(LocalizedText(
            vi: "Đánh giá từng khu dân cư theo bộ quy tắc \(pack.id) (\(pack.title.vi)).",
            en: "Each village judged under rule pack \(pack.id) (\(pack.title.en)).")))
        let overview = OutputTable(
            title: LocalizedText(vi: "Tổng hợp khu dân cư", en: "Villages at a glance"),
            columns: [OutputColumn("village", LocalizedText(vi: "Khu dân cư", en: "Village")),
                      OutputColumn("verdict", LocalizedText(vi: "Kết quả", en: "Verdict")),
                      OutputColumn("note", LocalizedText(vi: "Ghi chú", en: "Note"))],
            rows: overall.map { row in
                [.text(row.unitName), OutputCell(.text(row.verdict.label(language)), tone: VerifyReport.tone(row.verdict)),
                 .text(row.note?.detail(language))]
            })
        blocks.append(.table(overview))
        let measures = pack.rules.map(\.measure).filter(input.panel.measures.contains)
        if !measures.isEmpty {
            blocks.append(.charts(measures.map {
                ChartBuilder.villages(panel: input.panel, measure: $0, pack: pack, options: options, catalogue: catalogue)
            }))
        }
        var seen: [String] = []
        for row in rows {
            let key = (row.commune ?? "") + "\u{1F}" + row.unitName
            guard !seen.contains(key) else { continue }
            seen.append(key)
            let own = rows.filter { ($0.commune ?? "") + "\u{1F}" + $0.unitName == key }
            let sentences = own.map { LocalizedText.same(VerdictSentence.make($0, language: language, catalogue: catalogue)) }
            var table = VerifyReport.compactTable(own, language: language, footnotes: sentences)
                .selecting(["measure", "prev", "curr", "change", "pct_change", "target_max", "verdict", "p_exact"])
            table.title = .same(row.unitName)
            blocks.append(.table(table))
        }
        return blocks
    }

    // MARK: - 4 (continued). Funnel plot and watch list

    /// The funnel plot of the first commune rule's measure and the watch list of `hotspots`
    /// (commune pack, its rule measures; villages at watch level or above, with their reasons).
    static func hotspots(_ input: ReportInput, language: Language, catalogue: Catalogue) -> [ReportBlock] {
        let measures = input.communePack.rules.map(\.measure).filter { input.panel.measures.contains($0) && $0.metric != .damageVND }
        guard let first = measures.first, !input.panel.units.filter({ $0.kind == .village }).isEmpty else { return [] }
        let options = HotspotOptions(year: input.options.year, alpha: input.options.alpha, confidence: input.options.confidence,
                                     measures: measures)
        let rows = HotspotAnalyzer(pack: input.communePack, options: options).analyze(input.panel, edges: input.adjacency)
        var blocks: [ReportBlock] = [.heading(LocalizedText(vi: "Biểu đồ phễu", en: "Funnel plot"), level: 3)]
        let funnel = ChartBuilder.funnel(rows: rows, measure: first, catalogue: catalogue)
        if funnel.hasData {
            blocks.append(.charts([funnel]))
        } else {
            blocks.append(.paragraph(LocalizedText(
                vi: "Không vẽ được biểu đồ phễu: số liệu không có dân số của các khu dân cư (cần cột Dân số, hoặc tệp --villages có dân số theo năm).",
                en: "No funnel plot: the data have no village population (a population column, or a --villages file with population by year, is needed).")))
        }
        blocks.append(.heading(LocalizedText(vi: "Danh sách theo dõi", en: "Watch list"), level: 3))
        let watched = rows.filter { $0.watch > .none }
        let method = input.adjacency == nil
            ? LocalizedText(vi: "Không có tệp kề (--adjacency): không tính Gi* và xu hướng điểm nóng.",
                            en: "No adjacency file (--adjacency): Gi* and the emerging hot-spot classes are not computed.")
            : LocalizedText(vi: "Có tệp kề: Gi* theo từng năm và xu hướng điểm nóng (EHSA) được tính.",
                            en: "With the adjacency file: Gi* per year and the emerging hot-spot classes are computed.")
        blocks.append(.paragraph(LocalizedText(
            vi: "Khu dân cư có xu hướng trở thành địa bàn phức tạp (lệnh binhyen hotspots, quy tắc [watch] của bộ \(input.communePack.id)), xếp theo mức theo dõi / cảnh báo / báo động, kèm lý do. \(method.vi)",
            en: "Villages trending toward complex-area status (binhyen hotspots, the [watch] rule of pack \(input.communePack.id)), by level watch / warning / alarm, with the reasons. \(method.en)")))
        if watched.isEmpty {
            blocks.append(.paragraph(LocalizedText(vi: "Không có khu dân cư nào cần theo dõi.", en: "No village is on the watch list.")))
        } else {
            var table = HotspotReport.compactTable(watched, language: language, catalogue: catalogue)
            if input.adjacency == nil { table = table.selecting(["village", "measure", "count", "rate_per_1000", "expected", "funnel_flag", "verdict", "watch", "reasons"]) }
            blocks.append(.table(table))
        }
        return blocks
    }

    // MARK: - 5–7. Rule packs, periods, input

    private static func rulePacks(_ packs: [RulePack], language: Language) -> [ReportBlock] {
        var blocks: [ReportBlock] = [.heading(LocalizedText(vi: "5. Bộ quy tắc và căn cứ", en: "5. Rule packs and sources"), level: 2)]
        for pack in packs {
            blocks.append(.heading(LocalizedText(vi: "\(pack.id): \(pack.title.vi)", en: "\(pack.id): \(pack.title.en)"), level: 3))
            let level = pack.level == .commune ? LocalizedText(vi: "xã", en: "commune") : LocalizedText(vi: "khu dân cư", en: "village")
            let zeroBase = pack.zeroBase == .metIfZero
                ? LocalizedText(vi: "năm trước bằng 0: 0 → 0 là đạt, 0 → n là không đạt", en: "zero previous year: 0 → 0 met, 0 → n not met")
                : LocalizedText(vi: "năm trước bằng 0: không áp dụng", en: "zero previous year: not applicable")
            let status = pack.verified
                ? LocalizedText(vi: "đã đối chiếu với văn bản gốc", en: "verified against the official text")
                : LocalizedText(vi: "CHƯA đối chiếu đủ với văn bản gốc — kiểm tra trước khi dùng trong báo cáo chính thức",
                                en: "NOT fully verified against the official text — check before official use")
            blocks.append(.bullets([
                LocalizedText(vi: "Cấp đánh giá: \(level.vi); \(zeroBase.vi)", en: "Level: \(level.en); \(zeroBase.en)"),
                LocalizedText(vi: "Tình trạng kiểm chứng: \(status.vi)", en: "Verification: \(status.en)"),
            ] + pack.sources.map { LocalizedText(vi: "Căn cứ: \($0)", en: "Source: \($0)") }))
            let table = OutputTable(
                columns: [OutputColumn("measure", LocalizedText(vi: "Chỉ số", en: "Measure")),
                          OutputColumn("label", LocalizedText(vi: "Nội dung", en: "Condition")),
                          OutputColumn("rule", LocalizedText(vi: "Quy tắc", en: "Rule")),
                          OutputColumn("verified", LocalizedText(vi: "Đã kiểm chứng", en: "Verified")),
                          OutputColumn("source", LocalizedText(vi: "Căn cứ", en: "Source"))],
                rows: pack.rules.map { rule in
                    [.text(rule.measure.description), .text(rule.label(language)),
                     .text((LocalizedText(vi: "\(rule.test.shortText.vi) (\(rule.test.code))", en: "\(rule.test.shortText.en) (\(rule.test.code))"))(language)),
                     OutputCell(.boolean(rule.verified), tone: rule.verified ? nil : .warning),
                     .text(rule.sources.isEmpty ? nil : rule.sources.joined(separator: "; "))]
                })
            blocks.append(.table(table))
        }
        return blocks
    }

    private static func periods(_ scheme: PeriodScheme, year: Int) -> [ReportBlock] {
        [
            .heading(LocalizedText(vi: "6. Kỳ báo cáo", en: "6. Reporting periods"), level: 2),
            .bullets([
                LocalizedText(vi: "Cách tính kỳ: \(scheme.label.vi)", en: "Period scheme: \(scheme.label.en)"),
                LocalizedText(vi: "Năm đánh giá \(year): \(scheme.window(of: year))", en: "Judged year \(year): \(scheme.window(of: year))"),
                LocalizedText(vi: "Năm so sánh \(year - 1): \(scheme.window(of: year - 1))", en: "Previous year \(year - 1): \(scheme.window(of: year - 1))"),
                LocalizedText(vi: "Số liệu đã ghi theo tháng hoặc năm được lấy đúng như nhãn trong tệp; năm thiếu tháng được coi là chưa đủ kỳ và không được đánh giá.",
                              en: "Counts labelled by month or year are taken as labelled; a year with a missing month is incomplete and is not judged."),
            ]),
        ]
    }

    private static func accounting(_ input: ReportInput) -> [ReportBlock] {
        var blocks: [ReportBlock] = [
            .heading(LocalizedText(vi: "7. Số liệu đầu vào", en: "7. Input accounting"), level: 2),
            .bullets(input.inputs.map { LocalizedText(vi: "Tệp đầu vào: \($0)", en: "Input: \($0)") }),
            .table(input.accounts),
        ]
        var counts: [Severity: Int] = [:]
        for diagnostic in input.diagnostics { counts[diagnostic.severity, default: 0] += 1 }
        let errors = counts[.error] ?? 0
        let warnings = counts[.warning] ?? 0
        let notes = counts[.note] ?? 0
        var lines = [LocalizedText(vi: "Phát hiện khi đọc: \(errors) lỗi, \(warnings) cảnh báo, \(notes) ghi chú (`binhyen check` liệt kê đầy đủ).",
                                   en: "Findings while reading: \(errors) errors, \(warnings) warnings, \(notes) notes (`binhyen check` lists them all).")]
        if input.skippedInvalid && errors > 0 {
            lines.append(LocalizedText(vi: "Đã dùng --skip-invalid: các dòng có lỗi bị bỏ qua, kết quả chỉ dựa trên các dòng hợp lệ.",
                                       en: "--skip-invalid was given: rows with errors were left out; results use the valid rows only."))
        }
        blocks.append(.bullets(lines))
        return blocks
    }
}
