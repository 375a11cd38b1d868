import BinhYenCore
import Foundation

/// Draws a `Chart` as one standalone SVG 1.1 document, written by hand (no dependency).
///
/// Layout is made for A4 print: 720 px wide (the text width of an A4 page with 15 mm margins
/// at 96 dpi), 12 px text scaled down at most to about 8.5 pt. One panel is a 720 × ~380 chart;
/// several panels are small multiples in up to four columns with one shared y scale, the
/// y labels on the first column only. The y axis starts at 0 with nice ticks (`ChartScale`);
/// numbers use the language's style (`1.000` / `1,000`). Bars carry their value on top when
/// there is room; x labels are thinned when they would overlap, always keeping the last one
/// (the judged year). A missing value is a gap; a zero is a 2 px stub on the axis.
///
/// Every text is escaped (`MarkupText`); the document has a `<title>` and `<desc>` for screen
/// readers, no ids (several charts can be inlined in one HTML page) and no external reference.
public struct SVGChartRenderer: Sendable {
    public var language: Language
    /// Whether to write the `<?xml …?>` declaration (true for a standalone file, false inline in HTML).
    public var xmlDeclaration: Bool

    public init(language: Language, xmlDeclaration: Bool = true) {
        self.language = language
        self.xmlDeclaration = xmlDeclaration
    }

    /// Width of every chart, in px.
    public static let width = 720.0
    static let fontStack = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"

    public func render(_ chart: Chart) -> String {
        var canvas = Canvas()
        var y = 6.0
        // Bold glyphs are wider: wrap as if the title were set one size larger.
        for line in Self.wrap(chart.title(language), width: Self.width - 32, size: 17) {
            y += 20
            canvas.text(line, x: 16, y: y, size: 16, weight: "bold")
        }
        if let subtitle = chart.subtitle {
            for line in Self.wrap(subtitle(language), width: Self.width - 32, size: 12) {
                y += 17
                canvas.text(line, x: 16, y: y, size: 12, color: "#444444")
            }
        }
        y += 20
        // Head room so that a value label above the tallest bar stays inside the plot.
        let scale = ChartScale(maximum: chart.panels.compactMap(\.maximum).max().map { $0 * 1.06 })
        if chart.panels.count <= 1 {
            canvas.text(chart.yAxis.title(language), x: 16, y: y, size: 11, color: "#444444")
            let plot = Rect(x: 64, y: y + 16, width: Self.width - 64 - 32, height: 230)
            drawPanel(chart.panels.first ?? ChartPanel(), chart: chart, in: plot, scale: scale, style: .single, yLabels: true,
                      canvas: &canvas)
            y = plot.maxY + 22
            canvas.text(chart.xAxis.title(language), x: plot.x + plot.width / 2, y: y + 16, size: 11, color: "#444444",
                        anchor: "middle")
            y += 24
        } else {
            let columns = min(chart.panels.count, 4)
            let left = 48.0
            let gap = 14.0
            let cellWidth = (Self.width - left - 16 - gap * Double(columns - 1)) / Double(columns)
            let plotHeight = 110.0
            let cellHeight = plotHeight + 52
            canvas.text(chart.yAxis.title(language), x: 16, y: y + 4, size: 11, color: "#444444")
            y += 12
            for (index, panel) in chart.panels.enumerated() {
                let column = index % columns
                let row = index / columns
                let cellX = left + Double(column) * (cellWidth + gap)
                let cellY = y + Double(row) * cellHeight
                if let title = panel.title {
                    let fitted = Self.truncated(title, width: cellWidth, size: 11)
                    canvas.text(fitted, x: cellX, y: cellY + 14, size: 11, weight: "bold")
                }
                let plot = Rect(x: cellX, y: cellY + 22, width: cellWidth, height: plotHeight)
                drawPanel(panel, chart: chart, in: plot, scale: scale, style: .small, yLabels: column == 0, canvas: &canvas)
            }
            let rows = (chart.panels.count + columns - 1) / columns
            y += Double(rows) * cellHeight
            canvas.text(chart.xAxis.title(language), x: Self.width / 2, y: y + 2, size: 11, color: "#444444", anchor: "middle")
            y += 14
        }
        y = drawLegend(chart, top: y, canvas: &canvas)
        for note in chart.notes {
            for line in Self.wrap(note(language), width: Self.width - 32, size: 11) {
                y += 15
                canvas.text(line, x: 16, y: y, size: 11, color: "#444444")
            }
        }
        let height = (y + 16).rounded(.up)
        var svg = xmlDeclaration ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        let label = MarkupText.escaped(chart.title(language))
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(Self.number(Self.width))\" height=\"\(Self.number(height))\""
        svg += " viewBox=\"0 0 \(Self.number(Self.width)) \(Self.number(height))\" role=\"img\" aria-label=\"\(label)\""
        svg += " font-family=\"\(Self.fontStack)\">\n"
        svg += "<title>\(label)</title>\n"
        let description = ([chart.subtitle] + chart.notes.map { Optional($0) }).compactMap { $0?(language) }.joined(separator: " ")
        if !description.isEmpty { svg += "<desc>\(MarkupText.escaped(description))</desc>\n" }
        svg += "<rect x=\"0\" y=\"0\" width=\"\(Self.number(Self.width))\" height=\"\(Self.number(height))\" fill=\"#ffffff\"/>\n"
        svg += canvas.body
        svg += "</svg>\n"
        return svg
    }

