/// Slopes and standard errors of many OLS trends sharing the same years (see
/// ``OLSTrend/batched(years:counts:seriesCount:)``).
public struct BatchedOLSSlopes: Sendable, Hashable {
    /// Slope of each series, in value units per year (exactly 0 for a constant series).
    public var slopes: [Double]
    /// Standard error of each slope; `nil` when there are fewer than three years.
    public var standardErrors: [Double]?
}

extension OLSTrend {
    /// OLS slopes and their standard errors for `seriesCount` complete series observed in the same
    /// strictly increasing `years`, computed with one matrix product.
    ///
    /// `counts` holds the series one after another (`counts[s·n + t]` is series `s` in
    /// `years[t]`, `n = years.count`), i.e. the column-major `n × seriesCount` matrix `Y`.
    /// With years as offsets `d = x − x_1` from the first year and the design `X = [1, d]` (`n × 2`),
    /// one BLAS `dgemm` gives `XᵀY` (row 1: `Σy`, row 2: `Σd·y`); a second pass gives `Σy²`. Then
    /// `n·Sxy = n·Σdy − Σd·Σy`, `n·Sxx = n·Σd² − (Σd)²`, `n·Syy = n·Σy² − (Σy)²`, `b = Sxy/Sxx`,
    /// `RSS = max(0, Syy − b·Sxy)`, `se = √(RSS/(n−2)/Sxx)`. For integer counts every one of these
    /// sums and numerators is an exact integer (below 2^53), so the slope is correctly rounded and
    /// agrees with ``init(years:values:confidence:)`` to rounding; the standard error has relative
    /// error ~`ε/(1 − R²)` from the cancellation in `Syy − b·Sxy` (near-perfect fits only).
    /// A constant series (`Syy = 0`) has slope exactly 0 and se 0, as in the per-series fit.
    ///
    /// Cost: `O(n·seriesCount)` in two passes (the `dgemm` is memory-bound), no per-series allocation.
    /// - Throws: ``TrendInputError`` when `counts.count ≠ years.count·seriesCount`, `seriesCount < 0`,
    ///   the years are not strictly increasing, there are fewer than two years (no slope), a
    ///   value is not finite, or the matrix exceeds the 32-bit BLAS limit.
    public static func batched(years: [Int], counts: [Double], seriesCount: Int) throws(TrendInputError) -> BatchedOLSSlopes {
        guard seriesCount >= 0 else { throw .invalidSeriesCount }
        let n = years.count
        guard n.multipliedReportingOverflow(by: seriesCount) == (counts.count, false) else {
            throw .lengthMismatch(years: n, values: counts.count)
        }
        for index in years.indices.dropFirst() where years[index] <= years[index - 1] {
            throw .yearsNotIncreasing(index: index)
        }
        guard n >= 2 else { throw .fewerThanTwoYears }
        if let bad = counts.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteValue(index: bad) }
        if seriesCount == 0 { return BatchedOLSSlopes(slopes: [], standardErrors: n >= 3 ? [] : nil) }

        // Years relative to the first one: small exact integers.
        let nDouble = Double(n)
        var design = [Double](repeating: 1, count: 2 * n)
        var offsetSum = 0.0
        var offsetSquares = 0.0
        for t in 0..<n {
            let offset = Double(years[t]) - Double(years[0])
            design[n + t] = offset
            offsetSum += offset
            offsetSquares += offset * offset
        }
        // n·Sxx = n·Σd² − (Σd)² (exact integer).
        let scaledSxx = nDouble * offsetSquares - offsetSum * offsetSum
        guard let x = Matrix(rows: n, columns: 2, columnMajor: design),
              let y = Matrix(rows: n, columns: seriesCount, columnMajor: counts)
        else { throw .lengthMismatch(years: n, values: counts.count) }
        let products: Matrix
        do {
            products = try LinearAlgebra.multiply(x, y, transposeA: true)
        } catch {
            // The shapes agree by construction; only the 32-bit size limit can fail.
            throw .tooLarge
        }
        var slopes = [Double](repeating: 0, count: seriesCount)
        var standardErrors = [Double](repeating: 0, count: n >= 3 ? seriesCount : 0)
        let degreesOfFreedom = Double(n - 2)
        products.elements.withUnsafeBufferPointer { xty in
            counts.withUnsafeBufferPointer { values in
                for series in 0..<seriesCount {
                    let sum = xty[2 * series]
                    let offsetProducts = xty[2 * series + 1]
                    var sumOfSquares = 0.0
                    let column = series * n
                    for t in 0..<n {
                        let value = values[column + t]
                        sumOfSquares += value * value
                    }
                    // n·Sxy and n·Syy: exact for integer counts (every term an integer below 2^53).
                    let scaledSxy = nDouble * offsetProducts - offsetSum * sum
                    let scaledSyy = nDouble * sumOfSquares - sum * sum
                    let slope = scaledSyy > 0 ? scaledSxy / scaledSxx : 0
                    slopes[series] = slope
                    if n >= 3 {
                        let rss = max(0, scaledSyy - slope * scaledSxy) / nDouble
                        standardErrors[series] = (rss / degreesOfFreedom / (scaledSxx / nDouble)).squareRoot()
                    }
                }
            }
        }
        return BatchedOLSSlopes(slopes: slopes, standardErrors: n >= 3 ? standardErrors : nil)
    }
}
