import BinhYenAnalytics
import BinhYenCore
import BinhYenStats

/// One column of the `summary` table.
public enum SummaryField: Sendable, Hashable {
    case villageCode, category, metric, provinceCode, communeCode, villageName, population
    /// `n_<year>`: the count of the year at this index of ``CountGrid/years``.
    case year(Int)
    case absoluteChange, percentChange, meetsFivePercent, olsSlope, senSlope, mkS, mkVarianceS, mkZ, mkP
    case ratePer1000, expected, upperControlLimit, hotspot
    case commune, yearCount, mkPExact, direction, verdict, note
}

/// The `summary` table (SPEC §7): its columns, defined once, and the value of every cell.
///
/// Columns, in order: the 30 columns of the benchmark workload (`bench/SPEC.md`:
/// `village_code, category, metric, province_code, commune_code, village_name, population,
/// n_<year>…, abs_change, pct_change, meets_5pct, ols_slope, sen_slope, mk_s, mk_var_s, mk_z,
/// mk_p, rate_per_1000, expected, ucl, hotspot`), then BinhYen's own: `commune` (name),
/// `n_years` (years with a value, used by the trend), `mk_p_exact`, `direction` (Mann–Kendall
/// at `--alpha`, exact p for ≤ 10 years, as `trend`), `verdict` (the rule pack's) and `note`
/// (why fields are empty: `missing_year`, `incomplete_year`, `zero_base`, `missing_population`,
/// `not_a_count`).
/// Flags (`meets_5pct`, `hotspot`) are 1/0. Both the fast writers (``SummaryExport``) and the
/// ``OutputTable`` built by ``fullTable(_:)`` take every cell from ``emit(_:row:grid:into:)``.
public enum SummaryTable {
    /// The columns for the years of `grid`, in order.
    public static func fields(years: Int) -> [SummaryField] {
        [.villageCode, .category, .metric, .provinceCode, .communeCode, .villageName, .population]
            + (0..<years).map(SummaryField.year)
            + [.absoluteChange, .percentChange, .meetsFivePercent, .olsSlope, .senSlope, .mkS, .mkVarianceS, .mkZ, .mkP,
               .ratePer1000, .expected, .upperControlLimit, .hotspot,
               .commune, .yearCount, .mkPExact, .direction, .verdict, .note]
    }

    /// The CSV heading and JSON key of `field`.
    public static func key(_ field: SummaryField, grid: CountGrid) -> String {
        switch field {
        case .villageCode: return "village_code"
        case .category: return "category"
        case .metric: return "metric"
        case .provinceCode: return "province_code"
        case .communeCode: return "commune_code"
        case .villageName: return "village_name"
        case .population: return "population"
        case .year(let index): return "n_\(grid.years[index])"
        case .absoluteChange: return "abs_change"
        case .percentChange: return "pct_change"
        case .meetsFivePercent: return "meets_5pct"
        case .olsSlope: return "ols_slope"
        case .senSlope: return "sen_slope"
        case .mkS: return "mk_s"
        case .mkVarianceS: return "mk_var_s"
        case .mkZ: return "mk_z"
        case .mkP: return "mk_p"
        case .ratePer1000: return "rate_per_1000"
        case .expected: return "expected"
        case .upperControlLimit: return "ucl"
        case .hotspot: return "hotspot"
        case .commune: return "commune"
        case .yearCount: return "n_years"
        case .mkPExact: return "mk_p_exact"
        case .direction: return "direction"
        case .verdict: return "verdict"
        case .note: return "note"
        }
    }

    /// What the value of a field depends on: the village alone, the measure alone, or the row.
    public enum Scope: Sendable {
        case village, measure, row
    }

    /// The scope of `field` (writers render village and measure cells once and copy them).
    public static func scope(_ field: SummaryField) -> Scope {
        switch field {
        case .villageCode, .provinceCode, .communeCode, .villageName, .population, .commune: return .village
        case .category, .metric: return .measure
        default: return .row
        }
    }

