import BinhYenCore

/// Builds small panels for tests (shared by the test targets): communes, villages, yearly values and populations.
public struct PanelBuilder {
    public var panel = Panel()

    public init() {}
    private var line = 1

    public mutating func commune(_ name: String, code: String? = nil) -> Int {
        panel.units.append(Unit(kind: .commune, name: name, key: TextKey.unitKey(name), code: code))
        return panel.units.count - 1
    }

    public mutating func village(_ name: String, in commune: Int, code: String? = nil) -> Int {
        panel.units.append(Unit(kind: .village, name: name, key: TextKey.unitKey(name), code: code, parent: commune))
        return panel.units.count - 1
    }

    /// Sets the yearly value of `unit`'s `measure` in `year`, with a provenance line.
    public mutating func set(_ unit: Int, _ measure: Measure, _ year: Int, _ count: Int, excluded: Int = 0,
                      missing: [Subperiod] = []) {
        let completeness: Completeness = missing.isEmpty ? .complete : .incomplete(missing: missing)
        let source = SourceLocation(file: "data.csv", line: line)
        line += 1
        panel.series[SeriesKey(unit: unit, measure: measure), default: [:]][year] =
            YearValue(count: count, excluded: excluded, completeness: completeness, sources: [source])
    }

    /// Sets a series from consecutive years starting at `firstYear`.
    public mutating func series(_ unit: Int, _ measure: Measure, from firstYear: Int, _ counts: [Int]) {
        for (offset, count) in counts.enumerated() { set(unit, measure, firstYear + offset, count) }
    }

    /// Sets `unit`'s `measure` in `year` from monthly counts (index 0 = month 1; nil = missing):
    /// the year total is the sum of the present months, incomplete when one is missing, as the
    /// ingest builds it.
    public mutating func months(_ unit: Int, _ measure: Measure, _ year: Int, _ counts: [Int?], excluded: Int = 0) {
        var months: [Int: Int] = [:]
        for (index, count) in counts.enumerated() { if let count { months[index + 1] = count } }
        let missing = (1...12).filter { months[$0] == nil }.map(Subperiod.month)
        let source = SourceLocation(file: "data.csv", line: line)
        line += 1
        panel.series[SeriesKey(unit: unit, measure: measure), default: [:]][year] =
            YearValue(count: months.values.reduce(0, +), excluded: excluded,
                      completeness: missing.isEmpty ? .complete : .incomplete(missing: missing), months: months, sources: [source])
    }

    /// Sets `unit`'s `measure` in `year` from weekly counts (index 0 = week 1; nil = missing).
    public mutating func weeks(_ unit: Int, _ measure: Measure, _ year: Int, _ counts: [Int?]) {
        var weeks: [Int: Int] = [:]
        for (index, count) in counts.enumerated() { if let count { weeks[index + 1] = count } }
        let missing = (1...52).filter { weeks[$0] == nil }.map(Subperiod.week)
        var value = YearValue(count: weeks.values.reduce(0, +),
                              completeness: missing.isEmpty ? .complete : .incomplete(missing: missing))
        value.weeks = weeks
        panel.series[SeriesKey(unit: unit, measure: measure), default: [:]][year] = value
    }

    public mutating func population(_ unit: Int, _ year: Int, _ residents: Int) {
        panel.population[unit, default: [:]][year] = residents
    }
}
