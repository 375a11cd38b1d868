import BinhYenCore

/// Which chart a `Chart` is (the `--kind` of `binhyen chart`).
///
/// A trend line is one more `ChartSeries` with mark `.line` and tone `.trend` (id `trend`).
public enum ChartKind: String, Sendable, Hashable, CaseIterable {
    /// Commune yearly totals of one measure with the rule's target (one panel per commune).
    case totals
    /// Yearly counts of one measure in each village (small multiples, one panel per village).
    case villages
    /// Cumulative monthly counts of the judged year against the previous year (one panel per commune).
    case months
    /// Funnel plot of the judged year: village rates per 1,000 against population, with the target
    /// rate and Spiegelhalter's 95% and 99.8% limits (one panel per commune; continuous x axis).
    case funnel
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
    /// The previous year's level; the funnel's target rate.
    case reference
    /// A village above the funnel's outer (99.8%) limit.
    case funnelAlarm = "funnel_alarm"
    /// A village above the inner (95%) limit only.
    case funnelAlert = "funnel_alert"
    /// A village inside the limits.
    case funnelInControl = "funnel_in_control"
    /// A village below the lower limits.
    case funnelLow = "funnel_low"
    /// The funnel's 99.8% limits.
    case limitOuter = "limit_outer"
    /// The funnel's 95% limits.
    case limitInner = "limit_inner"
    /// A fitted trend line (Theil–Sen, as the `trend` command reports it).
    case trend
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
/// An x axis without categories is continuous (from 0, nice ticks): panels then draw
/// `ChartPanel.scatter` and `ChartPanel.curves` instead of series.
public struct ChartAxis: Sendable, Hashable {
    public var title: LocalizedText
    /// Unit of one value ("vụ" / "cases"); nil for the x axis.
    public var unit: LocalizedText?
    /// Ordered categories of a discrete axis; empty for the (quantitative) y axis and a continuous x axis.
    public var categories: [ChartCategory]

    public init(title: LocalizedText, unit: LocalizedText? = nil, categories: [ChartCategory] = []) {
        self.title = title
        self.unit = unit
        self.categories = categories
    }
}

/// A point on a continuous x axis (a village on a funnel plot), with a label drawn next to it
/// when `labelled` (villages outside the limits).
public struct ScatterPoint: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var label: String
    public var tone: ChartTone
    public var labelled: Bool

    public init(x: Double, y: Double, label: String, tone: ChartTone, labelled: Bool = false) {
        self.x = x
        self.y = y
        self.label = label
        self.tone = tone
        self.labelled = labelled
    }
}

/// A line through points on a continuous x axis (a funnel limit as a function of population).
public struct ChartCurve: Sendable, Hashable {
    /// Stable snake_case id (the `layer` field of Vega-Lite data).
    public var id: String
    public var label: LocalizedText
    public var tone: ChartTone
    /// `(x, y)` pairs in increasing x.
    public var points: [ChartXY]

    public init(id: String, label: LocalizedText, tone: ChartTone, points: [ChartXY]) {
        self.id = id
        self.label = label
        self.tone = tone
        self.points = points
    }
}

/// One `(x, y)` position on a continuous chart.
public struct ChartXY: Sendable, Hashable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
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
    /// Points on a continuous x axis.
    public var scatter: [ScatterPoint]
    /// Lines on a continuous x axis.
    public var curves: [ChartCurve]

    public init(title: String? = nil, series: [ChartSeries] = [], references: [ReferenceLine] = [],
                scatter: [ScatterPoint] = [], curves: [ChartCurve] = []) {
        self.title = title
        self.series = series
        self.references = references
        self.scatter = scatter
        self.curves = curves
    }

    /// The largest value drawn (series, scatter and curve values and reference lines); nil when nothing is drawn.
    var maximum: Double? {
        let values = series.flatMap { $0.points.compactMap(\.y) } + references.map(\.y) + scatter.map(\.y)
            + curves.flatMap { $0.points.map(\.y) }
        return values.max()
    }

    /// The largest x of the scatter points and curves (continuous axis); nil without them.
    var maximumX: Double? {
        (scatter.map(\.x) + curves.flatMap { $0.points.map(\.x) }).max()
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
        panels.contains { panel in panel.series.contains { $0.points.contains { $0.y != nil } } || !panel.scatter.isEmpty }
    }

    /// Whether the x axis is continuous (no categories): scatter points and curves.
    public var isContinuous: Bool { xAxis.categories.isEmpty }

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
            for tone in ChartTone.allCases where panel.scatter.contains(where: { $0.tone == tone }) {
                add(LegendEntry(tone: tone, label: ChartPalette.legendLabel(tone) ?? .same(tone.rawValue), isLine: false, isDot: true))
            }
        }
        for panel in panels {
            for line in panel.references {
                add(LegendEntry(tone: line.tone, label: line.label, isLine: true, value: panels.count == 1 ? line.y : nil))
            }
            for curve in panel.curves { add(LegendEntry(tone: curve.tone, label: curve.label, isLine: true)) }
        }
        return entries
    }
}

/// One legend entry: a colour swatch (a square for bars, a line otherwise) and its text.
public struct LegendEntry: Sendable, Hashable {
    public var tone: ChartTone
    public var label: LocalizedText
    public var isLine: Bool
    /// A dot (scatter point) rather than a square or a line.
    public var isDot: Bool
    /// The reference line's value, shown after the label when there is one panel.
    public var value: Double?

    public init(tone: ChartTone, label: LocalizedText, isLine: Bool, isDot: Bool = false, value: Double? = nil) {
        self.tone = tone
        self.label = label
        self.isLine = isLine
        self.isDot = isDot
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
        case .funnelAlarm: return "#c0392b"
        case .funnelAlert: return "#e67e22"
        case .funnelInControl: return "#1f4e79"
        case .funnelLow: return "#1a7f4b"
        case .limitOuter: return "#7f1d1d"
        case .limitInner: return "#b7791f"
        case .trend: return "#6a3d9a"
        }
    }

    /// Verdict word used in the legend for point tones; nil for series tones.
    public static func legendLabel(_ tone: ChartTone) -> LocalizedText? {
        switch tone {
        case .met: return LocalizedText(vi: "Đạt so với năm trước", en: "Met against the previous year")
        case .notMet: return LocalizedText(vi: "Không đạt so với năm trước", en: "Not met against the previous year")
        case .unjudged: return LocalizedText(vi: "Không đánh giá được", en: "Not judged")
        case .funnelAlarm: return LocalizedText(vi: "Trên giới hạn 99,8%", en: "Above the 99.8% limit")
        case .funnelAlert: return LocalizedText(vi: "Trên giới hạn 95%", en: "Above the 95% limit")
        case .funnelInControl: return LocalizedText(vi: "Trong giới hạn", en: "Within the limits")
        case .funnelLow: return LocalizedText(vi: "Dưới giới hạn 95%", en: "Below the 95% limit")
        case .current, .previous, .target, .reference, .limitOuter, .limitInner, .trend: return nil
        }
    }

    /// Dash pattern of lines in `tone` (SVG `stroke-dasharray`), nil for solid.
    public static func dash(_ tone: ChartTone) -> [Int]? {
        switch tone {
        case .target, .limitOuter: return [6, 4]
        case .reference: return [2, 3]
        case .limitInner: return [3, 3]
        case .met, .notMet, .unjudged, .current, .previous, .funnelAlarm, .funnelAlert, .funnelInControl, .funnelLow, .trend: return nil
        }
    }
}
