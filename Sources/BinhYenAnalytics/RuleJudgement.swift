import BinhYenCore

extension RuleTest {
    /// Whether judged counts meet the test, in exact integer arithmetic (SPEC §5, METHODS §1),
    /// ignoring the zero-base policy: `reduce_by_pct` and `decrease` are never met when
    /// `previous = 0` (use `judge` for the policy).
    ///
    /// With exposures (populations) `T_prev`, `T_curr` the rates are compared:
    /// - `reduce_by_pct(p)`: `10000·curr·T_prev ≤ (10000 − 100p)·prev·T_curr` (p = 5 and equal
    ///   exposures: `20·curr ≤ 19·prev`);
    /// - `decrease`: `curr·T_prev < prev·T_curr` (`≤` with `allow_equal`);
    /// - `zero`: `curr = 0`.
    /// Negative counts or non-positive exposures never meet a test.
    public func isMet(previous: Int, current: Int, exposurePrevious: Int = 1, exposureCurrent: Int = 1) -> Bool {
        guard previous >= 0, current >= 0, exposurePrevious > 0, exposureCurrent > 0 else { return false }
        switch self {
        case .zero:
            return current == 0
        case .reduceByPercent(let percent):
            guard previous > 0 else { return false }
            return ExactProduct.lessOrEqual([10_000, current, exposurePrevious],
                                            [10_000 - percent.hundredths, previous, exposureCurrent])
        case .decrease(let allowEqual):
            guard previous > 0 else { return false }
            let lhs = [current, exposurePrevious]
            let rhs = [previous, exposureCurrent]
            return allowEqual ? ExactProduct.lessOrEqual(lhs, rhs) : ExactProduct.less(lhs, rhs)
        }
    }

    /// The verdict and note for judged counts under `zeroBase` (SPEC §5 table and zero base):
    /// - `zero`: met iff curr = 0;
    /// - prev > 0: `isMet`;
    /// - prev = 0, `met_if_zero`: curr = 0 → met (`maintained_zero`), curr > 0 → not met (`new_cases`);
    /// - prev = 0, `not_applicable`: not applicable (`zero_base`).
    /// Negative counts or non-positive exposures give `insufficient_data` (`invalid_value`).
    public func judge(previous: Int, current: Int, exposurePrevious: Int = 1, exposureCurrent: Int = 1,
                      zeroBase: ZeroBasePolicy) -> (verdict: Verdict, note: VerdictNoteCode?) {
        guard previous >= 0, current >= 0, exposurePrevious > 0, exposureCurrent > 0 else {
            return (.insufficientData, .invalidValue)
        }
        if case .zero = self { return (current == 0 ? .met : .notMet, nil) }
        if previous == 0 {
            switch zeroBase {
            case .metIfZero: return current == 0 ? (.met, .maintainedZero) : (.notMet, .newCases)
            case .notApplicable: return (.notApplicable, .zeroBase)
            }
        }
        let met = isMet(previous: previous, current: current, exposurePrevious: exposurePrevious,
                        exposureCurrent: exposureCurrent)
        return (met ? .met : .notMet, nil)
    }

    /// The largest judged current count that still meets the test given the previous count:
    /// `⌊(100 − p)·prev/100⌋` for `reduce_by_pct(p)` (⌊19·prev/20⌋ for 5%), `prev − 1` for
    /// `decrease` (`prev` with `allow_equal`), 0 for `zero`; with exposures, the same bound on
    /// the rate, found exactly. For prev = 0: 0 under `met_if_zero`, nil under `not_applicable`.
    /// Nil for negative counts or non-positive exposures.
    public func targetMax(previous: Int, exposurePrevious: Int = 1, exposureCurrent: Int = 1,
                          zeroBase: ZeroBasePolicy) -> Int? {
        guard previous >= 0, exposurePrevious > 0, exposureCurrent > 0 else { return nil }
        if case .zero = self { return 0 }
        if previous == 0 { return zeroBase == .metIfZero ? 0 : nil }
        func meets(_ current: Int) -> Bool {
            isMet(previous: previous, current: current, exposurePrevious: exposurePrevious, exposureCurrent: exposureCurrent)
        }
        // meets(0) holds for prev > 0; find a failing upper bound, then bisect (meets is monotone).
        let estimate = Double(previous) * Double(exposureCurrent) / Double(exposurePrevious)
        var high = estimate < 9.0e18 ? Int(estimate) + 1 : Int.max
        while meets(high) {
            guard high < Int.max else { return Int.max }
            high = high > Int.max / 2 ? Int.max : high * 2
        }
        var low = 0
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if meets(middle) { low = middle } else { high = middle }
        }
        return low
    }
}
