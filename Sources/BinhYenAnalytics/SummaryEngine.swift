import BinhYenCore
import BinhYenStats

/// Options of the `summary` table.
public struct SummaryOptions: Sendable {
    /// Significance level of the trend direction (`--alpha`).
    public var alpha: Double
    /// The rule pack that gives the `verdict` column; nil leaves it empty.
    public var pack: RulePack?
    /// Zero-base policy of the verdicts; nil takes the pack's.
    public var zeroBase: ZeroBasePolicy?

    public init(alpha: Double = 0.05, pack: RulePack? = nil, zeroBase: ZeroBasePolicy? = nil) {
        self.alpha = alpha
        self.pack = pack
        self.zeroBase = zeroBase
    }
}

/// Why fields of a summary row are empty (the `note` column), as a bit set.
public struct SummaryNotes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A year has no value: its `n_<year>` is empty and the trend uses the other years.
    public static let missingYear = SummaryNotes(rawValue: 1 << 0)
    /// A year has some months missing: it is empty and left out, never judged as complete.
    public static let incompleteYear = SummaryNotes(rawValue: 1 << 1)
    /// The previous year is 0: the percent change is undefined.
    public static let zeroBase = SummaryNotes(rawValue: 1 << 2)
    /// No population for the current year: rate, expected count, limit and hotspot are empty.
    public static let missingPopulation = SummaryNotes(rawValue: 1 << 3)
    /// The measure is an amount of money (`damage_vnd`), not a count of events: no Poisson
    /// funnel (expected count, limit and hotspot are empty).
    public static let notACount = SummaryNotes(rawValue: 1 << 4)

    /// Stable codes, in this order: `missing_year`, `incomplete_year`, `zero_base`,
    /// `missing_population`, `not_a_count`.
    public static let codes: [(SummaryNotes, String)] = [
        (.missingYear, "missing_year"), (.incompleteYear, "incomplete_year"), (.zeroBase, "zero_base"),
        (.missingPopulation, "missing_population"), (.notACount, "not_a_count"),
    ]
}

/// One row of the `summary` table: one (village, category, metric) series of a ``CountGrid``
/// (the exact definitions are those of `bench/SPEC.md`, SPEC §7).
public struct SummaryRow: Sendable {
    /// Index into ``CountGrid/villages``.
    public var village: Int
    /// Index into ``CountGrid/measures``.
    public var measure: Int
    /// `n_{T−1}` and `n_T`, the last two years of the grid; nil when missing or incomplete.
    public var previous: Int?
    public var current: Int?
    /// `curr − prev`.
    public var absoluteChange: Int?
    /// `100·(curr − prev)/prev`; nil when `prev = 0` (``SummaryNotes/zeroBase``).
    public var percentChange: Double?
    /// `20·curr ≤ 19·prev` (a decrease of at least 5%), also true for `prev = curr = 0`.
    public var meetsFivePercent: Bool?
    /// OLS, Theil–Sen and Mann–Kendall over the years with values.
    public var trend: GridTrend
    /// `1000·curr/population`.
    public var ratePer1000: Double?
    /// `population·C/P` with `C` and `P` the sums of the current counts and populations of the
    /// commune's villages that have both (same measure).
    public var expected: Double?
    /// `qpois(0.999, expected)`: the exact Poisson 99.8% funnel upper control limit, as a count.
    public var upperControlLimit: Int?
    /// `curr > ucl`.
    public var hotspot: Bool?
    /// The rule pack's verdict for the measure (nil when the pack has no rule for it).
    public var verdict: Verdict?
    public var notes: SummaryNotes
}

/// Computes the rows of the `summary` table from a ``CountGrid``: yearly totals, change and the
/// 5% test in exact integers, trend (``GridTrendKernel``), rate per 1,000, the funnel-plot
/// expected count with its exact Poisson 99.8% upper limit, the hotspot flag and the rule pack's
/// verdict.
///
/// Missing and incomplete years are never zero: change fields need both of the last two years;
/// the trend uses the years with values (``GridTrend/yearCount``). Thread-safe: rows of different
/// villages may be computed on different threads, each with its own ``GridTrendCache``.
public struct SummaryEngine: Sendable {
    /// The upper-tail probability of the funnel limit (99.8% two-sided).
    public static let limitProbability = 0.999

