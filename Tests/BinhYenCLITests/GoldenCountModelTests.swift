import Foundation
import Testing

/// End-to-end: the public golden case `glm_trend_overdispersed` (R glm, MASS glm.nb, integrate)
/// through `binhyen trend --model …` and `binhyen forecast --model …` with a 5% rule pack.
@Suite("golden count model through the CLI")
struct GoldenCountModelTests {
    static func golden() throws -> [String: Any] {
        let expected = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: CLIRunner.fixture("golden/glm_trend_overdispersed.expected.json"))) as? [String: Any])
        return try #require(expected["golden"] as? [String: Any])
    }

    /// The fixture (year, count, population) as a long CSV of one commune, plus a 5% pack.
    static func writeInputs() throws -> (data: URL, pack: URL) {
        let dir = try CLIRunner.temporaryDirectory()
        let input = try String(contentsOf: CLIRunner.fixture("golden/glm_trend_overdispersed.input.csv"), encoding: .utf8)
        var csv = "commune,year,category,metric,count,population\n"
        for line in input.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            csv += "Golden,\(f[0]),crime,cases,\(f[1]),\(f[2])\n"
        }
        let data = dir.appendingPathComponent("glm.csv")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        let pack = dir.appendingPathComponent("five.toml")
        try """
        id = "five"
        title_vi = "Giảm 5%"
        title_en = "Down 5%"
        source = "golden glm_trend_overdispersed"
        verified = true
        level = "commune"
        zero_base = "met_if_zero"

        [[rule]]
        measure = "crime.cases"
        test = "reduce_by_pct"
        pct = 5
        """.write(to: pack, atomically: true, encoding: .utf8)
        return (data, pack)
    }

    static func run(_ arguments: [String]) throws -> [String: Any] {
        let result = try CLIRunner.run(arguments + ["--format", "json", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        return try #require(rows.first)
    }

    static func close(_ got: Any?, _ want: Double, rel: Double, abs: Double = 0) -> Bool {
        guard let g = (got as? NSNumber)?.doubleValue else { return false }
        return Swift.abs(g - want) <= Swift.max(abs, rel * Swift.abs(want))
    }

    @Test func poissonQuasiPoissonAndNegativeBinomialTrends() throws {
        let g = try Self.golden()
        let (data, _) = try Self.writeInputs()
        let poisson = try #require(g["poisson"] as? [String: Any])
        let p = try Self.run(["trend", data.path, "--model", "poisson"])
        #expect(p["model"] as? String == "poisson")
        #expect(Self.close(p["annual_rr"], (poisson["annual_rate_ratio"] as? Double) ?? .nan, rel: 1e-7, abs: 1e-9))
        let profile = try #require(poisson["annual_rr_profile_ci_exact"] as? [Double])
        #expect(Self.close(p["annual_rr_lo"], profile[0], rel: 1e-9))
        #expect(Self.close(p["annual_rr_hi"], profile[1], rel: 1e-9))
        let pP = try #require(poisson["p"] as? [Double])
        #expect(Self.close(p["model_p"], pP[1], rel: 1e-7, abs: 1e-9))
        #expect(Self.close(p["dispersion"], (poisson["dispersion_pearson"] as? Double) ?? .nan, rel: 1e-7, abs: 1e-9))

        let quasi = try #require(g["quasipoisson"] as? [String: Any])
        let q = try Self.run(["trend", data.path, "--model", "quasipoisson"])
        let qT = try #require(quasi["annual_rr_wald_ci_t"] as? [Double])
        let qP = try #require(quasi["p"] as? [Double])
        #expect(q["model"] as? String == "quasipoisson")
        #expect(Self.close(q["annual_rr_lo"], qT[0], rel: 1e-7, abs: 1e-9))
        #expect(Self.close(q["annual_rr_hi"], qT[1], rel: 1e-7, abs: 1e-9))
        #expect(Self.close(q["model_p"], qP[1], rel: 1e-7, abs: 1e-9))

        let negbin = try #require(g["negbin"] as? [String: Any])
        let n = try Self.run(["trend", data.path, "--model", "negbin"])
        #expect(n["model"] as? String == "negbin")
        #expect(Self.close(n["theta"], (negbin["theta"] as? Double) ?? .nan, rel: 1e-6))
        let nCI = try #require(negbin["annual_rr_wald_ci"] as? [Double])
        #expect(Self.close(n["annual_rr_lo"], nCI[0], rel: 1e-6))
        #expect(Self.close(n["annual_rr_hi"], nCI[1], rel: 1e-6))
        let nP = try #require(negbin["p"] as? [Double])
        #expect(Self.close(n["model_p"], nP[1], rel: 1e-6))
    }

    @Test func forecastsWithPluginAndMixtureProbabilities() throws {
        let g = try Self.golden()
        let (data, pack) = try Self.writeInputs()
        for (model, key, rel) in [("poisson", "poisson_forecast", 1e-7), ("negbin", "negbin_forecast", 1e-5)] {
            let expected = try #require(g[key] as? [String: Any])
            let row = try Self.run(["forecast", data.path, "--rules", pack.path, "--model", model])
            #expect((row["target_max"] as? NSNumber)?.intValue == (g["meet_threshold_count"] as? NSNumber)?.intValue)
            #expect((row["forecast_year"] as? NSNumber)?.intValue == 2026)
            #expect(Self.close(row["forecast_mean"], (expected["mu"] as? Double) ?? .nan, rel: rel, abs: 1e-9), "\(model) mean")
            let meanCI = try #require(expected["mean_ci95"] as? [Double])
            #expect(Self.close(row["mean_lo"], meanCI[0], rel: rel, abs: 1e-9), "\(model) mean_lo")
            #expect(Self.close(row["mean_hi"], meanCI[1], rel: rel, abs: 1e-9), "\(model) mean_hi")
            #expect(Self.close(row["p_meet_plugin"], (expected["plugin_p_meet"] as? Double) ?? .nan, rel: rel, abs: 1e-9), "\(model) plug-in")
            #expect(Self.close(row["p_meet"], (expected["mixture_p_meet"] as? Double) ?? .nan, rel: 1e-6, abs: 1e-8), "\(model) mixture")
            let interval = try #require(expected["mixture_pi95"] as? [Int])
            #expect((row["pi_lo"] as? NSNumber)?.intValue == interval[0], "\(model) pi_lo")
            #expect((row["pi_hi"] as? NSNumber)?.intValue == interval[1], "\(model) pi_hi")
        }
    }
}
