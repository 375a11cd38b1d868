/// Yearly counts of many villages in flat arrays: the columnar form of a ``Panel`` from which the
/// `summary` table (SPEC §7) is computed at national scale.
///
/// A `Panel` keeps every series in dictionaries with provenance, which costs gigabytes for the
/// 6 million values of a national file; the grid keeps one `Int` per (village, measure, year):
/// 48 MB for 100,000 villages × 6 measures × 10 years. Two readers fill it (the fast reader of
/// the national coded layout, and the conversion of a `Panel` read by the general reader); the
/// table is computed from it in one way.
///
/// Layout: ``cells`` holds the counts of village `v`, measure `m`, year `y` at
/// `(v · measures.count + m) · years.count + y`, so that one series is `years.count` contiguous
/// values. A year without a value holds ``missing`` or ``incomplete`` (SPEC §2 and §4: a missing
/// period is missing, never zero); every other value is a count ≥ 0. A village without any value
/// for a measure has no such series (``hasSeries(village:measure:)``).
public struct CountGrid: Sendable {
    /// Identity and attributes of one village.
    public struct Village: Sendable, Hashable {
        /// Village code as written (8 digits in the national code list), if known.
        public var code: String?
        /// Display name (NFC).
        public var name: String
        /// Province code as written (2 digits), if known.
        public var provinceCode: String?
        /// Commune code as written (5 digits), if known.
        public var communeCode: String?
        /// Commune name, if known.
        public var communeName: String?
        /// Index of the village's commune, `0..<communeCount`: villages of one commune share it
        /// (commune totals for expected counts).
        public var commune: Int
        /// Residents in the last year of ``CountGrid/years`` (the exposure of rates); nil when
        /// unknown or not positive.
        public var population: Int?

        /// A village with its attributes.
        public init(code: String?, name: String, provinceCode: String? = nil, communeCode: String? = nil,
                    communeName: String? = nil, commune: Int, population: Int?) {
            self.code = code
            self.name = name
            self.provinceCode = provinceCode
            self.communeCode = communeCode
            self.communeName = communeName
            self.commune = commune
            self.population = population
        }
    }

    /// Marks a year without any value in ``cells``.
    public static let missing = Int.min
    /// Marks a year built from months of which some are missing (SPEC §4: never judged as complete).
    public static let incomplete = Int.min + 1

    /// The distinct years, ascending.
    public let years: [Int]
    /// The measures, ascending (byte order of category, then metric).
    public let measures: [Measure]
    /// The villages in output order.
    public let villages: [Village]
    /// Number of communes; ``Village/commune`` indexes them.
    public let communeCount: Int
    /// Counts and markers in the layout described above.
    public let cells: [Int]

    /// A grid from its parts; nil when `cells.count` is not
    /// `villages.count · measures.count · years.count`, the years are not strictly increasing,
    /// a commune index is out of range, or a cell is negative without being a marker.
    public init?(years: [Int], measures: [Measure], villages: [Village], communeCount: Int, cells: [Int]) {
        let (seriesCount, overflowA) = villages.count.multipliedReportingOverflow(by: measures.count)
        let (cellCount, overflowB) = seriesCount.multipliedReportingOverflow(by: years.count)
        guard !overflowA, !overflowB, cellCount == cells.count, communeCount >= 0 else { return nil }
        for index in years.indices.dropFirst() where years[index] <= years[index - 1] { return nil }
        guard villages.allSatisfy({ (0..<communeCount).contains($0.commune) }) else { return nil }
        guard cells.allSatisfy({ $0 >= 0 || $0 == Self.missing || $0 == Self.incomplete }) else { return nil }
        self.years = years
        self.measures = measures
        self.villages = villages
        self.communeCount = communeCount
        self.cells = cells
    }

    /// Offset in ``cells`` of the first year of the series (village, measure).
    @inlinable
    public func offset(village: Int, measure: Int) -> Int {
        (village * measures.count + measure) * years.count
    }

    /// The count of a village, measure (index into ``measures``) and year (index into ``years``);
    /// nil when the year is missing or incomplete.
    @inlinable
    public func count(village: Int, measure: Int, year: Int) -> Int? {
        let value = cells[offset(village: village, measure: measure) + year]
        return value >= 0 ? value : nil
    }

    /// Whether the village has a value, or an incomplete year, for the measure in any year.
    public func hasSeries(village: Int, measure: Int) -> Bool {
        let start = offset(village: village, measure: measure)
        return cells[start..<(start + years.count)].contains { $0 != Self.missing }
    }
}
