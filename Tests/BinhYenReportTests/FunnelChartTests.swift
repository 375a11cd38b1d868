import BinhYenAnalytics
import BinhYenCore
import BinhYenStats
import Foundation
import Testing
@testable import BinhYenReport

/// The funnel chart: a continuous x axis (population), villages as points, the target rate and
/// the interpolated limits as curves; SVG and Vega-Lite both draw it.
@Suite("funnel chart")
struct FunnelChartTests {
    static func chart() throws -> Chart {
        ChartBuilder.make(.funnel, panel: ChartFixture.panel(), measure: ChartFixture.crime, pack: try ChartFixture.pack())
    }

    @Test func modelHasPointsCurvesAndTarget() throws {
        let chart = try Self.chart()
        #expect(chart.kind == .funnel && chart.isContinuous && chart.hasData)
        let panel = try #require(chart.panels.first)
        #expect(chart.panels.count == 1 && panel.title == nil)
        // 2025: Đông 10 of 1,800, the other village 9 of 950; pooled 19 of 2,750.
        #expect(panel.scatter.map(\.x).sorted() == [950, 1800])
        let east = try #require(panel.scatter.first { $0.label == "Thôn Đông" })
        #expect(abs(east.y - 1000.0 * 10 / 1800) < 1e-12)
        #expect(abs((panel.references.first?.y ?? 0) - 1000.0 * 19 / 2750) < 1e-12)
        #expect(panel.curves.map(\.id) == ["limit_998_hi", "limit_95_hi", "limit_95_lo", "limit_998_lo"])
        // Each curve point is the interpolated limit at E = θ0·P, per 1,000 residents.
        let outer = panel.curves[0]
        #expect(outer.points.count == 81 && abs(outer.points[0].x - 0.6 * 950) < 1e-9 && abs((outer.points.last?.x ?? 0) - 1.08 * 1800) < 1e-6)
        for point in outer.points {
            let limit = try #require(FunnelLimit(tail: 0.999, expected: 19.0 / 2750 * point.x))
            #expect(abs(point.y - 1000 * limit.count / point.x) < 1e-9)
        }
        #expect(chart.legend.contains { $0.isDot })
    }

    @Test func svgAndVegaLite() throws {
        let chart = try Self.chart()
        let svg = SVGChartRenderer(language: .vi).render(chart)
        #expect(svg.contains("Biểu đồ phễu"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)
        #expect(svg.contains("Dân số (người)"))
        #expect(!svg.contains(ChartFixture.hostile), "names are escaped")
        let spec = try #require(try JSONSerialization.jsonObject(with: Data(VegaLiteRenderer(language: .en).render(chart).utf8)) as? [String: Any])
        let values = try #require((spec["data"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(values.filter { $0["layer"] as? String == "points" }.count == 2)
        #expect(values.filter { $0["layer"] as? String == "limit_95_hi" }.count == 81)
        let layers = try #require(spec["layer"] as? [[String: Any]])
        let xTypes = layers.compactMap { (($0["encoding"] as? [String: Any])?["x"] as? [String: Any])?["type"] as? String }
        #expect(!xTypes.isEmpty && xTypes.allSatisfy { $0 == "quantitative" })
    }

    @Test func villagesWithoutPopulationAreCounted() throws {
        var panel = ChartFixture.panel()
        panel.population = [:]
        let chart = ChartBuilder.make(.funnel, panel: panel, measure: ChartFixture.crime, pack: try ChartFixture.pack())
        #expect(!chart.hasData)
        #expect(chart.notes.contains { $0.en.contains("2 villages not drawn") })
    }
}
