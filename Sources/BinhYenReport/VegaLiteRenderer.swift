import BinhYenCore

/// Writes a `Chart` as a Vega-Lite v5 specification with its data inline, for external tools
/// (the Vega editor, Altair, Observable, BI tools that embed Vega-Lite).
///
/// Data are one long table (`data.values`), one record per drawn value:
/// `panel` (unit name, "" for a single panel), `layer` (series or reference-line id), `series`
/// (its label), `x` (year or month number), `x_label`, `y` (null when missing), `legend` (the
/// legend entry: a verdict word for verdict-coloured bars, else the series label), `tone`
/// (`met`, `not_met`, `unjudged`, `current`, `previous`, `target`, `reference`) and, for
/// reference lines, `text` (label and value; the legend names the lines in the chart). Each layer
/// selects its rows with a `filter` on `layer`. A chart with a continuous x axis (the funnel plot)
/// writes its curves (one `layer` per curve, `x` a number) and its points (`layer` "points", `text`
/// the village, `labelled` whether the chart names it) on a quantitative x scale from 0.
/// One panel is a layered spec; several are a `facet` on `panel` with a shared y scale.
/// The y scale runs from 0 to the same nice maximum as the SVG (`ChartScale`); the colours
/// are those of `ChartPalette`; `config.locale` gives Vietnamese number style (`1.000`, `3,5`)
/// with `language == .vi`. Notes go to `description` and to `usermeta.binhyen.notes`, the unit of
/// one y value ("vụ" / "cases") to `usermeta.binhyen.y_unit`.
///
/// The output validates against the official Vega-Lite v5 JSON schema (v5.20.1; the test
/// suite checks it with Python `jsonschema`).
public struct VegaLiteRenderer: Sendable {
    public var language: Language

    public init(language: Language) {
        self.language = language
    }

    public static let schemaURL = "https://vega.github.io/schema/vega-lite/v5.json"

    public func render(_ chart: Chart) -> String {
        document(chart).rendered()
    }

    /// The specification as a JSON value.
    public func document(_ chart: Chart) -> JSONValue {
        let scale = ChartScale(maximum: chart.panels.compactMap(\.maximum).max().map { $0 * 1.06 })
        let facetted = chart.panels.count > 1
        var title: [JSONMember] = [JSONMember("text", .string(chart.title(language)))]
        if let subtitle = chart.subtitle { title.append(JSONMember("subtitle", .string(subtitle(language)))) }
        let notes = chart.notes.map { $0(language) }
        var members: [JSONMember] = [
            JSONMember("$schema", .string(Self.schemaURL)),
            JSONMember("title", .object(title)),
        ]
        if !notes.isEmpty { members.append(JSONMember("description", .string(notes.joined(separator: " ")))) }
        members.append(JSONMember("data", .object([JSONMember("values", .array(rows(chart)))])))
        let layers = self.layers(chart, scale: scale, labels: !facetted)
        if facetted {
            members.append(JSONMember("facet", .object([
                JSONMember("field", .string("panel")),
                JSONMember("type", .string("nominal")),
                JSONMember("sort", .array(chart.panels.map { .string($0.title ?? "") })),
                JSONMember("title", .null),
            ])))
            members.append(JSONMember("columns", .integer(min(chart.panels.count, 4))))
            members.append(JSONMember("spec", .object([
                JSONMember("width", .integer(150)),
                JSONMember("height", .integer(110)),
                JSONMember("layer", .array(layers)),
            ])))
            members.append(JSONMember("resolve", .object([
                JSONMember("scale", .object([JSONMember("y", .string("shared"))])),
            ])))
        } else {
            members.append(JSONMember("width", .integer(600)))
            members.append(JSONMember("height", .integer(260)))
            members.append(JSONMember("layer", .array(layers)))
        }
        members.append(JSONMember("config", config()))
        members.append(JSONMember("usermeta", .object([JSONMember("binhyen", .object([
            JSONMember("chart_kind", .string(chart.kind.rawValue)),
            JSONMember("language", .string(language.rawValue)),
            JSONMember("y_unit", .optional(chart.yAxis.unit?(language))),
            JSONMember("notes", .array(notes.map(JSONValue.string))),
        ]))])))
        return .object(members)
    }

