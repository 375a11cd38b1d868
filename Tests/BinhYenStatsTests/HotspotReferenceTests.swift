import BinhYenStats
import Foundation
import Testing

/// Broader references for the hotspot family, made by `Tests/FixtureScripts/hotspots/`:
/// `hotspots_r.json` (spdep 1.2.7 `localG` on six seeded random graphs with islands, counts and
/// rates, for Gi* binary, Gi* row-standardised and Gi; R `qpois`/`ppois` funnel limits for E from
/// 0.01 to 20 000) and `hotspots_esda.json` (esda 2.9.0 on the same graphs). Tolerance rel 1e-10 /
/// abs 1e-12; quantiles exactly; an undefined reference (NaN → null) must be `nil` here.
@Suite("hotspot references: spdep, esda, R funnel limits")
struct HotspotReferenceTests {
    struct GraphCase: Decodable {
        var id: String
        var n: Int
        var islands: [Int]
        var edges: [[Int]]
        var x: [Double]
        var gistar_binary: [Double?]
        var gistar_row: [Double?]
        var gi_binary: [Double?]
    }

    struct FunnelCase: Decodable {
        var expected: Double
        var quantiles: [Int]
        var limits_raw: [Double]
        var counts: [Int]
        var p_upper: [Double]
        var p_lower: [Double]
    }

    struct RFile: Decodable {
        var tolerance: Tolerance
        var gistar: [GraphCase]
        var funnel: [FunnelCase]
    }

    struct EsdaCase: Decodable {
        var id: String
        var gistar_binary: [Double?]
        var gi_binary: [Double?]
        var gistar_row_esda: [Double?]
        var p_norm_one_sided: [Double?]
    }

    struct EsdaFile: Decodable {
        var gistar: [EsdaCase]
    }

    static func graph(_ c: GraphCase) throws -> SpatialNeighbours {
        try SpatialNeighbours(count: c.n, edges: c.edges.map { ($0[0], $0[1]) })
    }

    @Test func localGAgreesWithSpdepOnRandomGraphs() throws {
        let file = try FixtureSupport.decode(RFile.self, from: "reference/hotspots_r.json")
        #expect(file.gistar.count == 6)
        #expect(file.gistar.contains { !$0.islands.isEmpty })
        for c in file.gistar {
            let graph = try Self.graph(c)
            #expect(graph.islands == c.islands, "\(c.id) islands")
            for (variant, want) in [(GiVariant.star, c.gistar_binary), (.starRowStandardised, c.gistar_row), (.gi, c.gi_binary)] {
                let got = try GetisOrd.localG(c.x, neighbours: graph, variant: variant)
                for (i, (g, w)) in zip(got, want).enumerated() {
                    expectClose(g.z, w, file.tolerance, "\(c.id) \(variant) z[\(i)]")
                    if w == nil { #expect(g.problem == .island, "\(c.id) \(variant) [\(i)] problem") }
                }
            }
        }
    }

    /// esda agrees on binary weights; its row-standardised z uses the binary-only variance and
    /// differs (METHODS §8.3), and its `p_norm` is one-sided (ours is the doubled, two-sided p).
    @Test func esdaAgreesOnBinaryWeightsOnly() throws {
        let r = try FixtureSupport.decode(RFile.self, from: "reference/hotspots_r.json")
        let esda = try FixtureSupport.decode(EsdaFile.self, from: "reference/hotspots_esda.json")
        var largestRowGap = 0.0
        for (c, e) in zip(r.gistar, esda.gistar) {
            #expect(c.id == e.id)
            let graph = try Self.graph(c)
            let star = try GetisOrd.localG(c.x, neighbours: graph, variant: .star)
            let gi = try GetisOrd.localG(c.x, neighbours: graph, variant: .gi)
            let row = try GetisOrd.localG(c.x, neighbours: graph, variant: .starRowStandardised)
            for i in 0..<c.n {
                expectClose(star[i].z, e.gistar_binary[i], r.tolerance, "\(c.id) esda Gi* z[\(i)]")
                expectClose(gi[i].z, e.gi_binary[i], r.tolerance, "\(c.id) esda Gi z[\(i)]")
                expectClose(star[i].p, e.p_norm_one_sided[i].map { 2 * $0 }, r.tolerance, "\(c.id) two-sided p[\(i)]")
                if let ours = row[i].z, let theirs = e.gistar_row_esda[i] { largestRowGap = max(largestRowGap, abs(ours - theirs)) }
            }
        }
        #expect(largestRowGap > 0.5, "esda's row-standardised z should differ from spdep's general variance")
    }

    @Test func funnelLimitsOverWideExpectedRange() throws {
        let file = try FixtureSupport.decode(RFile.self, from: "reference/hotspots_r.json")
        #expect(file.funnel.count == 20)
        let tails = [0.001, 0.025, 0.975, 0.999]
        for c in file.funnel {
            for (k, tail) in tails.enumerated() {
                let limit = try #require(FunnelLimit(tail: tail, expected: c.expected))
                #expect(limit.quantile == c.quantiles[k], "E = \(c.expected) qpois(\(tail))")
                expectClose(limit.raw, c.limits_raw[k], file.tolerance, "E = \(c.expected) limit \(tail)")
                #expect(limit.count == max(0, c.limits_raw[k]) || abs(limit.count - max(0, c.limits_raw[k])) < 1e-9)
            }
            for (k, count) in c.counts.enumerated() {
                let point = try #require(FunnelPoint(count: count, expected: c.expected))
                expectClose(point.pUpper, c.p_upper[k], file.tolerance, "E = \(c.expected) y = \(count) p_upper")
                expectClose(point.pLower, c.p_lower[k], file.tolerance, "E = \(c.expected) y = \(count) p_lower")
            }
        }
    }
}

@Suite("hotspot edge cases")
struct HotspotEdgeCaseTests {
    static let path = try? SpatialNeighbours(count: 4, edges: [(0, 1), (1, 2)])

