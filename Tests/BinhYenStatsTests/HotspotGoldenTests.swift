import BinhYenStats
import Foundation
import Testing

/// The public golden cases of the hotspot family, value by value at each case's tolerance
/// (rel 1e-10 / abs 1e-12; strings, flags, bins and counts exactly):
/// `funnel_poisson_2025` (R qpois/ppois, Spiegelhalter interpolation), `gistar_panel_binary`
/// (spdep localG, esda), `ehsa_panel` and `ehsa_classifier_synthetic_public` (METHODS §9.3).
@Suite("golden funnel, Gi* and emerging hot spots")
struct HotspotGoldenTests {
    typealias Record = [String: Any]

    static func expected(_ name: String) throws -> Record {
        let data = try FixtureSupport.data("golden/\(name).expected.json")
        return try #require(try JSONSerialization.jsonObject(with: data) as? Record)
    }

    static func csv(_ name: String) throws -> [[String]] {
        let text = String(decoding: try FixtureSupport.data("golden/\(name)"), as: UTF8.self)
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    static func tolerance(_ record: Record) throws -> Tolerance {
        let tol = try #require((record["case"] as? Record)?["tolerance"] as? Record)
        return Tolerance(relative: (tol["rel"] as? NSNumber)?.doubleValue ?? 0, absolute: (tol["abs"] as? NSNumber)?.doubleValue ?? 0)
    }

    static func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }
    static func numbers(_ any: Any?) -> [Double?] { (any as? [Any])?.map { number($0) } ?? [] }

