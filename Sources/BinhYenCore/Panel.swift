/// Whether a unit is a commune (xã, phường, đặc khu) or a village inside one (thôn, tổ dân phố, …).
public enum UnitKind: String, Sendable, Codable, Hashable {
    case commune
    case village
}

/// A commune or a village as it appears in the data. Villages point at their commune.
public struct Unit: Sendable, Hashable, Codable {
    public var kind: UnitKind
    /// Display name: the first spelling seen, in NFC.
    public var name: String
    /// Matching key (`TextKey.unitKey`), unique among the siblings of one parent.
    public var key: String
    /// Administrative code when known (5 digits for a commune).
    public var code: String?
    /// Index of the commune in `Panel.units` for a village; nil for a commune.
    public var parent: Int?

    public init(kind: UnitKind, name: String, key: String, code: String? = nil, parent: Int? = nil) {
        self.kind = kind
        self.name = name
        self.key = key
        self.code = code
        self.parent = parent
    }
}

/// One count as read from input, before aggregation (SPEC §2, long layout columns).
public struct Observation: Sendable, Hashable {
    public var commune: String?
    public var communeCode: String?
    /// Nil when the row is a commune-level total.
    public var village: String?
    public var villageCode: String?
    public var year: Int
    public var subperiod: Subperiod
    public var measure: Measure
    /// Nil when the cell was empty: the period is then missing, never zero.
    public var count: Int?
    /// How many of `count` are force majeure (excluded from rule tests).
    public var excluded: Int
    public var population: Int?
    public var households: Int?
    public var note: String?
    public var source: SourceLocation

    public init(commune: String?, communeCode: String? = nil, village: String?, villageCode: String? = nil,
                year: Int, subperiod: Subperiod = .year, measure: Measure, count: Int?, excluded: Int = 0,
                population: Int? = nil, households: Int? = nil, note: String? = nil, source: SourceLocation) {
        self.commune = commune
        self.communeCode = communeCode
        self.village = village
        self.villageCode = villageCode
        self.year = year
        self.subperiod = subperiod
        self.measure = measure
        self.count = count
        self.excluded = excluded
        self.population = population
        self.households = households
        self.note = note
        self.source = source
    }
}

/// Whether a yearly value covers the whole year.
public enum Completeness: Sendable, Hashable, Codable {
    case complete
    /// Built from subperiods with some missing; lists the missing ones.
    case incomplete(missing: [Subperiod])
}

/// The value of one series in one reporting year.
public struct YearValue: Sendable, Hashable, Codable {
    /// Total count (sum of the subperiods that are present).
    public var count: Int
    /// Force-majeure cases included in `count`.
    public var excluded: Int
    public var completeness: Completeness
    /// Monthly counts when the year was built from months (month → count).
    public var months: [Int: Int]
    /// Weekly counts when the year was built from weeks (week → count); empty otherwise.
    public var weeks: [Int: Int] = [:]
    /// Where each contributing value came from.
    public var sources: [SourceLocation]

    public init(count: Int, excluded: Int = 0, completeness: Completeness = .complete,
                months: [Int: Int] = [:], sources: [SourceLocation] = []) {
        self.count = count
        self.excluded = excluded
        self.completeness = completeness
        self.months = months
        self.sources = sources
    }

    /// The count the rules judge: `count − excluded`.
    public var judged: Int { count - excluded }

    public var isComplete: Bool {
        if case .complete = completeness { return true }
        return false
    }
}

/// Identity of one series: unit (index into `Panel.units`) and measure.
public struct SeriesKey: Sendable, Hashable, Codable, Comparable {
    public var unit: Int
    public var measure: Measure

    public init(unit: Int, measure: Measure) {
        self.unit = unit
        self.measure = measure
    }

    public static func < (a: Self, b: Self) -> Bool { (a.unit, a.measure) < (b.unit, b.measure) }
}

/// The canonical panel: every series of every unit by reporting year, with provenance.
///
/// A year absent from `Series.years` is missing (never zero). Commune rows are present only
/// when the input gave commune totals; analytics derives commune totals from villages otherwise.
public struct Panel: Sendable {
    public var units: [Unit]
    public var series: [SeriesKey: [Int: YearValue]]
    /// Residents by unit index and year, when the input gave them.
    public var population: [Int: [Int: Int]]
    /// Households by unit index and year, when the input gave them.
    public var households: [Int: [Int: Int]]
    /// The scheme that turned dates into years (incident input); labelled periods keep their label.
    public var scheme: PeriodScheme

    public init(units: [Unit] = [], series: [SeriesKey: [Int: YearValue]] = [:],
                population: [Int: [Int: Int]] = [:], households: [Int: [Int: Int]] = [:],
                scheme: PeriodScheme = .statistical) {
        self.units = units
        self.series = series
        self.population = population
        self.households = households
        self.scheme = scheme
    }

    /// Indices of the communes, in order of first appearance.
    public var communes: [Int] { units.indices.filter { units[$0].kind == .commune } }

    /// Indices of the villages of commune `commune`, in order of first appearance.
    public func villages(of commune: Int) -> [Int] {
        units.indices.filter { units[$0].parent == commune }
    }

    /// All years present in any series, ascending.
    public var years: [Int] {
        var set = Set<Int>()
        for values in series.values { set.formUnion(values.keys) }
        return set.sorted()
    }

    /// All measures present, sorted.
    public var measures: [Measure] {
        Set(series.keys.map(\.measure)).sorted()
    }

    /// Index of the unit with `key` (a `TextKey.unitKey`) under `parent`, if any.
    public func unitIndex(kind: UnitKind, key: String, parent: Int?) -> Int? {
        units.firstIndex { $0.kind == kind && $0.key == key && $0.parent == parent }
    }
}