    public let grid: CountGrid
    public let options: SummaryOptions
    private let kernel: GridTrendKernel
    /// `(Σ current, Σ population)` per commune and measure, over villages with both.
    private let communeTotals: [(current: Double, population: Double)]
    private let rules: [RuleTest?]
    /// `rules[m].judge(previous:current:)` for both counts below ``verdictTableSize``, by measure,
    /// at `previous · size + current` (the rule's own arithmetic, computed once; most village counts are small).
    private let verdicts: [[Verdict]]
    private static let verdictTableSize = 32
    /// Whether each measure counts events (the funnel applies), not money.
    private let isCount: [Bool]
    private let zeroBase: ZeroBasePolicy
    private let limits: PoissonQuantileTable
    /// Per village: population (−1 when unknown) and commune, as plain integers for the row loop.
    private let populations: [Int]
    private let communes: [Int]

    /// - Parameters:
    ///   - grid: the villages and series to summarise.
    ///   - peers: the grid whose villages pool each commune's rate for `expected` and the funnel
    ///     limit, when `grid` is a selection of villages (`--village`): one village's expected
    ///     count comes from its whole commune, not from itself. Its communes are matched to
    ///     `grid`'s by commune code, else name; it must have the same years and measures, else
    ///     `grid` itself is used. Default: `grid`.
    /// - Throws: ``TrendInputError/invalidAlpha`` when `options.alpha` is not in (0, 1).
    public init(grid: CountGrid, peers: CountGrid? = nil, options: SummaryOptions = SummaryOptions()) throws(TrendInputError) {
        self.grid = grid
        self.options = options
        kernel = try GridTrendKernel(years: grid.years, alpha: options.alpha)
        rules = grid.measures.map { options.pack?.rule(for: $0)?.test }
        isCount = grid.measures.map { $0.metric != .damageVND }
        let policy = options.zeroBase ?? options.pack?.zeroBase ?? .metIfZero
        zeroBase = policy
        let size = Self.verdictTableSize
        verdicts = rules.map { rule in
            guard let rule else { return [] }
            return (0..<(size * size)).map { rule.judge(previous: $0 / size, current: $0 % size, zeroBase: policy).verdict }
        }
        let measureCount = grid.measures.count
        populations = grid.villages.map { $0.population ?? -1 }
        communes = grid.villages.map(\.commune)
        let source = peers.flatMap { $0.years == grid.years && $0.measures == grid.measures ? $0 : nil } ?? grid
        let sourceTotals = Self.communeTotals(source)
        let totals: [(current: Double, population: Double)]
        if source.villages.count == grid.villages.count {
            totals = sourceTotals
        } else {
            // Commune index of `grid` → commune index of `source`, through the commune's identity.
            func identity(_ village: CountGrid.Village) -> String { village.communeCode ?? village.communeName ?? "" }
            var sourceCommune: [String: Int] = [:]
            for village in source.villages { sourceCommune[identity(village)] = village.commune }
            var mapped = [(current: Double, population: Double)](repeating: (0, 0), count: grid.communeCount * measureCount)
            for village in grid.villages {
                guard let from = sourceCommune[identity(village)] else { continue }
                for m in 0..<measureCount {
                    mapped[village.commune * measureCount + m] = sourceTotals[from * measureCount + m]
                }
            }
            totals = mapped
        }
        communeTotals = totals
        var largestExpected = 0.0
        for village in grid.villages {
            guard let population = village.population else { continue }
            for m in 0..<measureCount where isCount[m] {
                let total = totals[village.commune * measureCount + m]
                if total.population > 0 {
                    largestExpected = max(largestExpected, Double(population) * Double(total.current) / Double(total.population))
                }
            }
        }
        limits = PoissonQuantileTable(probability: Self.limitProbability, maximumMean: largestExpected)
    }