    @Test func noVariationIsNilNotNaN() throws {
        let graph = try #require(Self.path)
        for variant in GiVariant.allCases {
            let result = try GetisOrd.localG([3, 3, 3, 3], neighbours: graph, variant: variant)
            #expect(result.allSatisfy { $0.z == nil && $0.p == nil && $0.bin == nil })
            #expect(result[0].problem == .noVariation)
        }
        // Gi: when every *other* value is equal the variance excluding i is zero.
        let gi = try GetisOrd.localG([9, 1, 1, 1], neighbours: graph, variant: .gi)
        #expect(gi[0].problem == .noVariation)
        #expect(gi[1].z != nil)
    }

    @Test func islandUnderGiStarIsStandardScore() throws {
        let graph = try #require(Self.path)
        let x: [Double] = [1, 4, 2, 9]
        let mean = x.reduce(0, +) / 4
        let sd = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
        let star = try GetisOrd.localG(x, neighbours: graph, variant: .star)
        #expect(abs((star[3].z ?? .nan) - (9 - mean) / sd) < 1e-14)
        #expect(star[3].neighbourCount == 0)
        let gi = try GetisOrd.localG(x, neighbours: graph, variant: .gi)
        #expect(gi[3].z == nil && gi[3].problem == .island)
    }

    @Test func badGraphsAndValuesAreErrors() {
        #expect(throws: SpatialNeighbours.Problem.selfNeighbour(1)) { try SpatialNeighbours(count: 3, edges: [(1, 1)]) }
        #expect(throws: SpatialNeighbours.Problem.indexOutOfRange(3)) { try SpatialNeighbours(count: 3, edges: [(0, 3)]) }
        #expect(throws: GetisOrd.InputProblem.countMismatch(values: 2, locations: 4)) {
            try GetisOrd.localG([1, 2], neighbours: try #require(Self.path))
        }
        #expect(throws: GetisOrd.InputProblem.nonFiniteValue(index: 1)) {
            try GetisOrd.localG([1, .nan, 2, 3], neighbours: try #require(Self.path))
        }
    }

    @Test func neighbourhoodOfEveryLocation() throws {
        let triangle = try SpatialNeighbours(count: 3, edges: [(0, 1), (1, 2), (0, 2)])
        let result = try GetisOrd.localG([1, 2, 5], neighbours: triangle, variant: .star)
        #expect(result.allSatisfy { $0.problem == .neighbourhoodIsEverything && $0.z == nil })
        let induced = triangle.induced(on: [2, 0])
        #expect(induced.count == 2 && induced.lists == [[1], [0]])
    }

    @Test func binsFollowArcGIS() {
        #expect(GetisOrd.bin(z: 2.7, p: 0.007) == 3)
        #expect(GetisOrd.bin(z: -2.1, p: 0.04) == -2)
        #expect(GetisOrd.bin(z: 1.7, p: 0.09) == 1)
        #expect(GetisOrd.bin(z: 1.0, p: 0.3) == 0)
        #expect(GetisOrd.bin(z: nil, p: nil) == nil)
    }

    @Test func funnelRejectsNonPositiveExpectation() {
        #expect(FunnelPoint(count: 3, expected: 0) == nil)
        #expect(FunnelPoint(count: -1, expected: 2) == nil)
        #expect(FunnelLimit(tail: 1, expected: 2) == nil)
        #expect(FunnelLevels(inner: 0.99, outer: 0.95) == nil)
        let custom = FunnelLevels(inner: 0.9, outer: 0.99)
        #expect(custom?.innerUpperTail == 0.95)
    }

    /// With 8 steps "90%" is all 8, historical is impossible (needs 10), and one
    /// non-significant year breaks a persistent hot spot into a sporadic one.
    @Test func emergingClassesOnShortSeries() {
        let hot = [Double](repeating: 3, count: 8)
        let p = hot.map { 2 * NormalDistribution.cdf(-abs($0)) }
        #expect(EmergingHotSpot(z: hot, p: p).category == .persistentHotSpot)
        var broken = hot
        broken[3] = 0.5
        let pb = broken.map { 2 * NormalDistribution.cdf(-abs($0)) }
        let sporadic = EmergingHotSpot(z: broken, p: pb)
        #expect(sporadic.category == .sporadicHotSpot)
        #expect(sporadic.evidenceSteps == [0, 1, 2, 4, 5, 6, 7])
        let requirements = EmergingHotSpot(z: hot, p: p).impossibleClasses
        #expect(requirements.map(\.category) == [.historicalColdSpot, .historicalHotSpot])
        #expect(requirements.allSatisfy { $0.minimumSteps == 10 })
        #expect(EmergingHotSpot.stepsForNinetyPercent(of: 8) == 8)
        #expect(EmergingHotSpot.stepsForNinetyPercent(of: 10) == 9)
        #expect(EmergingHotSpot.minimumStepsForTrend(mkAlpha: 0.05) == 5)
        // A year without z (no variation) is neither hot nor cold.
        let gap = EmergingHotSpot(z: [nil, 2.5, 2.6], p: [nil, 0.012, 0.009])
        #expect(gap.category == .consecutiveHotSpot)
        #expect(gap.evidenceSteps == [1, 2])
        #expect(EmergingHotSpot(z: [], p: []).category == .noPattern)
    }
}