    // MARK: - Panels

    enum PanelStyle {
        case single, small

        var labelSize: Double { self == .single ? 11 : 9 }
        var valueSize: Double { self == .single ? 10 : 8 }
    }

    private func drawPanel(_ panel: ChartPanel, chart: Chart, in plot: Rect, scale: ChartScale, style: PanelStyle,
                           yLabels: Bool, canvas: inout Canvas) {
        func yPosition(_ value: Double) -> Double { plot.maxY - value / scale.upper * plot.height }
        for tick in scale.ticks {
            let ty = yPosition(tick)
            canvas.line(x1: plot.x, y1: ty, x2: plot.maxX, y2: ty, color: tick == 0 ? "#333333" : "#dddddd", width: tick == 0 ? 1 : 0.75)
            if yLabels {
                canvas.text(ChartScale.label(tick, language: language), x: plot.x - 6, y: ty + style.labelSize / 3,
                            size: style.labelSize, color: "#444444", anchor: "end")
            }
        }
        if chart.isContinuous {
            drawContinuous(panel, chart: chart, in: plot, yPosition: yPosition, style: style, canvas: &canvas)
            return
        }
        let categories = chart.xAxis.categories
        guard !categories.isEmpty else { return }
        let band = plot.width / Double(categories.count)
        func center(_ x: Int) -> Double? {
            categories.firstIndex { $0.value == x }.map { plot.x + band * (Double($0) + 0.5) }
        }
        // x labels, thinned so that they do not overlap; the last one is always shown.
        let labels = categories.map { $0.label(language) }
        let widest = labels.map { Self.textWidth($0, size: style.labelSize) }.max() ?? 0
        let every = max(1, Int(((widest + 4) / band).rounded(.up)))
        for (index, text) in labels.enumerated() where (categories.count - 1 - index) % every == 0 {
            canvas.text(text, x: plot.x + band * (Double(index) + 0.5), y: plot.maxY + style.labelSize + 4,
                        size: style.labelSize, color: "#333333", anchor: "middle")
        }
        let bars = panel.series.filter { $0.mark == .bar }
        let barGroup = band * 0.72
        for (barIndex, series) in bars.enumerated() {
            let barWidth = barGroup / Double(bars.count)
            for point in series.points {
                guard let value = point.y, let middle = center(point.x) else { continue }
                let left = middle - barGroup / 2 + Double(barIndex) * barWidth
                let top = yPosition(value)
                let color = ChartPalette.color(point.tone ?? series.tone)
                // A zero is a short stub on the axis, so that it differs from a missing value (nothing).
                let height = max(plot.maxY - top, 2)
                canvas.rect(x: left, y: plot.maxY - height, width: barWidth, height: height, fill: color)
                if barWidth >= 14 {
                    canvas.text(ChartScale.label(value, language: language), x: left + barWidth / 2, y: top - 3,
                                size: style.valueSize, color: "#222222", anchor: "middle")
                }
            }
        }
        for series in panel.series where series.mark == .line {
            let color = ChartPalette.color(series.tone)
            var segments: [[(Double, Double)]] = [[]]
            for point in series.points {
                guard let value = point.y, let middle = center(point.x) else {
                    if !(segments.last?.isEmpty ?? true) { segments.append([]) }
                    continue
                }
                segments[segments.count - 1].append((middle, yPosition(value)))
            }
            for segment in segments where segment.count > 1 {
                canvas.polyline(segment, color: color, width: style == .single ? 2.5 : 1.5, dash: ChartPalette.dash(series.tone))
            }
            for segment in segments {
                for (x, y) in segment { canvas.circle(x: x, y: y, radius: style == .single ? 3.5 : 2, fill: color) }
            }
            // The end value of each line, where a reader looks for it.
            if style == .single, let last = series.points.last(where: { $0.y != nil }), let value = last.y,
               let middle = center(last.x) {
                canvas.text(ChartScale.label(value, language: language), x: middle + 6, y: yPosition(value) + 4,
                            size: style.valueSize, color: color, halo: true)
            }
        }
        // Reference lines are named, with their value, in the legend.
        for line in panel.references {
            canvas.line(x1: plot.x, y1: yPosition(line.y), x2: plot.maxX, y2: yPosition(line.y), color: ChartPalette.color(line.tone),
                        width: style == .single ? 1.5 : 1, dash: ChartPalette.dash(line.tone))
        }
    }