    // MARK: - Data

    private func rows(_ chart: Chart) -> [JSONValue] {
        let labels = Dictionary(chart.xAxis.categories.map { ($0.value, $0.label(language)) }, uniquingKeysWith: { first, _ in first })
        var rows: [JSONValue] = []
        for panel in chart.panels {
            let name = JSONValue.string(panel.title ?? "")
            for series in panel.series {
                for point in series.points {
                    let tone = point.tone ?? series.tone
                    let legend = point.tone.flatMap(ChartPalette.legendLabel) ?? series.label
                    rows.append(.object([
                        JSONMember("panel", name),
                        JSONMember("layer", .string(series.id)),
                        JSONMember("series", .string(series.label(language))),
                        JSONMember("x", .integer(point.x)),
                        JSONMember("x_label", .optional(labels[point.x])),
                        JSONMember("y", Self.value(point.y)),
                        JSONMember("legend", .string(legend(language))),
                        JSONMember("tone", .string(tone.rawValue)),
                    ]))
                }
            }
            for curve in panel.curves {
                for point in curve.points {
                    rows.append(.object([
                        JSONMember("panel", name),
                        JSONMember("layer", .string(curve.id)),
                        JSONMember("series", .string(curve.label(language))),
                        JSONMember("x", .number(point.x)),
                        JSONMember("y", Self.value(point.y)),
                        JSONMember("legend", .string(curve.label(language))),
                        JSONMember("tone", .string(curve.tone.rawValue)),
                    ]))
                }
            }
            for point in panel.scatter {
                let legend = ChartPalette.legendLabel(point.tone) ?? .same(point.tone.rawValue)
                rows.append(.object([
                    JSONMember("panel", name),
                    JSONMember("layer", .string("points")),
                    JSONMember("series", .string(point.label)),
                    JSONMember("x", Self.value(point.x)),
                    JSONMember("y", Self.value(point.y)),
                    JSONMember("legend", .string(legend(language))),
                    JSONMember("tone", .string(point.tone.rawValue)),
                    JSONMember("text", .string(point.label)),
                    JSONMember("labelled", .bool(point.labelled)),
                ]))
            }
            for line in panel.references {
                rows.append(.object([
                    JSONMember("panel", name),
                    JSONMember("layer", .string(line.id)),
                    JSONMember("series", .string(line.label(language))),
                    JSONMember("y", Self.value(line.y)),
                    JSONMember("legend", .string(line.label(language))),
                    JSONMember("tone", .string(line.tone.rawValue)),
                    JSONMember("text", .string("\(line.label(language)): \(ChartScale.label(line.y, language: language))")),
                ]))
            }
        }
        return rows
    }

    // MARK: - Layers

