import BinhYenAnalytics
import BinhYenCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import BinhYenTestSupport
import Testing
@testable import BinhYenReport

/// A small commune for the chart and report tests: two villages (one with a hostile name),
/// crime counts 2022–2025 whose commune totals are 24, 20, 20, 19, monthly detail and populations.
enum ChartFixture {
    static let crime = Measure(.crime)
    static let hostile = "<script>alert(\"x\")</script> & 'Thôn' ]]>"

    static func panel(months: Bool = true) -> Panel {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã Thử")
        let east = builder.village("Thôn Đông", in: commune)
        let hostile = builder.village(Self.hostile, in: commune)
        builder.series(east, crime, from: 2022, [14, 12, 11, 10])
        builder.series(hostile, crime, from: 2022, [10, 8, 9, 9])
        // Residents, for the funnel chart (the other charts do not use them).
        for year in 2022...2025 {
            builder.population(east, year, 1800)
            builder.population(hostile, year, 950)
        }
        var panel = builder.panel
        if months {
            // 2024: one case a month in Đông for 11 months (11), none in the other village except 9 in month 1.
            // 2025: Đông months 1–10 one each (10), the other village 9 in month 2.
            for (unit, year, counts) in [(east, 2024, Array(repeating: 1, count: 11) + [0]), (hostile, 2024, [9] + Array(repeating: 0, count: 11)),
                                         (east, 2025, Array(repeating: 1, count: 10) + [0, 0]), (hostile, 2025, [0, 9] + Array(repeating: 0, count: 10))] {
                let key = SeriesKey(unit: unit, measure: crime)
                panel.series[key]?[year]?.months = Dictionary(uniqueKeysWithValues: counts.enumerated().map { ($0.offset + 1, $0.element) })
            }
        }
        return panel
    }

    static func pack() throws -> RulePack { try RulePack.builtIn(id: RulePack.defaultID) }
}

@Suite("Charts")
struct ChartTests {
    @Test("nice ticks: 1, 2 or 5 × 10ⁿ from zero, never a step below one count", arguments: [
        (42.0, 10.0, 50.0), (7.0, 2.0, 8.0), (0.0, 1.0, 1.0), (1.0, 1.0, 1.0), (1234.0, 500.0, 1500.0), (60.0, 20.0, 60.0),
    ])
    func niceTicks(maximum: Double, step: Double, upper: Double) {
        let scale = ChartScale(maximum: maximum)
        #expect(scale.step == step)
        #expect(scale.upper == upper)
        #expect(scale.ticks.first == 0)
        #expect(scale.ticks.last == upper)
        #expect(ChartScale(maximum: nil).ticks == [0, 1])
    }

    @Test("tick labels follow the language's number style")
    func tickLabels() {
        #expect(ChartScale.label(1500, language: .vi) == "1.500")
        #expect(ChartScale.label(1500, language: .en) == "1,500")
        #expect(ChartScale.label(2.5, language: .vi) == "2,5")
    }

    @Test("totals: judged commune sums by year, each year coloured by its verdict, target ⌊19·20/20⌋ = 19")
    func totals() throws {
        let chart = ChartBuilder.totals(panel: ChartFixture.panel(), measure: ChartFixture.crime, pack: try ChartFixture.pack())
        #expect(chart.xAxis.categories.map(\.value) == [2022, 2023, 2024, 2025])
        let panel = try #require(chart.panels.first)
        #expect(chart.panels.count == 1 && panel.title == nil)
        let bars = try #require(panel.series.first)
        #expect(bars.points.map(\.y) == [24, 20, 20, 19])
        // 2022 has no previous year; 20·20 ≤ 19·24 met; 20 → 20 not met; 20·19 ≤ 19·20 met.
        #expect(bars.points.map(\.tone) == [.unjudged, .met, .notMet, .met])
        #expect(panel.references.map(\.y) == [19, 20])
        #expect(panel.references.map(\.tone) == [.target, .reference])
        #expect(chart.subtitle?.vi == "Phạm tội về TTXH: 20 → 19 vụ (−5,00%): đạt (giảm ≥ 5%); thay đổi không có ý nghĩa thống kê (p = 1,00)")
        #expect(chart.yAxis.title.vi == "Số vụ")
        #expect(chart.legend.map(\.tone) == [.met, .notMet, .unjudged, .target, .reference])
    }

    @Test("an earlier judged year cuts the axis there; a missing year is a gap, not a zero")
    func judgedYearAndGaps() throws {
        var panel = ChartFixture.panel()
        panel.series[SeriesKey(unit: 1, measure: ChartFixture.crime)]?[2023] = nil
        let chart = ChartBuilder.totals(panel: panel, measure: ChartFixture.crime, pack: try ChartFixture.pack(),
                                        options: VerifyOptions(year: 2024))
        #expect(chart.xAxis.categories.map(\.value) == [2022, 2023, 2024])
        let bars = try #require(chart.panels.first?.series.first)
        #expect(bars.points.map(\.y) == [24, nil, 20])
        #expect(bars.points[2].tone == .unjudged)
        #expect(chart.notes.contains { $0.en == "Years missing or incomplete, not drawn: 2023." })
    }

