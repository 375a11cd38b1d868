import Testing
import BinhYenCore

@Suite("Catalogue")
struct CatalogueTests {
    let catalogue = Catalogue.standard

    @Test func everySPECCategoryIsPresentWithItsMetrics() {
        let expected: [String: [String]] = [
            "crime": ["cases", "solved", "suspects"],
            "drug_crime": ["cases", "suspects"],
            "economic_crime": ["cases"],
            "environment_crime": ["cases"],
            "social_evil": ["cases", "persons"],
            "traffic": ["cases", "deaths", "injuries", "damage_vnd"],
            "fire": ["cases", "deaths", "injuries", "damage_vnd"],
            "labor_accident": ["cases", "deaths"],
        ]
        #expect(catalogue.categories.count == expected.count)
        for (id, metrics) in expected {
            #expect(catalogue.info(CategoryID(id))?.metrics.map(\.id.rawValue) == metrics, "\(id)")
        }
    }

    @Test func labelsAbbreviationsAndSynonymsResolve() {
        #expect(catalogue.category(named: "Phạm tội về trật tự xã hội") == .crime)
        #expect(catalogue.category(named: "TTXH") == .crime)
        #expect(catalogue.category(named: "toi pham ttxh") == .crime)
        #expect(catalogue.category(named: "TNXH") == .socialEvil)
        #expect(catalogue.category(named: "TNGT") == .traffic)
        #expect(catalogue.category(named: "PCCC") == .fire)
        #expect(catalogue.category(named: "Cháy, nổ") == .fire)
        #expect(catalogue.category(named: "TNLĐ") == .laborAccident)
        #expect(catalogue.category(named: "hỏa hoạn") == .fire)
        #expect(catalogue.category(named: "bóng đá") == nil)
    }

    @Test func compoundHeadingsNameCategoryAndMetric() {
        #expect(catalogue.resolve("traffic.deaths")?.category == .traffic)
        #expect(catalogue.resolve("traffic.deaths")?.metric == .deaths)
        #expect(catalogue.resolve("traffic_deaths")?.metric == .deaths)
        #expect(catalogue.resolve("TNGT - số người chết")?.metric == .deaths)
        #expect(catalogue.resolve("TNGT - người bị thương")?.metric == .injuries)
        #expect(catalogue.resolve("Cháy, nổ - số vụ")?.category == .fire)
        #expect(catalogue.resolve("Cháy, nổ - số vụ")?.metric == .cases)
        #expect(catalogue.resolve("Tội phạm TTXH")?.category == .crime)
        #expect(catalogue.resolve("Tội phạm TTXH")?.metric == nil)
    }

    /// "số đối tượng" is `suspects` for a crime and `persons` for a social evil.
    @Test func sharedMetricNamesAreResolvedByCategory() {
        #expect(catalogue.metric(named: "số đối tượng", in: .crime) == .suspects)
        #expect(catalogue.metric(named: "số đối tượng", in: .drugCrime) == .suspects)
        #expect(catalogue.metric(named: "số đối tượng", in: .socialEvil) == .persons)
        #expect(catalogue.metric(named: "người chết", in: .crime) == nil)
        #expect(catalogue.metric(named: "số vụ", in: .fire) == .cases)
    }

    @Test func extensionAddsAndReplacesCategories() {
        var extended = catalogue
        let unit = LocalizedText(vi: "vụ", en: "cases")
        extended.extend(with: [CategoryInfo(
            id: CategoryID("complaint"), label: LocalizedText(vi: "Khiếu kiện đông người", en: "Mass complaints"),
            short: LocalizedText(vi: "KKĐN", en: "Complaints"),
            metrics: [MetricInfo(id: .cases, label: LocalizedText(vi: "số vụ", en: "cases"), unit: unit)],
            synonyms: ["khiếu kiện"])])
        #expect(extended.category(named: "KKĐN")?.rawValue == "complaint")
        #expect(extended.categories.count == catalogue.categories.count + 1)
    }
}