    private func layers(_ chart: Chart, scale: ChartScale, labels: Bool) -> [JSONValue] {
        var seriesByID: [(ChartSeries)] = []
        var referencesByID: [ReferenceLine] = []
        for panel in chart.panels {
            for series in panel.series where !seriesByID.contains(where: { $0.id == series.id }) { seriesByID.append(series) }
            for line in panel.references where !referencesByID.contains(where: { $0.id == line.id }) { referencesByID.append(line) }
        }
        let x = JSONValue.object([
            JSONMember("field", .string("x_label")),
            JSONMember("type", .string("ordinal")),
            JSONMember("sort", .array(chart.xAxis.categories.map { .string($0.label(language)) })),
            JSONMember("title", .string(chart.xAxis.title(language))),
            JSONMember("axis", .object([JSONMember("labelAngle", .integer(0)), JSONMember("labelOverlap", .string("parity"))])),
        ])
        let y = JSONValue.object([
            JSONMember("field", .string("y")),
            JSONMember("type", .string("quantitative")),
            JSONMember("title", .string(chart.yAxis.title(language))),
            JSONMember("scale", .object([JSONMember("domain", .array([.integer(0), .number(scale.upper)]))])),
            JSONMember("axis", .object([JSONMember("tickMinStep", .integer(1)), JSONMember("format", .string(",d"))])),
        ])
        let color = colorEncoding(chart)
        if chart.isContinuous {
            return continuousLayers(chart, scale: scale, color: color, labels: labels) + referencesByID.map { line in
                var mark: [JSONMember] = [JSONMember("type", .string("rule")), JSONMember("size", .number(1.5))]
                if let dash = ChartPalette.dash(line.tone) { mark.append(JSONMember("strokeDash", .array(dash.map(JSONValue.integer)))) }
                return .object([
                    JSONMember("transform", .array([filter(line.id)])),
                    JSONMember("mark", .object(mark)),
                    JSONMember("encoding", .object([
                        JSONMember("y", .object([JSONMember("field", .string("y")), JSONMember("type", .string("quantitative"))])),
                        JSONMember("color", color),
                    ])),
                ])
            }
        }
        var layers: [JSONValue] = []
        for series in seriesByID {
            let mark: JSONValue = series.mark == .bar
                ? .object([JSONMember("type", .string("bar"))])
                : .object([JSONMember("type", .string("line")), JSONMember("point", .bool(true))])
            layers.append(.object([
                JSONMember("transform", .array([filter(series.id)])),
                JSONMember("mark", mark),
                JSONMember("encoding", .object([
                    JSONMember("x", x),
                    JSONMember("y", y),
                    JSONMember("color", color),
                    JSONMember("tooltip", .array([
                        .object([JSONMember("field", .string("series")), JSONMember("type", .string("nominal"))]),
                        .object([JSONMember("field", .string("x_label")), JSONMember("type", .string("ordinal")),
                                 JSONMember("title", .string(chart.xAxis.title(language)))]),
                        .object([JSONMember("field", .string("y")), JSONMember("type", .string("quantitative")),
                                 JSONMember("title", .string(chart.yAxis.title(language)))]),
                        .object([JSONMember("field", .string("legend")), JSONMember("type", .string("nominal"))]),
                    ])),
                ])),
            ]))
            if labels && series.mark == .bar {
                layers.append(.object([
                    JSONMember("transform", .array([filter(series.id)])),
                    JSONMember("mark", .object([JSONMember("type", .string("text")), JSONMember("dy", .integer(-7)),
                                                JSONMember("fontSize", .integer(10))])),
                    JSONMember("encoding", .object([
                        JSONMember("x", x),
                        JSONMember("y", y),
                        JSONMember("text", .object([JSONMember("field", .string("y")), JSONMember("type", .string("quantitative")),
                                                    JSONMember("format", .string(",d"))])),
                    ])),
                ]))
            }
        }
        for line in referencesByID {
            var mark: [JSONMember] = [JSONMember("type", .string("rule")), JSONMember("size", .number(1.5))]
            if let dash = ChartPalette.dash(line.tone) { mark.append(JSONMember("strokeDash", .array(dash.map(JSONValue.integer)))) }
            let ruleY = JSONValue.object([JSONMember("field", .string("y")), JSONMember("type", .string("quantitative"))])
            layers.append(.object([
                JSONMember("transform", .array([filter(line.id)])),
                JSONMember("mark", .object(mark)),
                JSONMember("encoding", .object([JSONMember("y", ruleY), JSONMember("color", color)])),
            ]))
        }
        return layers
    }

