import BinhYenAnalytics
import BinhYenCore
import BinhYenTestSupport
import Testing
@testable import BinhYenReport

/// Trend lines of the village charts, the months ceiling, one-village charts, and the report's
/// funnel plot and watch list.
@Suite("Trend lines, ceiling, funnel and watch list")
struct TrendAndWatchTests {
    static func trendSeries(_ chart: Chart) -> [ChartSeries] {
        chart.panels.flatMap { $0.series.filter { $0.id == ChartBuilder.trendSeriesID } }
    }

    @Test("each village's trend line is the Theil–Sen line the trend command gives, from its first to its last complete year")
    func trendLineMatchesTrendCommand() throws {
        let panel = ChartFixture.panel()
        let chart = ChartBuilder.villages(panel: panel, measure: ChartFixture.crime, pack: try ChartFixture.pack())
        let engine = try TrendEngine(options: TrendOptions(level: .village, measures: [ChartFixture.crime]))
        let rows = engine.trends(panel)
        #expect(rows.count == 2 && chart.panels.count == 2)
        for (panel, row) in zip(chart.panels, rows) {
            let sen = try #require(row.summary?.theilSen)
            let slope = try #require(sen.slope)
            let intercept = try #require(sen.interceptYear0)
            let line = try #require(panel.series.first { $0.id == "trend" })
            #expect(line.mark == .line && line.tone == .trend)
            #expect(line.points.map(\.x) == [2022, 2023, 2024, 2025])
            for point in line.points {
                let y = try #require(point.y)
                #expect(abs(y - max(0, intercept + slope * Double(point.x))) < 1e-9)
            }
        }
        // Thôn Đông 14, 12, 11, 10: pairwise slopes −2, −1.5, −4/3, −1, −1, −1 → median −7/6;
        // Conover intercept through (2023.5, 11.5): 13.25 in 2022, 9.75 in 2025.
        let east = try #require(chart.panels.first { $0.title == "Thôn Đông" }?.series.first { $0.id == "trend" })
        #expect(abs((east.points.first?.y ?? 0) - 13.25) < 1e-9)
        #expect(abs((east.points.last?.y ?? 0) - 9.75) < 1e-9)
        #expect(chart.legend.contains { $0.tone == .trend && $0.label.vi == "Xu hướng Theil–Sen (các năm đủ kỳ)" })
        #expect(chart.notes.contains { $0.en.contains("the sen_slope of binhyen trend") })
    }

    @Test("the line covers only complete years: an incomplete year is left out of the fit and the line")
    func trendSkipsIncompleteYear() throws {
        var panel = ChartFixture.panel()
        panel.series[SeriesKey(unit: 1, measure: ChartFixture.crime)]?[2025]?.completeness = .incomplete(missing: [.month(12)])
        let chart = ChartBuilder.villages(panel: panel, measure: ChartFixture.crime, pack: try ChartFixture.pack(),
                                          options: VerifyOptions(year: 2025))
        let east = try #require(chart.panels.first { $0.title == "Thôn Đông" }?.series.first { $0.id == "trend" })
        // 14, 12, 11 over 2022–2024: slopes −2, −1.5, −1 → −1.5; intercept through (2023, 12).
        #expect(east.points.map(\.y) == [13.5, 12, 10.5, nil])
    }

    @Test("months ceiling: ⌊19·prev/20⌋, also while the judged year is still incomplete", arguments: [(2025, 20), (2023, 24)])
    func monthsCeiling(year: Int, prev: Int) throws {
        var panel = ChartFixture.panel()
        for unit in [1, 2] {
            panel.series[SeriesKey(unit: unit, measure: ChartFixture.crime)]?[year]?.completeness = .incomplete(missing: [.month(12)])
        }
        let chart = ChartBuilder.months(panel: panel, measure: ChartFixture.crime, pack: try ChartFixture.pack(),
                                        options: VerifyOptions(year: year))
        let ceiling = try #require(chart.panels.first?.references.first { $0.id == "target" })
        #expect(ceiling.y == Double((19 * prev) / 20))
        #expect(ceiling.y == (year == 2025 ? 19 : 22))
    }

