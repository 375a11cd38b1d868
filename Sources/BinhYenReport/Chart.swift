import BinhYenCore

/// Which chart a `Chart` is (the `--kind` of `binhyen chart`).
///
/// Charts that come with later analyses (trend lines, funnel plot, year-to-date curve, watch
/// list) add a case here and a builder; the model and both renderers stay as they are
/// (a trend line is one more `ChartSeries` with mark `.line` and tone `.trend`).
public enum ChartKind: String, Sendable, Hashable, CaseIterable {
    /// Commune yearly totals of one measure with the rule's target (one panel per commune).
    case totals
    /// Yearly counts of one measure in each village (small multiples, one panel per village).
    case villages
    /// Cumulative monthly counts of the judged year against the previous year (one panel per commune).
    case months
}

/// How a bar, point or line is coloured. Renderers map tones to one print-safe palette
/// (`ChartPalette`), so a verdict has the same colour in every chart and in the HTML tables.
public enum ChartTone: String, Sendable, Hashable, CaseIterable {
    /// A year that met its rule against the year before.
    case met
    /// A year that did not meet its rule.
    case notMet = "not_met"
    /// A value that cannot be judged (first year, missing or incomplete previous year, rule
    /// not applicable, or no rule for the measure).
    case unjudged
    /// The judged (current) year's line.
    case current
    /// The previous year's line.
    case previous
    /// The largest count that still meets the rule.
    case target
    /// The previous year's level.
    case reference
}

/// How a series is drawn.
public enum ChartMark: String, Sendable, Hashable {
    /// Vertical bars from zero, one per x category.
    case bar
    /// A line through the points with a dot on each; a missing value breaks the line.
    case line
}

/// One position on the x axis: a machine value (a year, a month 1–12) and its label.
public struct ChartCategory: Sendable, Hashable {
    public var value: Int
    public var label: LocalizedText

    public init(value: Int, label: LocalizedText) {
        self.value = value
        self.label = label
    }
}

/// An axis: its title, the unit of its values, and (for the x axis) its categories in order.
public struct ChartAxis: Sendable, Hashable {
    public var title: LocalizedText
    /// Unit of one value ("vụ" / "cases"); nil for the x axis.
    public var unit: LocalizedText?
    /// Ordered categories of a discrete axis; empty for the (quantitative) y axis.
    public var categories: [ChartCategory]

    public init(title: LocalizedText, unit: LocalizedText? = nil, categories: [ChartCategory] = []) {
        self.title = title
        self.unit = unit
        self.categories = categories
    }
}

/// One value of a series at an x category. `y` is nil when the value is missing (never drawn as 0).
public struct ChartPoint: Sendable, Hashable {
    /// The `ChartCategory.value` this point belongs to.
    public var x: Int
    public var y: Double?
    /// Overrides the series tone for this point (a bar coloured by its year's verdict).
    public var tone: ChartTone?

    public init(x: Int, y: Double?, tone: ChartTone? = nil) {
        self.x = x
        self.y = y
        self.tone = tone
    }
}

/// A data series: an id for machine formats, a legend label, a mark and its points.
public struct ChartSeries: Sendable, Hashable {
    /// Stable snake_case id (the `layer` field of Vega-Lite data).
    public var id: String
    public var label: LocalizedText
    public var mark: ChartMark
    public var tone: ChartTone
    public var points: [ChartPoint]

    public init(id: String, label: LocalizedText, mark: ChartMark, tone: ChartTone, points: [ChartPoint]) {
        self.id = id
        self.label = label
        self.mark = mark
        self.tone = tone
        self.points = points
    }
}

/// A horizontal line at a fixed y across the plot (a target or a previous-year level).
public struct ReferenceLine: Sendable, Hashable {
    /// Stable snake_case id (the `layer` field of Vega-Lite data).
    public var id: String
    /// Legend text ("Mức tối đa để đạt năm 2025").
    public var label: LocalizedText
    public var y: Double
    public var tone: ChartTone

    public init(id: String, label: LocalizedText, y: Double, tone: ChartTone) {
        self.id = id
        self.label = label
        self.y = y
        self.tone = tone
    }
}

/// One plot area: a title (the unit's name in small multiples) and its layers.
public struct ChartPanel: Sendable, Hashable {
    public var title: String?
    public var series: [ChartSeries]
    public var references: [ReferenceLine]

    public init(title: String? = nil, series: [ChartSeries] = [], references: [ReferenceLine] = []) {
        self.title = title
        self.series = series
        self.references = references
    }