    /// `note` texts by bit pattern of ``SummaryNotes`` (codes joined by `;`), nil for none.
    static let noteTexts: [String?] = (0..<32).map { bits in
        let notes = SummaryNotes(rawValue: UInt8(bits))
        let codes = SummaryNotes.codes.filter { notes.contains($0.0) }.map(\.1)
        return codes.isEmpty ? nil : codes.joined(separator: ";")
    }

    /// Passes the value of `field` in `row` to `sink`.
    @inline(__always)
    public static func emit<Sink: SummaryCellSink>(_ field: SummaryField, row: SummaryRow, grid: CountGrid, into sink: inout Sink) {
        switch field {
        case .villageCode: sink.text(grid.villages[row.village].code)
        case .category: sink.text(grid.measures[row.measure].category.rawValue)
        case .metric: sink.text(grid.measures[row.measure].metric.rawValue)
        case .provinceCode: sink.text(grid.villages[row.village].provinceCode)
        case .communeCode: sink.text(grid.villages[row.village].communeCode)
        case .villageName: sink.text(grid.villages[row.village].name)
        case .population: sink.integer(grid.villages[row.village].population)
        case .year(let index): sink.integer(grid.count(village: row.village, measure: row.measure, year: index))
        case .absoluteChange: sink.integer(row.absoluteChange)
        case .percentChange: sink.decimal(row.percentChange)
        case .meetsFivePercent: sink.integer(row.meetsFivePercent.map { $0 ? 1 : 0 })
        case .olsSlope: sink.decimal(row.trend.olsSlope)
        case .senSlope: sink.decimal(row.trend.senSlope)
        case .mkS: sink.integer(row.trend.mkS)
        case .mkVarianceS: sink.decimal(row.trend.mkVarianceS)
        case .mkZ: sink.decimal(row.trend.mkZ)
        case .mkP: sink.decimal(row.trend.mkP)
        case .ratePer1000: sink.decimal(row.ratePer1000)
        case .expected: sink.decimal(row.expected)
        case .upperControlLimit: sink.integer(row.upperControlLimit)
        case .hotspot: sink.integer(row.hotspot.map { $0 ? 1 : 0 })
        case .commune: sink.text(grid.villages[row.village].communeName)
        case .yearCount: sink.integer(row.trend.yearCount)
        case .mkPExact: sink.decimal(row.trend.mkPExact)
        case .direction: sink.text(row.trend.direction.rawValue)
        case .verdict: sink.text(row.verdict?.rawValue)
        case .note: sink.text(noteTexts[Int(row.notes.rawValue & 0x1F)])
        }
    }

    /// Every row of `engine`'s grid, in order (villages, then measures), one thread.
    public static func rows(_ engine: SummaryEngine) -> [SummaryRow] {
        var cache = GridTrendCache()
        var rows: [SummaryRow] = []
        for village in engine.grid.villages.indices {
            for measure in engine.grid.measures.indices {
                if let row = engine.row(village: village, measure: measure, cache: &cache) { rows.append(row) }
            }
        }
        return rows
    }

    /// The full table as an ``OutputTable`` (every column; the CSV and JSON writers of this
    /// module render it exactly as ``SummaryExport`` writes it).
    public static func fullTable(_ engine: SummaryEngine, rows: [SummaryRow]) -> OutputTable {
        let grid = engine.grid
        let fields = Self.fields(years: grid.years.count)
        var body: [[OutputCell]] = []
        body.reserveCapacity(rows.count)
        for row in rows {
            var sink = CellCollector()
            for field in fields { emit(field, row: row, grid: grid, into: &sink) }
            body.append(sink.cells)
        }
        return OutputTable(title: title, columns: fields.map { OutputColumn(key($0, grid: grid)) }, rows: body)
    }

