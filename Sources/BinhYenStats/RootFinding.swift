/// Bracketing root finders.
public enum RootFinding {
    /// Brent's method (R. P. Brent 1973, *Algorithms for Minimization without Derivatives*,
    /// ch. 4 — the algorithm behind R's `uniroot`): inverse quadratic interpolation and secant
    /// steps, falling back to bisection, on a bracket `[lower, upper]` where `f` changes sign.
    ///
    /// - Parameters:
    ///   - lower: one end of the bracket.
    ///   - upper: the other end (`lower < upper` is not required).
    ///   - absoluteTolerance: the returned root lies within
    ///     `absoluteTolerance + 4·ε·|root|` of a sign change of `f`.
    ///   - maxIterations: bound on the number of evaluations of `f` after the two end points.
    ///   - f: the function; evaluated only inside the bracket. Not stored (no allocation).
    /// - Returns: the root, or `nil` when `f` has the same (non-zero) sign at both ends, when an
    ///   end value is NaN, or when the tolerance was not reached within `maxIterations`.
    public static func brent(
        lower: Double,
        upper: Double,
        absoluteTolerance: Double = 1e-12,
        maxIterations: Int = 200,
        _ f: (Double) -> Double
    ) -> Double? {
        var a = lower
        var b = upper
        var fa = f(a)
        var fb = f(b)
        if fa.isNaN || fb.isNaN { return nil }
        if fa == 0 { return a }
        if fb == 0 { return b }
        if (fa > 0) == (fb > 0) { return nil }
        var c = a
        var fc = fa
        var step = b - a
        var previousStep = step
        for _ in 0..<maxIterations {
            if (fb > 0) == (fc > 0) {
                // Keep the root between b and c.
                c = a
                fc = fa
                step = b - a
                previousStep = step
            }
            if abs(fc) < abs(fb) {
                // b is the best estimate so far.
                a = b; b = c; c = a
                fa = fb; fb = fc; fc = fa
            }
            let tolerance = 2 * Double.ulpOfOne * abs(b) + 0.5 * absoluteTolerance
            let halfInterval = 0.5 * (c - b)
            if abs(halfInterval) <= tolerance || fb == 0 { return b }
            if abs(previousStep) >= tolerance && abs(fa) > abs(fb) {
                // Try interpolation.
                let s = fb / fa
                var p: Double
                var q: Double
                if a == c {
                    // Secant.
                    p = 2 * halfInterval * s
                    q = 1 - s
                } else {
                    // Inverse quadratic interpolation.
                    let qa = fa / fc
                    let r = fb / fc
                    p = s * (2 * halfInterval * qa * (qa - r) - (b - a) * (r - 1))
                    q = (qa - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if 2 * p < min(3 * halfInterval * q - abs(tolerance * q), abs(previousStep * q)) {
                    previousStep = step
                    step = p / q
                } else {
                    step = halfInterval
                    previousStep = step
                }
            } else {
                step = halfInterval
                previousStep = step
            }
            a = b
            fa = fb
            b += abs(step) > tolerance ? step : (halfInterval > 0 ? tolerance : -tolerance)
            fb = f(b)
            if fb.isNaN { return nil }
        }
        return nil
    }

    /// Newton's method safeguarded by bisection, for a monotone function with a known bracket
    /// `[lower, upper]` containing the root (signs at the ends are not evaluated).
    ///
    /// `f` returns the value and the derivative at a point. A Newton step that leaves the
    /// current bracket, or is not finite (e.g. the value is ±∞), is replaced by bisection.
    /// Stops after a Newton step below `relativeStep·max(1, |x|)` — quadratic convergence makes
    /// the error after such a step ~`relativeStep²` — or when the bracket has collapsed to a
    /// few ulps. Returns `nil` if neither happens within `maxIterations`.
    static func safeguardedNewton(
        lower: Double,
        upper: Double,
        start: Double,
        increasing: Bool,
        relativeStep: Double = 1e-9,
        maxIterations: Int = 200,
        _ f: (Double) -> (value: Double, derivative: Double)
    ) -> Double? {
        var low = lower
        var high = upper
        var x = start.isFinite ? min(max(start, low), high) : 0.5 * (low + high)
        for _ in 0..<maxIterations {
            let (value, derivative) = f(x)
            if value == 0 { return x }
            // For an increasing function a negative value means the root lies above x.
            if (value < 0) == increasing { low = x } else { high = x }
            let step = value / derivative
            if step.isFinite, abs(step) <= relativeStep * max(1, abs(x)) { return x - step }
            var next = x - step
            if !step.isFinite || !(next > low && next < high) { next = 0.5 * (low + high) }
            if high - low <= 4 * Double.ulpOfOne * max(1, abs(high)) { return next }
            x = next
        }
        return nil
    }
}