    /// A panel on a continuous x axis from 0 (nice ticks shared by all panels): curves, reference
    /// lines, then the points, with the names of labelled points beside them.
    private func drawContinuous(_ panel: ChartPanel, chart: Chart, in plot: Rect, yPosition: (Double) -> Double,
                                style: PanelStyle, canvas: inout Canvas) {
        let xScale = ChartScale(maximum: chart.panels.compactMap(\.maximumX).max())
        func xPosition(_ value: Double) -> Double { plot.x + value / xScale.upper * plot.width }
        let ticks = xScale.ticks
        let widest = ticks.map { Self.textWidth(ChartScale.label($0, language: language), size: style.labelSize) }.max() ?? 0
        let every = max(1, Int(((widest + 6) / (plot.width / Double(max(ticks.count - 1, 1)))).rounded(.up)))
        for (index, tick) in ticks.enumerated() where index % every == 0 {
            let tx = xPosition(tick)
            canvas.line(x1: tx, y1: plot.maxY, x2: tx, y2: plot.maxY + 4, color: "#333333", width: 1)
            canvas.text(ChartScale.label(tick, language: language), x: tx, y: plot.maxY + style.labelSize + 6,
                        size: style.labelSize, color: "#333333", anchor: "middle")
        }
        for curve in panel.curves where curve.points.count > 1 {
            let points = curve.points.map { (xPosition($0.x), yPosition($0.y)) }
            canvas.polyline(points, color: ChartPalette.color(curve.tone), width: style == .single ? 1.5 : 1, dash: ChartPalette.dash(curve.tone))
        }
        for line in panel.references {
            canvas.line(x1: plot.x, y1: yPosition(line.y), x2: plot.maxX, y2: yPosition(line.y), color: ChartPalette.color(line.tone),
                        width: style == .single ? 1.5 : 1, dash: ChartPalette.dash(line.tone))
        }
        for point in panel.scatter {
            let px = xPosition(point.x)
            let py = yPosition(point.y)
            canvas.circle(x: px, y: py, radius: style == .single ? 4.5 : 3, fill: ChartPalette.color(point.tone))
            if point.labelled {
                canvas.text(point.label, x: px + 7, y: py + 4, size: style.valueSize, color: ChartPalette.color(point.tone), halo: true)
            }
        }
    }