    @Test("a measure without a rule is drawn plain, without target")
    func noRule() throws {
        var pack = try ChartFixture.pack()
        pack.rules = []
        let chart = ChartBuilder.totals(panel: ChartFixture.panel(), measure: ChartFixture.crime, pack: pack)
        let panel = try #require(chart.panels.first)
        #expect(panel.series.first?.points.allSatisfy { $0.tone == nil } == true)
        #expect(panel.references.isEmpty)
        #expect(chart.subtitle?.en == "Rule pack ntm-2021-2025 has no rule for this measure; not judged.")
    }

    @Test("villages: one panel per village on one scale, with the village's own target")
    func villages() throws {
        let chart = ChartBuilder.villages(panel: ChartFixture.panel(), measure: ChartFixture.crime, pack: try ChartFixture.pack())
        #expect(chart.panels.map(\.title) == ["Thôn Đông", ChartFixture.hostile])
        #expect(chart.panels[0].series.first?.points.map(\.y) == [14, 12, 11, 10])
        // 11 → 10 is −9%: met; ⌊19·11/20⌋ = 10.
        #expect(chart.panels[0].series.first?.points.last?.tone == .met)
        #expect(chart.panels[0].references.map(\.y) == [10])
        // 9 → 9 is not met; ⌊19·9/20⌋ = 8.
        #expect(chart.panels[1].series.first?.points.last?.tone == .notMet)
        #expect(chart.panels[1].references.map(\.y) == [8])
    }

    @Test("months: cumulative sums of the villages, previous year against judged year")
    func months() throws {
        let chart = ChartBuilder.months(panel: ChartFixture.panel(), measure: ChartFixture.crime, pack: try ChartFixture.pack())
        let series = try #require(chart.panels.first?.series)
        #expect(series.map(\.id) == ["year_2024", "year_2025"])
        #expect(series[0].points.compactMap(\.y) == [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20])
        #expect(series[1].points.compactMap(\.y) == [1, 11, 12, 13, 14, 15, 16, 17, 18, 19, 19, 19])
        #expect(chart.panels.first?.references.map(\.y) == [19])
        #expect(chart.xAxis.categories.map { $0.label.vi }.prefix(2) == ["T1", "T2"])
        #expect(chart.xAxis.categories.last?.label.en == "Dec")
        let yearly = ChartBuilder.months(panel: ChartFixture.panel(months: false), measure: ChartFixture.crime,
                                         pack: try ChartFixture.pack())
        #expect(!yearly.hasData)
    }

    @Test("cumulative stops at the first month without a value")
    func cumulativeStops() {
        let points = ChartBuilder.cumulative([1: 2, 2: 3, 4: 1])
        #expect(points.map(\.y) == [2, 5] + Array(repeating: nil, count: 10))
    }

    static func allCharts() throws -> [Chart] {
        try ChartKind.allCases.map { ChartBuilder.make($0, panel: ChartFixture.panel(), measure: ChartFixture.crime, pack: try ChartFixture.pack()) }
    }

    @Test("SVG is well-formed XML in both languages and shows hostile names as text")
    func svgWellFormed() throws {
        for chart in try Self.allCharts() {
            for language in Language.allCases {
                let svg = SVGChartRenderer(language: language).render(chart)
                let parser = XMLParser(data: Data(svg.utf8))
                #expect(parser.parse(), "\(chart.kind) \(language): \(parser.parserError.map { "\($0)" } ?? "")")
                #expect(!svg.contains("<script"))
                #expect(!svg.contains("http://") || svg.components(separatedBy: "http://").count == 2) // only the SVG namespace
            }
        }
        let villages = SVGChartRenderer(language: .vi).render(try Self.allCharts()[1])
        #expect(villages.contains(">&lt;script&gt;alert(&quot;x&quot;)"))
        #expect(villages.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test("SVG text content parses back to the original hostile name")
    func svgRoundTrip() throws {
        final class Collector: NSObject, XMLParserDelegate {
            var texts: [String] = []
            private var current = ""
            func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                        attributes attributeDict: [String: String]) { current = "" }
            func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
            func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
                if elementName == "text" { texts.append(current) }
                current = ""
            }
        }
        let svg = SVGChartRenderer(language: .vi).render(try Self.allCharts()[1])
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse())
        #expect(collector.texts.contains(ChartFixture.hostile))
        #expect(collector.texts.contains("Thôn Đông"))
    }

    @Test("Vietnamese axis numbers use the Vietnamese style in SVG")
    func svgNumberStyle() {
        var panel = ChartPanel(series: [ChartSeries(id: "counts", label: .same("n"), mark: .bar, tone: .current,
                                                    points: [ChartPoint(x: 1, y: 1200)])])
        panel.references = []
        let chart = Chart(kind: .totals, title: .same("t"), xAxis: ChartAxis(title: .same("x"), categories: [ChartCategory(value: 1, label: .same("2025"))]),
                          yAxis: ChartAxis(title: .same("y")), panels: [panel])
        #expect(SVGChartRenderer(language: .vi).render(chart).contains(">1.200</text>"))
        #expect(SVGChartRenderer(language: .en).render(chart).contains(">1,200</text>"))
    }
}