    @Test("one village (chart --village): yearly counts with target and trend line, titled with its name; its months")
    func oneVillage() throws {
        let panel = ChartFixture.panel().filtered(commune: nil, village: "Thôn Đông", category: nil)
        let chart = ChartBuilder.villages(panel: panel, measure: ChartFixture.crime, pack: try ChartFixture.pack())
        #expect(chart.panels.count == 1 && chart.panels[0].title == nil)
        #expect(chart.title.vi.hasSuffix("— Thôn Đông"))
        #expect(chart.panels[0].series.first?.points.map(\.y) == [14, 12, 11, 10])
        #expect(Self.trendSeries(chart).count == 1)
        let village = try #require(panel.units.firstIndex { $0.kind == .village })
        let months = ChartBuilder.months(panel: panel, measure: ChartFixture.crime, pack: try ChartFixture.pack(), village: village)
        #expect(months.title.en.hasSuffix("— Thôn Đông"))
        #expect(months.panels.count == 1)
        // 2025: one case a month for 10 months; 2024: 11 → ceiling ⌊19·11/20⌋ = 10 under the village's own counts.
        #expect(months.panels[0].series.last?.points.compactMap(\.y).last == 10)
        #expect(months.panels[0].references.first?.y == 10)
    }

    static func report(panel: Panel, adjacency: [(Int, Int)]? = nil, language: Language = .vi) throws -> ReportDocument {
        let input = ReportInput(panel: panel, communePack: try ChartFixture.pack(), villagePack: try RulePack.builtIn(id: "tt124-village"),
                                options: VerifyOptions(), inputs: ["data.csv"], accounts: OutputTable(columns: [], rows: []),
                                diagnostics: [], skippedInvalid: false, toolVersion: "9.9.9", adjacency: adjacency)
        return IndicatorReport.make(input, language: language)
    }

    @Test("report: funnel plot of village rates and the watch list section, in HTML and Markdown")
    func funnelAndWatchList() throws {
        let document = try Self.report(panel: ChartFixture.panel())
        let funnel = try #require(document.blocks.lazy.compactMap { block -> Chart? in
            if case .charts(let charts) = block { return charts.first { $0.kind == .funnel } }
            return nil
        }.first)
        // 10 cases among 1,800 and 9 among 950 residents in 2025: rates 5.56 and 9.47 per 1,000.
        let rates = funnel.panels.flatMap(\.scatter).map { ($0.y * 100).rounded() / 100 }.sorted()
        #expect(rates == [5.56, 9.47])
        let html = HTMLReportRenderer(language: .vi).render(document)
        #expect(html.contains("<h3>Biểu đồ phễu</h3>") && html.contains("<h3>Danh sách theo dõi</h3>"))
        #expect(html.contains("Không có tệp kề (--adjacency)"))
        let markdown = MarkdownReportRenderer(language: .en).render(try Self.report(panel: ChartFixture.panel(), language: .en))
        #expect(markdown.contains("### Funnel plot") && markdown.contains("### Watch list"))
        #expect(markdown.contains("| Thôn Đông | 1,800 | 5.56 | Within the limits |") || markdown.contains("Thôn Đông"))
    }

    @Test("report without population says why there is no funnel plot")
    func noPopulation() throws {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã Thử")
        for (name, counts) in [("Thôn A", [5, 4, 3]), ("Thôn B", [2, 2, 6])] {
            builder.series(builder.village(name, in: commune), ChartFixture.crime, from: 2023, counts)
        }
        let html = HTMLReportRenderer(language: .vi).render(try Self.report(panel: builder.panel))
        #expect(html.contains("Không vẽ được biểu đồ phễu: số liệu không có dân số của các khu dân cư"))
        #expect(html.contains("<h3>Danh sách theo dõi</h3>"))
    }
}