    /// Curves and points on a quantitative x axis (the funnel plot): one line layer per curve, one
    /// point layer, and (single panel) the names of labelled points.
    private func continuousLayers(_ chart: Chart, scale: ChartScale, color: JSONValue, labels: Bool) -> [JSONValue] {
        let xScale = ChartScale(maximum: chart.panels.compactMap(\.maximumX).max())
        let x = JSONValue.object([
            JSONMember("field", .string("x")),
            JSONMember("type", .string("quantitative")),
            JSONMember("title", .string(chart.xAxis.title(language))),
            JSONMember("scale", .object([JSONMember("domain", .array([.integer(0), .number(xScale.upper)]))])),
        ])
        let y = JSONValue.object([
            JSONMember("field", .string("y")),
            JSONMember("type", .string("quantitative")),
            JSONMember("title", .string(chart.yAxis.title(language))),
            JSONMember("scale", .object([JSONMember("domain", .array([.integer(0), .number(scale.upper)]))])),
        ])
        var curveIDs: [ChartCurve] = []
        for panel in chart.panels {
            for curve in panel.curves where !curveIDs.contains(where: { $0.id == curve.id }) { curveIDs.append(curve) }
        }
        var layers: [JSONValue] = curveIDs.map { curve in
            var mark: [JSONMember] = [JSONMember("type", .string("line")), JSONMember("strokeWidth", .number(1.5))]
            if let dash = ChartPalette.dash(curve.tone) { mark.append(JSONMember("strokeDash", .array(dash.map(JSONValue.integer)))) }
            return .object([
                JSONMember("transform", .array([filter(curve.id)])),
                JSONMember("mark", .object(mark)),
                JSONMember("encoding", .object([JSONMember("x", x), JSONMember("y", y), JSONMember("color", color)])),
            ])
        }
        layers.append(.object([
            JSONMember("transform", .array([filter("points")])),
            JSONMember("mark", .object([JSONMember("type", .string("point")), JSONMember("filled", .bool(true)),
                                        JSONMember("size", .integer(70))])),
            JSONMember("encoding", .object([
                JSONMember("x", x),
                JSONMember("y", y),
                JSONMember("color", color),
                JSONMember("tooltip", .array([
                    .object([JSONMember("field", .string("text")), JSONMember("type", .string("nominal"))]),
                    .object([JSONMember("field", .string("x")), JSONMember("type", .string("quantitative")),
                             JSONMember("title", .string(chart.xAxis.title(language)))]),
                    .object([JSONMember("field", .string("y")), JSONMember("type", .string("quantitative")),
                             JSONMember("title", .string(chart.yAxis.title(language)))]),
                    .object([JSONMember("field", .string("legend")), JSONMember("type", .string("nominal"))]),
                ])),
            ])),
        ]))
        if labels {
            layers.append(.object([
                JSONMember("transform", .array([filter("points"),
                                                .object([JSONMember("filter", .object([JSONMember("field", .string("labelled")),
                                                                                       JSONMember("equal", .bool(true))]))])])),
                JSONMember("mark", .object([JSONMember("type", .string("text")), JSONMember("align", .string("left")),
                                            JSONMember("dx", .integer(7)), JSONMember("fontSize", .integer(10))])),
                JSONMember("encoding", .object([
                    JSONMember("x", x),
                    JSONMember("y", y),
                    JSONMember("text", .object([JSONMember("field", .string("text")), JSONMember("type", .string("nominal"))])),
                ])),
            ]))
        }
        return layers
    }

    /// A count as a JSON integer, another number in shortest form, a missing value as `null`.
    static func value(_ number: Double?) -> JSONValue {
        guard let number else { return .null }
        if number == number.rounded(), abs(number) < 9_007_199_254_740_992 { return .integer(Int(number)) }
        return .number(number)
    }

    private func filter(_ layer: String) -> JSONValue {
        .object([JSONMember("filter", .object([JSONMember("field", .string("layer")), JSONMember("equal", .string(layer))]))])
    }

    /// One colour scale for every layer: the legend entries and their palette colours.
    private func colorEncoding(_ chart: Chart) -> JSONValue {
        let legend = chart.legend
        return .object([
            JSONMember("field", .string("legend")),
            JSONMember("type", .string("nominal")),
            JSONMember("scale", .object([
                JSONMember("domain", .array(legend.map { .string($0.label(language)) })),
                JSONMember("range", .array(legend.map { .string(ChartPalette.color($0.tone)) })),
            ])),
            JSONMember("legend", .object([JSONMember("title", .null), JSONMember("orient", .string("bottom"))])),
        ])
    }

    private func config() -> JSONValue {
        var members: [JSONMember] = [JSONMember("font", .string(SVGChartRenderer.fontStack))]
        if language == .vi {
            members.append(JSONMember("locale", .object([JSONMember("number", .object([
                JSONMember("decimal", .string(",")),
                JSONMember("thousands", .string(".")),
                JSONMember("grouping", .array([.integer(3)])),
                JSONMember("currency", .array([.string(""), .string(" ₫")])),
                JSONMember("minus", .string("\u{2212}")),
            ]))])))
        }
        return .object(members)
    }
}