    /// `(Σ current, Σ population)` of the last year per commune and measure of `grid`, over the
    /// villages with both (index `commune · measures + measure`). Summed as Double (exact below
    /// 2⁵³, then rounded, never wrapped): only their ratio is used.
    private static func communeTotals(_ grid: CountGrid) -> [(current: Double, population: Double)] {
        let measureCount = grid.measures.count
        var totals = [(current: Double, population: Double)](repeating: (0, 0), count: grid.communeCount * measureCount)
        guard let last = grid.years.indices.last else { return totals }
        for (v, village) in grid.villages.enumerated() {
            guard let population = village.population else { continue }
            for m in 0..<measureCount {
                guard let current = grid.count(village: v, measure: m, year: last) else { continue }
                let at = village.commune * measureCount + m
                totals[at].current += Double(current)
                totals[at].population += Double(population)
            }
        }
        return totals
    }

    /// The row of one village and measure; nil when the village has no value for the measure.
    public func row(village v: Int, measure m: Int, cache: inout GridTrendCache) -> SummaryRow? {
        let yearCount = grid.years.count
        let start = grid.offset(village: v, measure: m)
        var notes: SummaryNotes = []
        let trend: GridTrend? = grid.cells.withUnsafeBufferPointer { cells in
            grid.years.withUnsafeBufferPointer { years in
                let series = UnsafeBufferPointer(rebasing: cells[start..<(start + yearCount)])
                var present = 0
                for value in series where value >= 0 { present += 1 }
                if present == yearCount { return kernel.evaluate(counts: series, cache: &cache) }
                if present == 0 && !series.contains(CountGrid.incomplete) { return nil }
                for value in series where value < 0 {
                    notes.insert(value == CountGrid.incomplete ? .incompleteYear : .missingYear)
                }
                return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * present) { scratch in
                    var k = 0
                    for t in 0..<yearCount where series[t] >= 0 {
                        scratch[k] = series[t]
                        scratch[present + k] = years[t]
                        k += 1
                    }
                    let base = UnsafeBufferPointer(scratch)
                    return kernel.evaluate(counts: UnsafeBufferPointer(rebasing: base[0..<present]),
                                           years: UnsafeBufferPointer(rebasing: base[present..<(2 * present)]), cache: &cache)
                }
            }
        }
        guard let trend else { return nil }
        let current = yearCount >= 1 ? grid.count(village: v, measure: m, year: yearCount - 1) : nil
        let previous = yearCount >= 2 ? grid.count(village: v, measure: m, year: yearCount - 2) : nil
        var row = SummaryRow(village: v, measure: m, previous: previous, current: current, trend: trend, notes: notes)
        if let previous, let current {
            row.absoluteChange = current - previous
            if previous > 0 {
                // In Double: 100·(curr − prev) would overflow Int for counts above 9.2·10¹⁶.
                row.percentChange = 100 * Double(current - previous) / Double(previous)
            } else {
                row.notes.insert(.zeroBase)
            }
            // Exact in 128 bits: 20·curr overflows Int for counts above 4.6·10¹⁷.
            row.meetsFivePercent = 20 * Int128(current) <= 19 * Int128(previous)
        }
        let population = populations[v]
        if population > 0 {
            if let current { row.ratePer1000 = 1000 * Double(current) / Double(population) }
            let totals = communeTotals[communes[v] * grid.measures.count + m]
            if !isCount[m] {
                row.notes.insert(.notACount)
            } else if totals.population > 0 {
                let expected = Double(population) * totals.current / totals.population
                row.expected = expected
                row.upperControlLimit = limits.quantile(mean: expected)
                if let current, let limit = row.upperControlLimit { row.hotspot = current > limit }
            }
        } else {
            row.notes.insert(.missingPopulation)
        }
        if let rule = rules[m] {
            if let previous, let current {
                let size = Self.verdictTableSize
                row.verdict = previous < size && current < size
                    ? verdicts[m][previous * size + current]
                    : rule.judge(previous: previous, current: current, zeroBase: zeroBase).verdict
            } else {
                row.verdict = .insufficientData
            }
        }
        return row
    }
}
