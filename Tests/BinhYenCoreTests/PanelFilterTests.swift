import Testing
import BinhYenCore

@Suite("Panel filters")
struct PanelFilterTests {
    static func panel() -> Panel {
        let here = SourceLocation(file: "t.csv", line: 2)
        var p = Panel(units: [
            Unit(kind: .commune, name: "Xã A", key: TextKey.unitKey("Xã A"), code: "00001"),
            Unit(kind: .village, name: "Thôn 1", key: TextKey.unitKey("Thôn 1"), parent: 0),
            Unit(kind: .village, name: "Thôn 2", key: TextKey.unitKey("Thôn 2"), parent: 0),
            Unit(kind: .commune, name: "Xã B", key: TextKey.unitKey("Xã B")),
            Unit(kind: .village, name: "Thôn 1", key: TextKey.unitKey("Thôn 1"), parent: 3),
        ])
        for unit in 0..<5 {
            p.series[SeriesKey(unit: unit, measure: Measure(.crime))] = [2025: YearValue(count: unit, sources: [here])]
            p.series[SeriesKey(unit: unit, measure: Measure(.traffic, .deaths))] = [2025: YearValue(count: 10 + unit)]
        }
        p.population[4] = [2025: 900]
        return p
    }

    @Test func noFilterIsIdentity() {
        let p = Self.panel()
        #expect(p.filtered(commune: nil, village: nil, category: nil).units == p.units)
    }

    @Test func communeByNameOrCode() {
        let byCode = Self.panel().filtered(commune: "00001", village: nil, category: nil)
        #expect(byCode.units.map(\.name) == ["Xã A", "Thôn 1", "Thôn 2"])
        let byName = Self.panel().filtered(commune: "xa b", village: nil, category: nil)
        #expect(byName.units.map(\.name) == ["Xã B", "Thôn 1"])
        #expect(byName.units[1].parent == 0)
        #expect(byName.population[1]?[2025] == 900)
        #expect(byName.series[SeriesKey(unit: 1, measure: Measure(.crime))]?[2025]?.count == 4)
    }

    @Test func villageKeepsItsCommuneWithoutCommuneSeries() {
        let p = Self.panel().filtered(commune: "Xã A", village: "thôn I", category: nil)
        #expect(p.units.map(\.name) == ["Xã A", "Thôn 1"])
        #expect(p.series[SeriesKey(unit: 0, measure: Measure(.crime))] == nil)
        #expect(p.series[SeriesKey(unit: 1, measure: Measure(.crime))]?[2025]?.count == 1)
    }

    @Test func categoryKeepsOnlyItsSeries() {
        let p = Self.panel().filtered(commune: nil, village: nil, category: .traffic)
        #expect(p.units.count == 5)
        #expect(p.measures == [Measure(.traffic, .deaths)])
    }
}
