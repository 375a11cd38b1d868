#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Gauss–Hermite quadrature: `∫ f(x)·e^(−x²) dx ≈ Σ wᵢ f(xᵢ)`, exact for polynomials of degree
/// `< 2n`. Used to average a predictive probability over the normal uncertainty of a linear
/// predictor (METHODS §7).
public struct GaussHermiteRule: Sendable, Hashable {
    /// The nodes `xᵢ` (roots of the Hermite polynomial `Hₙ`), in increasing order.
    public let nodes: [Double]
    /// The weights `wᵢ` for the weight function `e^(−x²)`; they sum to `√π`.
    public let weights: [Double]

    /// The `pointCount`-point rule, `1 ≤ pointCount ≤ 150`; `nil` outside that range (the
    /// starting values below stop leading Newton to every root beyond ~200 points).
    ///
    /// Nodes by Newton's method on the orthonormal Hermite recurrence
    /// `p₀ = π^(−1/4)`, `pⱼ = x·√(2/j)·pⱼ₋₁ − √((j−1)/j)·pⱼ₋₂`, with the starting values of
    /// Numerical Recipes (Press et al. 2007, §4.6 `gauher`) and the symmetry `x ↦ −x`;
    /// weights `wᵢ = 2/(pₙ'(xᵢ))²` with `pₙ' = √(2n)·pₙ₋₁`. Agrees with NumPy
    /// `polynomial.hermite.hermgauss` (Golub–Welsch plus Newton polishing) to ~1e-15 relative
    /// for 64 points (fixture `gauss_hermite_numpy.json`).
    public init?(pointCount: Int) {
        guard pointCount >= 1, pointCount <= 150 else { return nil }
        self.init(computing: pointCount)
    }

    /// Computes the rule for `n ≥ 1` points (see ``init(pointCount:)``).
    private init(computing n: Int) {
        var nodes = [Double](repeating: 0, count: n)
        var weights = [Double](repeating: 0, count: n)
        let inverseFourthRootPi = 0.751_125_544_464_942_483_36
        var z = 0.0
        for i in 0..<((n + 1) / 2) {
            // Starting guesses for the i-th largest root (Numerical Recipes `gauher`).
            switch i {
            case 0:
                let twoNPlusOne = Double(2 * n + 1)
                z = twoNPlusOne.squareRoot() - 1.855_75 * pow(twoNPlusOne, -0.166_67)
            case 1:
                z -= 1.14 * pow(Double(n), 0.426) / z
            case 2:
                z = 1.86 * z - 0.86 * nodes[n - 1]
            case 3:
                z = 1.91 * z - 0.91 * nodes[n - 2]
            default:
                z = 2 * z - nodes[n - i + 1]
            }
            var derivative = 0.0
            for _ in 0..<100 {
                var current = inverseFourthRootPi
                var previous = 0.0
                for j in 1...n {
                    let older = previous
                    previous = current
                    current = z * (2 / Double(j)).squareRoot() * previous - (Double(j - 1) / Double(j)).squareRoot() * older
                }
                derivative = (2 * Double(n)).squareRoot() * previous
                let step = current / derivative
                z -= step
                if abs(step) <= 1e-15 * max(1, abs(z)) { break }
            }
            nodes[n - 1 - i] = z
            nodes[i] = -z
            weights[n - 1 - i] = 2 / (derivative * derivative)
            weights[i] = weights[n - 1 - i]
        }
        if n % 2 == 1 { nodes[n / 2] = 0 }
        self.nodes = nodes
        self.weights = weights
    }

    /// `E[f(Z)]` for `Z ~ N(0, 1)`: `Σ (wᵢ/√π)·f(√2·xᵢ)`.
    public func expectationOverStandardNormal(_ f: (Double) -> Double) -> Double {
        var sum = 0.0
        for index in nodes.indices {
            sum += weights[index] * f(2.0.squareRoot() * nodes[index])
        }
        return sum / Double.pi.squareRoot()
    }

    /// The 64-point rule used by the forecasts (METHODS §7: 40–64 points reproduce R's
    /// `integrate` to ~1e-8).
    public static let sixtyFourPoint = GaussHermiteRule(computing: 64)

    /// The 96-point rule, used to check the 64-point result.
    public static let ninetySixPoint = GaussHermiteRule(computing: 96)
}
