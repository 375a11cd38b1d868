/// Why some fields of a trend result are `nil` (SPEC §6: undefined values are `null` with the
/// reason in a note). A bit set, so results carry their reasons without allocation; the report
/// layer turns each flag into localized text.
public struct TrendNotes: OptionSet, Sendable, Hashable {
    /// The bits (one per note below).
    public let rawValue: UInt16

    /// A set from its bits.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// Fewer than two years with values: no slope, intercept or prediction.
    public static let fewerThanTwoValues = TrendNotes(rawValue: 1 << 0)
    /// Fewer than three years: no OLS standard error, t, p or intervals (no residual degrees of freedom).
    public static let fewerThanThreeValues = TrendNotes(rawValue: 1 << 1)
    /// All values are equal: OLS slope exactly 0 with standard error 0, t and p undefined;
    /// Mann–Kendall degenerate (`z = 0`, `p = 1`); R² undefined.
    public static let constantSeries = TrendNotes(rawValue: 1 << 2)
    /// The values lie exactly on a line (non-constant): OLS standard error 0, t and p undefined.
    public static let perfectLinearFit = TrendNotes(rawValue: 1 << 3)
    /// The Theil–Sen interval ranks fall outside `1…N`: "too few years for a 95% interval".
    public static let senIntervalUnavailable = TrendNotes(rawValue: 1 << 4)
    /// More years than the exact Mann–Kendall limit (default 10): only the normal p is reported.
    public static let exactPNotComputed = TrendNotes(rawValue: 1 << 5)
}

/// Input that no trend method can use (as opposed to input on which a statistic is merely undefined,
/// which gives `nil` fields and ``TrendNotes``).
public enum TrendInputError: Error, Sendable, Hashable {
    /// `years` and `values` have different lengths (or the batched matrix has the wrong size).
    case lengthMismatch(years: Int, values: Int)
    /// `years[index]` is not greater than `years[index − 1]` (duplicates or wrong order).
    case yearsNotIncreasing(index: Int)
    /// `values[index]` is NaN or infinite.
    case nonFiniteValue(index: Int)
    /// The confidence level is not strictly between 0 and 1.
    case invalidConfidence
    /// The significance level is not strictly between 0 and 1.
    case invalidAlpha
    /// The number of series of a batched computation is negative.
    case invalidSeriesCount
    /// A batched computation needs at least two years (a slope).
    case fewerThanTwoYears
    /// The batched matrix exceeds the 32-bit size limit of the BLAS interface.
    case tooLarge

    /// Checks equal lengths, strictly increasing years and finite values.
    static func validate(years: UnsafeBufferPointer<Int>, values: UnsafeBufferPointer<Double>) throws(TrendInputError) {
        guard years.count == values.count else { throw .lengthMismatch(years: years.count, values: values.count) }
        for index in years.indices.dropFirst() where years[index] <= years[index - 1] {
            throw .yearsNotIncreasing(index: index)
        }
        for index in values.indices where !values[index].isFinite {
            throw .nonFiniteValue(index: index)
        }
    }

    /// Array version of the buffer `validate(years:values:)`.
    static func validate(years: [Int], values: [Double]) throws(TrendInputError) {
        let problem: TrendInputError? = years.withUnsafeBufferPointer { yearBuffer in
            values.withUnsafeBufferPointer { valueBuffer in
                do throws(TrendInputError) {
                    try validate(years: yearBuffer, values: valueBuffer)
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let problem { throw problem }
    }
}
