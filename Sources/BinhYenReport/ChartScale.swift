import BinhYenCore

/// A linear y scale from 0 with "nice" round ticks (steps of 1, 2 or 5 × 10ⁿ), as in
/// Heckbert's "Nice numbers for graph labels" (Graphics Gems, 1990) and R's `pretty()`.
///
/// Counts are integers, so the step is never below 1: a series of zeros gets ticks 0 and 1;
/// a maximum of 42 with about five ticks gives 0, 10, 20, 30, 40, 50.
public struct ChartScale: Sendable, Hashable {
    /// Top of the axis (the last tick), ≥ the largest value.
    public let upper: Double
    public let step: Double

    /// - Parameters:
    ///   - maximum: the largest value to show (negative or nil values are treated as 0).
    ///   - targetTicks: roughly how many intervals to aim for (clamped to 2…10).
    public init(maximum: Double?, targetTicks: Int = 5) {
        let top = max(maximum ?? 0, 0)
        let intervals = Double(min(max(targetTicks, 2), 10))
        guard top > 0, top.isFinite else {
            upper = 1
            step = 1
            return
        }
        let raw = top / intervals
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw && magnitude > 1 { magnitude /= 10 }
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        let chosen = max(nice * magnitude, 1)
        step = chosen
        upper = (top / chosen).rounded(.up) * chosen
    }

    /// The tick values 0, step, 2·step, …, upper.
    public var ticks: [Double] {
        let count = Int((upper / step).rounded())
        return (0...count).map { Double($0) * step }
    }

    /// A tick or value label in the language's number style (`1.000` vi, `1,000` en).
    public static func label(_ value: Double, language: Language) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return NumberStyle.integer(Int(value), language: language)
        }
        return NumberStyle.decimal(value, digits: 1, language: language) ?? ""
    }
}