    /// The table for terminals and Markdown: village, measure, the last two years, change, the
    /// rule pack's verdict, Theil–Sen slope, Mann–Kendall p (exact when computed) and direction,
    /// rate per 1,000 and hotspot flag.
    public static func compactTable(_ engine: SummaryEngine, rows: [SummaryRow], language: Language,
                                    catalogue: Catalogue = .standard) -> OutputTable {
        let grid = engine.grid
        let years = grid.years
        let previousYear = years.count >= 2 ? String(years[years.count - 2]) : "–"
        let currentYear = years.last.map(String.init) ?? "–"
        let columns = [
            OutputColumn("village", LocalizedText(vi: "Thôn", en: "Village")),
            OutputColumn("measure", LocalizedText(vi: "Lĩnh vực", en: "Measure")),
            OutputColumn("prev", .same(previousYear)),
            OutputColumn("curr", .same(currentYear)),
            OutputColumn("pct_change", LocalizedText(vi: "Thay đổi", en: "Change")),
            OutputColumn("verdict", LocalizedText(vi: "Kết luận", en: "Verdict")),
            OutputColumn("sen_slope", LocalizedText(vi: "Độ dốc Sen/năm", en: "Sen slope/yr")),
            OutputColumn("mk_p", LocalizedText(vi: "p (MK)", en: "p (MK)")),
            OutputColumn("direction", LocalizedText(vi: "Xu hướng", en: "Direction")),
            OutputColumn("rate_per_1000", LocalizedText(vi: "Tỷ lệ/1.000 dân", en: "Rate/1,000")),
            OutputColumn("hotspot", LocalizedText(vi: "Điểm nóng", en: "Hotspot")),
        ]
        let body = rows.map { row -> [OutputCell] in
            let village = grid.villages[row.village]
            let name = village.code.map { "\(village.name) (\($0))" } ?? village.name
            let hotspot = row.hotspot.map { $0 ? LocalizedText(vi: "có", en: "yes") : LocalizedText(vi: "không", en: "no") }
            return [
                .text(name),
                .text(TrendReport.measureLabel(grid.measures[row.measure], catalogue: catalogue)(language)),
                .integer(row.previous),
                .integer(row.current),
                .percent(row.percentChange, signed: true),
                .text(row.verdict?.label(language), tone: row.verdict.map(verdictTone)),
                .decimal(row.trend.senSlope, digits: 2, signed: true),
                .pValue(row.trend.mkPExact ?? row.trend.mkP),
                .text(TrendReport.directionLabel(row.trend.direction)(language), tone: TrendReport.tone(row.trend.direction)),
                .decimal(row.ratePer1000, digits: 2),
                .text(hotspot?(language), tone: row.hotspot == true ? .bad : nil),
            ]
        }
        return OutputTable(title: title, columns: columns, rows: body)
    }

    static let title = LocalizedText(vi: "Tổng hợp theo thôn: số liệu năm, thay đổi, xu hướng, điểm nóng",
                                     en: "Village summary: yearly counts, change, trend, hotspots")

    private static func verdictTone(_ verdict: Verdict) -> CellTone {
        switch verdict {
        case .met: return .good
        case .notMet: return .bad
        case .notApplicable, .insufficientData: return .muted
        }
    }
}

/// Receives the cells of a summary row (``SummaryTable/emit(_:row:grid:into:)``).
public protocol SummaryCellSink {
    /// A text cell; nil is null.
    mutating func text(_ value: String?)
    /// A whole number; nil is null.
    mutating func integer(_ value: Int?)
    /// A real number in full precision; nil is null.
    mutating func decimal(_ value: Double?)
}

/// Collects cells as ``OutputCell`` values.
struct CellCollector: SummaryCellSink {
    var cells: [OutputCell] = []

    mutating func text(_ value: String?) { cells.append(.text(value)) }
    mutating func integer(_ value: Int?) { cells.append(.integer(value, grouped: false)) }
    mutating func decimal(_ value: Double?) { cells.append(.decimal(value, digits: 6)) }
}
