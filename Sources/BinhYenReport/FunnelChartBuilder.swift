import BinhYenAnalytics
import BinhYenCore
import BinhYenStats
import Foundation

extension ChartBuilder {
    /// (d) Funnel plot of `measure` in the judged year (Spiegelhalter 2005; METHODS §4): each
    /// village's rate per 1,000 residents against its population, the commune's target rate as a
    /// horizontal line, and the 95% and 99.8% limits as curves `1000·L(θ0·P)/P` over the population
    /// range (80 points, geometric spacing from 0.6× the smallest to 1.08× the largest population).
    /// Points are coloured by the limit flag (`funnel_flag`); villages outside the 95% limits are
    /// named. One panel per commune, on a continuous x axis. Rows without a funnel point (no count
    /// or population) are left out and counted in a note.
    public static func funnel(rows: [HotspotRow], measure: Measure, catalogue: Catalogue = .standard) -> Chart {
        let selected = rows.filter { $0.measure == measure }
        var communes: [String] = []
        for row in selected where !communes.contains(row.commune ?? "") { communes.append(row.commune ?? "") }
        var panels: [ChartPanel] = []
        var left = 0
        for commune in communes {
            let group = selected.filter { ($0.commune ?? "") == commune }
            let drawn = group.filter { $0.funnel != nil && $0.population != nil && $0.rate?.ratePer1000 != nil }
            left += group.count - drawn.count
            guard let targetPer1000 = drawn.first?.targetRatePer1000,
                  let smallest = drawn.compactMap(\.population).min(), let largest = drawn.compactMap(\.population).max() else { continue }
            let scatter = drawn.compactMap { row -> ScatterPoint? in
                guard let funnel = row.funnel, let population = row.population, let rate = row.rate?.ratePer1000 else { return nil }
                let tone: ChartTone = switch funnel.flagByLimits {
                case .alarmHigh: .funnelAlarm
                case .alertHigh: .funnelAlert
                case .inControl: .funnelInControl
                case .alertLow, .alarmLow: .funnelLow
                }
                return ScatterPoint(x: Double(population), y: rate, label: row.village, tone: tone, labelled: funnel.flagByLimits != .inControl)
            }
            let levels = drawn.first?.funnel?.levels ?? .standard
            let curves = limitCurves(targetPer1000: targetPer1000, from: 0.6 * Double(smallest), to: 1.08 * Double(largest), levels: levels)
            let target = ReferenceLine(id: "target_rate",
                                       label: LocalizedText(vi: "Tỷ lệ chuẩn", en: "Target rate"),
                                       y: targetPer1000, tone: .reference)
            panels.append(ChartPanel(title: commune, references: [target], scatter: scatter, curves: curves))
        }
        if panels.count == 1 { panels[0].title = nil }
        let year = selected.first?.year
        let info = catalogue.info(measure.category)
        let label = measure.metric == .cases ? info?.label : info.flatMap { category in
            category.metric(measure.metric).map { LocalizedText(vi: "\(category.label.vi) – \($0.label.vi)", en: "\(category.label.en) – \($0.label.en)") }
        }
        let name = label ?? .same(measure.description)
        let yearText = year.map { " \($0)" } ?? ""
        var notes = [LocalizedText(
            vi: "Giới hạn 95% và 99,8% theo phân phối Poisson, nội suy liên tục (Spiegelhalter 2005); tên khu dân cư ngoài giới hạn được ghi trên hình. Kiểm định chính xác P(Y ≥ y) ở cột p_upper của `binhyen hotspots`.",
            en: "95% and 99.8% Poisson limits with continuous interpolation (Spiegelhalter 2005); villages outside the limits are named. The exact test P(Y ≥ y) is the p_upper column of `binhyen hotspots`.")]
        if selected.first?.targetGiven == true {
            notes.append(LocalizedText(vi: "Tỷ lệ chuẩn do người dùng đặt (--target-rate).", en: "Target rate set by the user (--target-rate)."))
        } else {
            notes.append(LocalizedText(vi: "Tỷ lệ chuẩn: tỷ lệ chung của xã\(yearText.isEmpty ? "" : " năm" + yearText).",
                                       en: "Target rate: the pooled commune rate\(yearText.isEmpty ? "" : " of" + yearText)."))
        }
        if left > 0 {
            notes.append(LocalizedText(vi: "\(left) khu dân cư không vẽ được (thiếu số liệu hoặc dân số).",
                                       en: "\(left) villages not drawn (no count or no population)."))
        }
        return Chart(kind: .funnel,
                     title: LocalizedText(vi: "Biểu đồ phễu: \(name.vi)\(yearText)", en: "Funnel plot: \(name.en)\(yearText)"),
                     subtitle: LocalizedText(vi: "Tỷ lệ trên 1.000 dân theo dân số của từng khu dân cư",
                                             en: "Rate per 1,000 residents against each village's population"),
                     xAxis: ChartAxis(title: LocalizedText(vi: "Dân số (người)", en: "Population (residents)")),
                     yAxis: ChartAxis(title: LocalizedText(vi: "Tỷ lệ trên 1.000 dân", en: "Rate per 1,000 residents"),
                                      unit: LocalizedText(vi: "/1.000 dân", en: "per 1,000")),
                     panels: panels, notes: notes)
    }

    /// The four limit curves (upper and lower, inner and outer) in rate per 1,000 over `from…to` residents.
    static func limitCurves(targetPer1000: Double, from: Double, to: Double, levels: FunnelLevels) -> [ChartCurve] {
        guard targetPer1000 > 0, from > 0, to > from else { return [] }
        let steps = 80
        let populations = (0...steps).map { from * Foundation.pow(to / from, Double($0) / Double(steps)) }
        let tails: [(String, Double, ChartTone, LocalizedText)] = [
            ("limit_998_hi", levels.outerUpperTail, .limitOuter, LocalizedText(vi: "Giới hạn 99,8%", en: "99.8% limits")),
            ("limit_95_hi", levels.innerUpperTail, .limitInner, LocalizedText(vi: "Giới hạn 95%", en: "95% limits")),
            ("limit_95_lo", levels.innerLowerTail, .limitInner, LocalizedText(vi: "Giới hạn 95%", en: "95% limits")),
            ("limit_998_lo", levels.outerLowerTail, .limitOuter, LocalizedText(vi: "Giới hạn 99,8%", en: "99.8% limits")),
        ]
        return tails.map { id, tail, tone, label in
            let points = populations.compactMap { population -> ChartXY? in
                FunnelLimit(tail: tail, expected: targetPer1000 / 1000 * population).map { ChartXY(x: population, y: 1000 * $0.count / population) }
            }
            return ChartCurve(id: id, label: label, tone: tone, points: points)
        }
    }
}