    /// The largest value drawn (series values and reference lines); nil when nothing is drawn.
    var maximum: Double? {
        let values = series.flatMap { $0.points.compactMap(\.y) } + references.map(\.y)
        return values.max()
    }
}

/// A chart as typed data, independent of how it is drawn: `SVGChartRenderer` draws it as a
/// standalone SVG, `VegaLiteRenderer` writes it as a Vega-Lite v5 spec with the data inline.
///
/// Panels share the axes: one panel is an ordinary chart; several are small multiples with a
/// common y scale, so villages can be compared by eye.
public struct Chart: Sendable, Hashable {
    public var kind: ChartKind
    public var title: LocalizedText
    public var subtitle: LocalizedText?
    public var xAxis: ChartAxis
    public var yAxis: ChartAxis
    public var panels: [ChartPanel]
    /// Sentences printed under the chart (how values were counted, what was excluded).
    public var notes: [LocalizedText]

    public init(kind: ChartKind, title: LocalizedText, subtitle: LocalizedText? = nil, xAxis: ChartAxis, yAxis: ChartAxis,
                panels: [ChartPanel], notes: [LocalizedText] = []) {
        self.kind = kind
        self.title = title
        self.subtitle = subtitle
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.panels = panels
        self.notes = notes
    }

    /// Whether any panel has at least one value to draw.
    public var hasData: Bool {
        panels.contains { panel in panel.series.contains { $0.points.contains { $0.y != nil } } }
    }

    /// The entries of the legend, in drawing order: each tone used by a series or a point
    /// (with the series label, or the verdict word for point tones), then each reference line
    /// (with its value when there is a single panel).
    public var legend: [LegendEntry] {
        var entries: [LegendEntry] = []
        func add(_ entry: LegendEntry) {
            if !entries.contains(where: { $0.tone == entry.tone && $0.isLine == entry.isLine }) { entries.append(entry) }
        }
        for panel in panels {
            for series in panel.series {
                let pointTones = Set(series.points.compactMap { $0.y == nil ? nil : $0.tone })
                if pointTones.isEmpty {
                    add(LegendEntry(tone: series.tone, label: series.label, isLine: series.mark == .line))
                } else {
                    for tone in ChartTone.allCases where pointTones.contains(tone) {
                        add(LegendEntry(tone: tone, label: ChartPalette.legendLabel(tone) ?? series.label, isLine: series.mark == .line))
                    }
                }
            }
        }
        for panel in panels {
            for line in panel.references {
                add(LegendEntry(tone: line.tone, label: line.label, isLine: true, value: panels.count == 1 ? line.y : nil))
            }
        }
        return entries
    }
}

/// One legend entry: a colour swatch (a square for bars, a line otherwise) and its text.
public struct LegendEntry: Sendable, Hashable {
    public var tone: ChartTone
    public var label: LocalizedText
    public var isLine: Bool
    /// The reference line's value, shown after the label when there is one panel.
    public var value: Double?

    public init(tone: ChartTone, label: LocalizedText, isLine: Bool, value: Double? = nil) {
        self.tone = tone
        self.label = label
        self.isLine = isLine
        self.value = value
    }
}

/// Colours of the chart tones: distinguishable in colour-blind vision and in grey print
/// (met is dark, not met is mid-tone with a different hue, unjudged is light).
public enum ChartPalette {
    /// `#rrggbb` colour of `tone`.
    public static func color(_ tone: ChartTone) -> String {
        switch tone {
        case .met: return "#1a7f4b"
        case .notMet: return "#c0392b"
        case .unjudged: return "#a6adb4"
        case .current: return "#1f4e79"
        case .previous: return "#8c8c8c"
        case .target: return "#c0392b"
        case .reference: return "#555555"
        }
    }

    /// Verdict word used in the legend for point tones; nil for series tones.
    public static func legendLabel(_ tone: ChartTone) -> LocalizedText? {
        switch tone {
        case .met: return LocalizedText(vi: "Đạt so với năm trước", en: "Met against the previous year")
        case .notMet: return LocalizedText(vi: "Không đạt so với năm trước", en: "Not met against the previous year")
        case .unjudged: return LocalizedText(vi: "Không đánh giá được", en: "Not judged")
        case .current, .previous, .target, .reference: return nil
        }
    }

    /// Dash pattern of lines in `tone` (SVG `stroke-dasharray`), nil for solid.
    public static func dash(_ tone: ChartTone) -> [Int]? {
        switch tone {
        case .target: return [6, 4]
        case .reference: return [2, 3]
        case .met, .notMet, .unjudged, .current, .previous: return nil
        }
    }
}