    private func drawLegend(_ chart: Chart, top: Double, canvas: inout Canvas) -> Double {
        var x = 16.0
        var y = top + 14
        for entry in chart.legend {
            var text = entry.label(language)
            if let value = entry.value { text += ": " + ChartScale.label(value, language: language) }
            let width = 22 + Self.textWidth(text, size: 11) + 18
            if x + width > Self.width - 16 && x > 16 {
                x = 16
                y += 18
            }
            let color = ChartPalette.color(entry.tone)
            if entry.isLine {
                canvas.line(x1: x, y1: y - 4, x2: x + 18, y2: y - 4, color: color, width: 2, dash: ChartPalette.dash(entry.tone))
            } else if entry.isDot {
                canvas.circle(x: x + 9, y: y - 4, radius: 4.5, fill: color)
            } else {
                canvas.rect(x: x + 4, y: y - 10, width: 11, height: 11, fill: color)
            }
            canvas.text(text, x: x + 22, y: y, size: 11, color: "#222222")
            x += width
        }
        return y
    }

    // MARK: - Text measure

    /// Estimated rendered width of `text` in a sans-serif font at `size` px (0.56 em per column).
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(DisplayWidth.of(text)) * size * 0.56
    }

    /// `text` broken into lines no wider than `width` px (at word boundaries).
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if !current.isEmpty && textWidth(candidate, size: size) > width {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// `text` cut with an ellipsis so that it fits `width` px.
    static func truncated(_ text: String, width: Double, size: Double) -> String {
        guard textWidth(text, size: size) > width else { return text }
        var characters = Array(text)
        while !characters.isEmpty && textWidth(String(characters) + "…", size: size) > width { characters.removeLast() }
        return String(characters) + "…"
    }

    /// A coordinate with at most one decimal (`12`, `12.5`).
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.1f", rounded)
    }
}

/// A plot rectangle in px.
struct Rect {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var maxX: Double { x + width }
    var maxY: Double { y + height }
}

/// SVG elements accumulated in drawing order.
struct Canvas {
    var body = ""

    private static func n(_ value: Double) -> String { SVGChartRenderer.number(value) }

    mutating func text(_ text: String, x: Double, y: Double, size: Double, weight: String? = nil, color: String = "#111111",
                       anchor: String? = nil, halo: Bool = false) {
        var element = "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" fill=\"\(color)\""
        if let weight { element += " font-weight=\"\(weight)\"" }
        if let anchor { element += " text-anchor=\"\(anchor)\"" }
        if halo { element += " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"" }
        body += element + ">\(MarkupText.escaped(text))</text>\n"
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, color: String, width: Double, dash: [Int]? = nil) {
        var element = "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(color)\" stroke-width=\"\(Self.n(width))\""
        if let dash { element += " stroke-dasharray=\"\(dash.map(String.init).joined(separator: " "))\"" }
        body += element + "/>\n"
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String) {
        body += "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(width))\" height=\"\(Self.n(max(height, 0)))\" fill=\"\(fill)\"/>\n"
    }

    mutating func circle(x: Double, y: Double, radius: Double, fill: String) {
        body += "<circle cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(Self.n(radius))\" fill=\"\(fill)\"/>\n"
    }

    mutating func polyline(_ points: [(Double, Double)], color: String, width: Double, dash: [Int]?) {
        let list = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        var element = "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(Self.n(width))\" stroke-linejoin=\"round\""
        if let dash { element += " stroke-dasharray=\"\(dash.map(String.init).joined(separator: " "))\"" }
        body += element + "/>\n"
    }
}
