import BinhYenCore

/// Months or weeks: the within-year periods of a series (SPEC §2 `month`/`week` columns).
public enum SubperiodKind: String, Sendable, Hashable, CaseIterable {
    case month
    case week

    /// Periods per year used for the arithmetic of the detectors: 12, or 52 for weeks
    /// (surveillance's `freq`; a 53rd week is kept in the timeline but not in the arithmetic).
    public var frequency: Int { self == .month ? 12 : 52 }

    /// The subperiod number `n` of this kind.
    public func subperiod(_ number: Int) -> Subperiod { self == .month ? .month(number) : .week(number) }

    /// "tháng"/"month", "tuần"/"week".
    public var label: LocalizedText {
        self == .month ? LocalizedText(vi: "tháng", en: "month") : LocalizedText(vi: "tuần", en: "week")
    }

    /// The plural for messages: "tháng"/"months", "tuần"/"weeks".
    public var plural: LocalizedText {
        self == .month ? LocalizedText(vi: "tháng", en: "months") : LocalizedText(vi: "tuần", en: "weeks")
    }
}

/// One within-year period: reporting year and month (1–12) or week (1–53) number.
public struct PeriodPoint: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var number: Int

    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }

    public static func < (a: Self, b: Self) -> Bool { (a.year, a.number) < (b.year, b.number) }

    /// `2024-03` for a month; use ``label(_:)`` for weeks.
    public var description: String { label(.month) }

    /// `2024-03` (month) or `2024-W05` (week): the form `--range` accepts.
    public func label(_ kind: SubperiodKind) -> String {
        let two = number < 10 ? "0\(number)" : "\(number)"
        return kind == .month ? "\(year)-\(two)" : "\(year)-W\(two)"
    }
}

/// The within-year counts of units, as the rules count them: a unit's own monthly (or weekly)
/// values, else for a commune the sum over its villages.
///
/// A commune without its own rows has a value for a subperiod only when every village has one
/// (a missing village month is missing, never zero, SPEC §4). Counts are raw (force-majeure
/// cases included); `YearValue` keeps exclusions per year only.
public struct SubperiodCounts: Sendable {
    public let panel: Panel
    public let kind: SubperiodKind

    public init(panel: Panel, kind: SubperiodKind) {
        self.panel = panel
        self.kind = kind
    }

    /// The kind the panel's data carry: weeks when any series has weekly values, else months.
    public static func kind(of panel: Panel) -> SubperiodKind {
        panel.series.values.contains { $0.values.contains { !$0.weeks.isEmpty } } ? .week : .month
    }

    /// Subperiod → count of `unit`'s `measure` in `year` (only the subperiods present).
    public func counts(unit: Int, measure: Measure, year: Int) -> [Int: Int] {
        if let own = panel.series[SeriesKey(unit: unit, measure: measure)]?[year] {
            return values(of: own)
        }
        guard panel.units.indices.contains(unit), panel.units[unit].kind == .commune else { return [:] }
        let villages = panel.villages(of: unit)
        guard !villages.isEmpty else { return [:] }
        var total: [Int: Int]?
        for village in villages {
            guard let value = panel.series[SeriesKey(unit: village, measure: measure)]?[year] else { return [:] }
            let own = values(of: value)
            guard let sum = total else {
                total = own
                continue
            }
            var next: [Int: Int] = [:]
            for (number, count) in sum {
                guard let other = own[number] else { continue }
                let (added, overflow) = count.addingReportingOverflow(other)
                if !overflow { next[number] = added }
            }
            total = next
        }
        return total ?? [:]
    }

    /// The subperiod numbers of a year in the timeline: 1…12, or 1…52 plus 53 when some series
    /// of the panel has a week 53 that year.
    public func numbers(in year: Int) -> [Int] {
        guard kind == .week else { return Array(1...12) }
        let hasWeek53 = panel.series.values.contains { $0[year]?.weeks[53] != nil }
        return Array(1...(hasWeek53 ? 53 : 52))
    }

    /// Every subperiod from the first to the last year of the panel, in order.
    public var timeline: [PeriodPoint] {
        let years = panel.years
        guard let first = years.first, let last = years.last else { return [] }
        return (first...last).flatMap { year in numbers(in: year).map { PeriodPoint(year: year, number: $0) } }
    }

    /// The counts of `unit`'s `measure` along `timeline` (nil = missing).
    public func series(unit: Int, measure: Measure, timeline: [PeriodPoint]) -> [Int?] {
        var byYear: [Int: [Int: Int]] = [:]
        return timeline.map { point in
            if byYear[point.year] == nil { byYear[point.year] = counts(unit: unit, measure: measure, year: point.year) }
            return byYear[point.year]?[point.number]
        }
    }

    private func values(of value: YearValue) -> [Int: Int] {
        kind == .month ? value.months : value.weeks
    }
}
