/// Adjustments of p-values for multiple testing.
public enum MultipleTesting {
    /// Benjamini–Hochberg false-discovery-rate adjusted p-values (R `p.adjust(p, "BH")`;
    /// Benjamini & Hochberg 1995, JRSS B 57:289; METHODS §8.4).
    ///
    /// With the `m` non-`nil` p-values sorted ascending, `p_(i)` is adjusted to
    /// `min(1, min_{k ≥ i} (m/k)·p_(k))` (cumulative minimum from the largest down). The result
    /// has the same order as the input; `nil` entries (tests not performed) stay `nil` and do
    /// not count in `m` — as R, whose default `n = length(p)` is taken after removing `NA`s.
    /// Equal p-values get equal adjusted values.
    /// Arithmetic follows R (`(m/k)·p` in that order), so results agree bit for bit in most cases.
    /// Inputs are expected in `[0, 1]`; values outside are adjusted by the same formula.
    /// Cost: `O(m log m)`.
    public static func benjaminiHochberg(_ pValues: [Double?]) -> [Double?] {
        var present: [(index: Int, p: Double)] = []
        present.reserveCapacity(pValues.count)
        for (index, value) in pValues.enumerated() {
            if let value, !value.isNaN { present.append((index, value)) }
        }
        let m = present.count
        var adjusted = [Double?](repeating: nil, count: pValues.count)
        guard m > 0 else { return adjusted }
        // Descending by p (the order among equal p does not change the cumulative minimum).
        present.sort { $0.p > $1.p }
        let total = Double(m)
        var runningMinimum = Double.infinity
        for (position, entry) in present.enumerated() {
            let rank = Double(m - position)
            runningMinimum = min(runningMinimum, total / rank * entry.p)
            adjusted[entry.index] = min(1, runningMinimum)
        }
        return adjusted
    }
}
