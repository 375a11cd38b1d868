/// Globally adaptive Gauss–Kronrod quadrature (7-point Gauss, 15-point Kronrod; the rule pair of
/// QUADPACK `dqk15`, the family behind R's `integrate`). Used where a fixed Gauss–Hermite rule
/// cannot resolve the integrand (see ``PredictiveMixture``).
enum AdaptiveGaussKronrod {
    /// `∫ₐᵇ f(x) dx`: the interval with the largest error estimate `|K15 − G7|` is bisected until
    /// the summed estimate is at most `max(absoluteTolerance, relativeTolerance·|I|)` or
    /// `maximumIntervals` intervals are in use (then the best estimate so far is returned).
    static func integrate(
        from a: Double, to b: Double, absoluteTolerance: Double = 1e-13, relativeTolerance: Double = 1e-11,
        maximumIntervals: Int = 500, _ f: (Double) -> Double
    ) -> Double {
        var pieces = [piece(a, b, f)]
        while pieces.count < maximumIntervals {
            let total = pieces.reduce(0) { $0 + $1.value }
            let error = pieces.reduce(0) { $0 + $1.error }
            if error <= max(absoluteTolerance, relativeTolerance * abs(total)) { break }
            guard let worst = pieces.indices.max(by: { pieces[$0].error < pieces[$1].error }) else { break }
            let interval = pieces.remove(at: worst)
            let middle = 0.5 * (interval.lower + interval.upper)
            pieces.append(piece(interval.lower, middle, f))
            pieces.append(piece(middle, interval.upper, f))
        }
        return pieces.reduce(0) { $0 + $1.value }
    }

    private struct Piece {
        var lower: Double
        var upper: Double
        var value: Double
        var error: Double
    }

    /// K15 estimate on `[a, b]` with the error estimate `|K15 − G7|`.
    private static func piece(_ a: Double, _ b: Double, _ f: (Double) -> Double) -> Piece {
        let centre = 0.5 * (a + b)
        let halfLength = 0.5 * (b - a)
        let centreValue = f(centre)
        var kronrod = kronrodWeights[7] * centreValue
        var gauss = gaussWeights[3] * centreValue
        for index in 0..<7 {
            let offset = halfLength * kronrodNodes[index]
            let sum = f(centre - offset) + f(centre + offset)
            kronrod += kronrodWeights[index] * sum
            // The Gauss nodes are the Kronrod nodes with odd index.
            if index % 2 == 1 { gauss += gaussWeights[index / 2] * sum }
        }
        return Piece(lower: a, upper: b, value: kronrod * halfLength, error: abs((kronrod - gauss) * halfLength))
    }

    /// Positive Kronrod abscissae on [−1, 1], decreasing, then 0 (QUADPACK `dqk15` `xgk`).
    private static let kronrodNodes: [Double] = [
        0.991_455_371_120_812_639_206_854_697_526_329, 0.949_107_912_342_758_524_526_189_684_047_851,
        0.864_864_423_359_769_072_789_712_788_640_926, 0.741_531_185_599_394_439_863_864_773_280_788,
        0.586_087_235_467_691_130_294_144_845_693_013, 0.405_845_151_377_397_166_906_606_412_076_961,
        0.207_784_955_007_898_467_600_689_403_773_245, 0,
    ]
    /// Kronrod weights (`wgk`), same order.
    private static let kronrodWeights: [Double] = [
        0.022_935_322_010_529_224_963_732_008_058_970, 0.063_092_092_629_978_553_290_700_663_189_204,
        0.104_790_010_322_250_183_839_876_322_541_518, 0.140_653_259_715_525_918_745_189_590_510_238,
        0.169_004_726_639_267_902_826_583_426_598_550, 0.190_350_578_064_785_409_913_256_402_421_014,
        0.204_432_940_075_298_892_414_161_999_234_649, 0.209_482_141_084_727_828_012_999_174_891_714,
    ]
    /// Gauss weights (`wg`) of the nodes `kronrodNodes[1], [3], [5]` and 0.
    private static let gaussWeights: [Double] = [
        0.129_484_966_168_869_693_270_611_432_679_082, 0.279_705_391_489_276_667_901_467_771_423_780,
        0.381_830_050_505_118_944_950_369_775_488_975, 0.417_959_183_673_469_387_755_102_040_816_327,
    ]
}
