import BinhYenCore

/// The trend and forecast behind each verdict row (`verify --details`): the series up to the
/// judged year, its trend, and the forecast of the following year under the same rule.
public struct VerdictDetails: Sendable {
    private var byKey: [String: ForecastRow] = [:]

    /// Computes the forecasts of `pack`'s rules on `panel` cut at `year`, for the units of `level`.
    public init(panel: Panel, year: Int, pack: RulePack, level: UnitLevel, trendOptions: TrendOptions,
                zeroBase: ZeroBasePolicy?) throws {
        var options = trendOptions
        options.level = level
        let engine = try ForecastEngine(pack: pack, trendOptions: options, zeroBase: zeroBase)
        for row in engine.forecasts(panel.through(year: year)) {
            byKey[Self.key(commune: row.trend.commune, village: row.trend.village, measure: row.rule.measure)] = row
        }
    }

    /// The forecast row matching a verdict row; nil for overall rows and series without data.
    public func forecast(for row: VerdictRow) -> ForecastRow? {
        guard let measure = row.measure else { return nil }
        return byKey[Self.key(commune: row.commune, village: row.village, measure: measure)]
    }

    private static func key(commune: String?, village: String?, measure: Measure) -> String {
        "\(commune ?? "")\u{1F}\(village ?? "")\u{1F}\(measure)"
    }
}