    /// The 3×3 grid plus V10 of the golden cases, by village id.
    static func grid(_ name: String, order: [String]) throws -> SpatialNeighbours {
        let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let edges = try csv(name).map { row -> (Int, Int) in
            (try #require(index[row[0]]), try #require(index[row[1]]))
        }
        return try SpatialNeighbours(count: order.count, edges: edges)
    }

    /// Counts by year in village order from the panel input.
    static func panel(order: [String]) throws -> [(year: Int, values: [Double])] {
        var byYear: [Int: [String: Double]] = [:]
        for row in try csv("gistar_panel_binary.input.csv") {
            let year = try #require(Int(row[2]))
            let count = try #require(Double(row[3]))
            byYear[year, default: [:]][row[0]] = count
        }
        return try byYear.keys.sorted().map { year in
            (year, try order.map { try #require(byYear[year]?[$0]) })
        }
    }

    @Test func funnelPoisson2025() throws {
        let record = try Self.expected("funnel_poisson_2025")
        let tol = try Self.tolerance(record)
        let golden = try #require(record["golden"] as? Record)
        let rows = try Self.csv("funnel_poisson_2025.input.csv").map { (village: $0[0], count: try #require(Int($0[1])), population: try #require(Double($0[2]))) }
        let target = Double(rows.reduce(0) { $0 + $1.count }) / rows.reduce(0) { $0 + $1.population }
        expectClose(target, Self.number(golden["target_rate"]), tol, "target_rate")
        expectClose(1000 * target, Self.number(golden["target_per_1000"]), tol, "target_per_1000")
        let expectedRows = try #require(golden["rows"] as? [Record])
        #expect(expectedRows.count == rows.count)
        let tails = ["p0.001", "p0.025", "p0.975", "p0.999"]
        for (row, want) in zip(rows, expectedRows) {
            #expect(want["village"] as? String == row.village)
            let point = try #require(FunnelPoint(count: row.count, expected: target * row.population))
            let id = row.village
            expectClose(point.expected, Self.number(want["expected"]), tol, "\(id) expected")
            expectClose(point.ratio, Self.number(want["ratio"]), tol, "\(id) ratio")
            expectClose(1000 * Double(row.count) / row.population, Self.number(want["rate_per_1000"]), tol, "\(id) rate")
            let limits = [point.outerLower, point.innerLower, point.innerUpper, point.outerUpper]
            let clipped = try #require(want["count_limits"] as? Record)
            let raw = try #require(want["count_limits_raw"] as? Record)
            let rate = try #require(want["rate_limits_per_1000"] as? Record)
            for (limit, tail) in zip(limits, tails) {
                expectClose(limit.count, Self.number(clipped[tail]), tol, "\(id) count limit \(tail)")
                expectClose(limit.raw, Self.number(raw[tail]), tol, "\(id) raw limit \(tail)")
                expectClose(1000 * limit.count / row.population, Self.number(rate[tail]), tol, "\(id) rate limit \(tail)")
            }
            expectClose(point.pUpper, Self.number(want["p_upper_exact"]), tol, "\(id) p_upper")
            expectClose(point.pUpperMid, Self.number(want["p_upper_midp"]), tol, "\(id) p_upper_midp")
            expectClose(point.pLower, Self.number(want["p_lower_exact"]), tol, "\(id) p_lower")
            expectClose(point.pLowerMid, Self.number(want["p_lower_midp"]), tol, "\(id) p_lower_midp")
            #expect(point.flagByLimits.rawValue == want["flag_limits"] as? String, "\(id) flag_limits")
            #expect(point.flagByExactP.rawValue == want["flag_exact_p"] as? String, "\(id) flag_exact_p")
            #expect(point.flagByMidP.rawValue == want["flag_midp"] as? String, "\(id) flag_midp")
        }
        // V08: the interpolated limit flags a count the exact test does not.
        let v08 = try #require(FunnelPoint(count: 22, expected: target * 2729))
        #expect(v08.flagsDisagree)
    }

    @Test func giStarPanelBinary() throws {
        let record = try Self.expected("gistar_panel_binary")
        let tol = try Self.tolerance(record)
        let golden = try #require(record["golden"] as? Record)
        let order = try #require(golden["village_order"] as? [String])
        let graph = try Self.grid("gistar_panel_binary.adjacency.csv", order: order)
        let years = try Self.panel(order: order)
        let byYear = try #require(golden["by_year"] as? [Record])
        #expect(byYear.count == years.count)
        for (input, want) in zip(years, byYear) {
            #expect((want["year"] as? NSNumber)?.intValue == input.year)
            #expect(Self.numbers(want["x"]).compactMap { $0 } == input.values)
            let stats = try GetisOrd.localG(input.values, neighbours: graph, variant: .star)
            let g = try #require(want["gistar_binary"] as? Record)
            let bh = MultipleTesting.benjaminiHochberg(stats.map(\.p))
            let fields: [(String, [Double?])] = [
                ("z", stats.map(\.z)), ("p_two_sided", stats.map(\.p)), ("p_bh", bh), ("G", stats.map(\.g)),
                ("EG", stats.map(\.expectedG)), ("VG", stats.map(\.varianceG)),
            ]
            for (key, got) in fields {
                for (i, (value, expected)) in zip(got, Self.numbers(g[key])).enumerated() {
                    expectClose(value, expected, tol, "\(input.year) \(order[i]) \(key)")
                }
            }
            #expect(stats.map(\.bin) == (g["bin"] as? [Int]).map { $0.map(Optional.some) })
            let fdrBins = zip(stats, bh).map { GetisOrd.bin(z: $0.z, p: $1) }
            #expect(fdrBins == (g["bin_fdr"] as? [Int]).map { $0.map(Optional.some) })
        }
    }

    /// Checks one location's classification record (`z`, `p`, `sig_hot`, `sig_cold`, `n_hot`,
    /// `n_cold`, `mk`, `class_arcgis`).
    static func checkClassification(_ result: EmergingHotSpot, z: [Double], p: [Double?], want: Record, tol: Tolerance) throws {
        let id = want["location"] as? String ?? "?"
        for (i, (value, expected)) in zip(z, Self.numbers(want["z"])).enumerated() {
            expectClose(value, expected, tol, "\(id) z[\(i)]")
        }
        for (i, (value, expected)) in zip(p, Self.numbers(want["p"])).enumerated() {
            expectClose(value, expected, tol, "\(id) p[\(i)]")
        }
        #expect(result.hotSteps == (want["sig_hot"] as? [Bool]), "\(id) sig_hot")
        #expect(result.coldSteps == (want["sig_cold"] as? [Bool]), "\(id) sig_cold")
        #expect(result.hotSteps.filter { $0 }.count == (want["n_hot"] as? NSNumber)?.intValue, "\(id) n_hot")
        #expect(result.coldSteps.filter { $0 }.count == (want["n_cold"] as? NSNumber)?.intValue)
        let mk = try #require(want["mk"] as? Record)
        let trend = try #require(result.trend)
        #expect(trend.s == (mk["S"] as? NSNumber)?.intValue, "\(id) S")
        expectClose(trend.varianceS, Self.number(mk["var_s"]), tol, "\(id) var_s")
        expectClose(trend.z, Self.number(mk["z"]), tol, "\(id) mk z")
        expectClose(trend.p, Self.number(mk["p"]), tol, "\(id) mk p")
        #expect(result.category.rawValue == want["class_arcgis"] as? String, "\(id) class")
    }

    @Test func emergingHotSpotPanel() throws {
        let record = try Self.expected("ehsa_panel")
        let tol = try Self.tolerance(record)
        let results = try #require((record["golden"] as? Record)?["results"] as? [Record])
        let order = results.compactMap { $0["location"] as? String }
        let graph = try Self.grid("ehsa_panel.adjacency.csv", order: order)
        let years = try Self.panel(order: order)
        let perYear = try years.map { try GetisOrd.localG($0.values, neighbours: graph) }
        for (i, want) in results.enumerated() {
            let z = perYear.map(\.[i].z)
            let p = perYear.map(\.[i].p)
            let result = EmergingHotSpot(z: z, p: p)
            try Self.checkClassification(result, z: z.compactMap { $0 }, p: p, want: want, tol: tol)
        }
        #expect(results.map { $0["class_arcgis"] as? String }.contains("consecutive hot spot"))
    }

    @Test func emergingHotSpotClassifierSynthetic() throws {
        let record = try Self.expected("ehsa_classifier_synthetic_public")
        let tol = try Self.tolerance(record)
        let results = try #require((record["golden"] as? Record)?["results"] as? [Record])
        var series: [String: [Double]] = [:]
        for row in try Self.csv("ehsa_classifier_synthetic_public.input.csv") {
            series[row[0], default: []].append(try #require(Double(row[2])))
        }
        #expect(results.count == 9)
        for want in results {
            let id = try #require(want["location"] as? String)
            let z = try #require(series[id])
            let p = z.map { 2 * NormalDistribution.cdf(-abs($0)) }
            let result = EmergingHotSpot(z: z, p: p)
            try Self.checkClassification(result, z: z, p: p, want: want, tol: tol)
        }
    }
}
