import BinhYenAnalytics
import BinhYenCore
import BinhYenStats
import Testing
@testable import BinhYenReport

/// The sentences and tables of `hotspots`, in Vietnamese and English.
@Suite("hotspot report")
struct HotspotReportTests {
    static let crime = Measure(.crime)

    @Test func reasonSentences() {
        let trend = WatchReason.risingTrendMannKendall(firstYear: 2018, lastYear: 2025, s: 21, p: 0.0082, exact: true)
        #expect(HotspotSentence.reason(trend, measure: Self.crime, language: .vi)
                == "Xu hướng tăng có ý nghĩa thống kê 2018–2025 (Mann–Kendall S = 21, p chính xác = 0,008)")
        #expect(HotspotSentence.reason(trend, measure: Self.crime, language: .en)
                == "Significant increasing trend 2018–2025 (Mann–Kendall S = 21, exact p = 0.008)")
        let model = WatchReason.risingTrendCountModel(model: .negbin, firstYear: 2018, lastYear: 2025, annualRateRatio: 1.12, p: 0.0004)
        #expect(HotspotSentence.reason(model, measure: Self.crime, language: .vi)
                == "Xu hướng tăng có ý nghĩa thống kê 2018–2025 (mô hình nhị thức âm: +12,0%/năm, p < 0,001)")
        let funnel = WatchReason.funnelHigh(year: 2025, outer: false, count: 22, expected: 14.3796, limit: 21.7887, coverage: 0.95,
                                            pUpper: 0.0368, exactAgrees: false)
        #expect(HotspotSentence.reason(funnel, measure: Self.crime, language: .vi)
                == "Vượt giới hạn 95% của biểu đồ phễu năm 2025: 22 vụ, kỳ vọng 14,38, giới hạn 21,79 (p = 0,04); kiểm định chính xác P(Y ≥ y) chưa vượt ngưỡng này (số nhỏ)")
        let outer = WatchReason.funnelHigh(year: 2025, outer: true, count: 3, expected: 0.4, limit: 2.9, coverage: 0.998,
                                           pUpper: 0.0008, exactAgrees: true)
        #expect(HotspotSentence.reason(outer, measure: Measure(.traffic, .deaths), language: .en)
                == "Above the funnel's 99.8% limit in 2025: 3 persons vs 0.40 expected, limit 2.90 (exact p < 0.001)")
        let emerging = WatchReason.emergingHotSpot(.consecutiveHotSpot, years: [2024, 2025])
        #expect(HotspotSentence.reason(emerging, measure: Self.crime, language: .vi) == "Điểm nóng liên tiếp (Gi*): nóng có ý nghĩa các năm 2024, 2025")
        let rule = WatchReason.ruleNotMet(ruleText: LocalizedText(vi: "giảm ≥ 5%", en: "down ≥ 5%"), year: 2025, previous: 15, current: 17)
        #expect(HotspotSentence.reason(rule, measure: Self.crime, language: .en) == "Rule “down ≥ 5%” not met in 2025: 15 → 17 cases")
    }

    @Test func notesSayWhyAndEveryClassHasAVietnameseName() {
        let short = HotspotNote.emergingTooShort(steps: 8, requirements: [
            EmergingHotSpot.StepRequirement(category: .historicalHotSpot, minimumSteps: 10),
            EmergingHotSpot.StepRequirement(category: .historicalColdSpot, minimumSteps: 10),
        ])
        #expect(HotspotSentence.note(short, language: .en)
                == "the 8-step series is too short for some classes: historical hot spot, historical cold spot need ≥ 10 steps; persistent/intensifying/diminishing need 8 of 8 steps significant")
        #expect(HotspotSentence.note(.populationCarriedForward(year: 2025, from: 2024), language: .vi) == "dân số năm 2025 lấy theo năm 2024")
        #expect(HotspotSentence.note(.giUndefined(year: 2020, problem: .noVariation), language: .en).contains("no variation"))
        let names = Set(EmergingHotSpotClass.allCases.map { HotspotSentence.className($0, .vi) })
        #expect(names.count == EmergingHotSpotClass.allCases.count)
        #expect(HotspotSentence.className(.noPattern, .en) == "no pattern detected")
    }

    /// A two-village panel through the analyzer, then both tables.
    @Test func tablesCarryTheCanonicalFields() throws {
        var panel = Panel()
        panel.units = [Unit(kind: .commune, name: "Xã T", key: "t"),
                       Unit(kind: .village, name: "Thôn A", key: "a", parent: 0),
                       Unit(kind: .village, name: "Thôn B", key: "b", parent: 0)]
        for (unit, counts) in [(1, [1, 2, 4, 8, 16]), (2, [1, 1, 1, 1, 1])] {
            for (offset, count) in counts.enumerated() {
                panel.series[SeriesKey(unit: unit, measure: Self.crime), default: [:]][2021 + offset] = YearValue(count: count)
                panel.population[unit, default: [:]][2021 + offset] = 1000
            }
        }
        let pack = try RulePack.builtIn(id: RulePack.defaultID)
        let rows = HotspotAnalyzer(pack: pack).analyze(panel, edges: [(1, 2)])
        let full = HotspotReport.fullTable(rows, language: .en)
        #expect(full.columns.map(\.key) == HotspotReport.fieldKeys)
        for key in ["rate_per_1000", "rate_lo", "rate_hi", "expected", "p_upper", "p_lower", "limit_95_hi", "limit_998_hi",
                    "funnel_flag", "gi_z", "gi_p", "gi_bin", "gi_p_bh", "ehsa_class", "watch", "reasons"] {
            #expect(HotspotReport.fieldKeys.contains(key), "missing \(key)")
        }
        #expect(full.metadata.contains(MetadataEntry("gi_variant", "star")))
        let json = JSONWriter().render(full)
        #expect(json.contains("\"village\": \"Thôn A\""))
        #expect(json.contains("\"watch\": \"alarm\"") || json.contains("\"watch\": \"warning\""))
        let compact = HotspotReport.compactTable(rows, language: .vi)
        #expect(compact.columns.map(\.key).last == "reasons")
        let text = MarkdownWriter(language: .vi).render(compact)
        #expect(text.contains("Thôn A") && text.contains("Mức cảnh báo"))
        #expect(HotspotReport.title(rows)?.vi.hasPrefix("Điểm nóng năm 2025") == true)
        #expect(HotspotReport.title([]) == nil)
    }
}
