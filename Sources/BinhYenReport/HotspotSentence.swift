import BinhYenAnalytics
import BinhYenCore
import BinhYenStats

/// Plain-language text of the hotspot results, in Vietnamese or English: the reasons of a watch
/// level, the notes of undefined fields, and the names of the emerging hot-spot classes.
///
/// - `Xu hướng tăng có ý nghĩa thống kê 2018–2025 (Mann–Kendall S = 22, p chính xác = 0,001)`
/// - `Vượt giới hạn 95% của biểu đồ phễu năm 2025: 22 vụ, kỳ vọng 14,38, giới hạn 21,79 (p = 0,037)`
/// - `Điểm nóng liên tiếp (Gi*): nóng có ý nghĩa các năm 2024, 2025`
/// - `Không đạt tiêu chí “giảm” năm 2025: 12 → 15 vụ`
public enum HotspotSentence {
    /// The reason of one finding; counts are named with the measure's unit from `catalogue`.
    public static func reason(_ reason: WatchReason, measure: Measure, language: Language, catalogue: Catalogue = .standard) -> String {
        let vi = language == .vi
        let unit = catalogue.info(measure.category)?.metric(measure.metric)?.unit(language) ?? ""
        switch reason {
        case .risingTrendMannKendall(let first, let last, let s, let p, let exact):
            let pText = pStatement(exact ? (vi ? "p chính xác" : "exact p") : "p", p, language)
            return vi ? "Xu hướng tăng có ý nghĩa thống kê \(first)–\(last) (Mann–Kendall S = \(s), \(pText))"
                      : "Significant increasing trend \(first)–\(last) (Mann–Kendall S = \(s), \(pText))"
        case .risingTrendCountModel(let model, let first, let last, let ratio, let p):
            let percent = NumberStyle.percent(100 * (ratio - 1), digits: 1, language: language, signed: true) ?? ""
            let name = modelName(model, language)
            return vi ? "Xu hướng tăng có ý nghĩa thống kê \(first)–\(last) (\(name): \(percent)/năm, \(pStatement("p", p, language)))"
                      : "Significant increasing trend \(first)–\(last) (\(name): \(percent) a year, \(pStatement("p", p, language)))"
        case .funnelHigh(let year, _, let count, let expected, let limit, let coverage, let pUpper, let exactAgrees):
            let level = percentLevel(coverage, language)
            let counted = unit.isEmpty ? "\(count)" : "\(count) \(unit)"
            let numbers = vi ? "\(counted), kỳ vọng \(decimal(expected, language)), giới hạn \(decimal(limit, language)) (\(pStatement("p", pUpper, language)))"
                             : "\(counted) vs \(decimal(expected, language)) expected, limit \(decimal(limit, language)) (\(pStatement("exact p", pUpper, language)))"
            var text = vi ? "Vượt giới hạn \(level) của biểu đồ phễu năm \(year): \(numbers)"
                          : "Above the funnel's \(level) limit in \(year): \(numbers)"
            if !exactAgrees {
                text += vi ? "; kiểm định chính xác P(Y ≥ y) chưa vượt ngưỡng này (số nhỏ)"
                           : "; the exact test P(Y ≥ y) does not reach this level (small counts)"
            }
            return text
        case .emergingHotSpot(let category, let years):
            let list = years.map(String.init).joined(separator: ", ")
            return vi ? "\(capitalized(className(category, .vi))) (Gi*): nóng có ý nghĩa các năm \(list)"
                      : "\(capitalized(className(category, .en))) (Gi*): significant hot spot in \(list)"
        case .ruleNotMet(let rule, let year, let previous, let current):
            let counts = previous.flatMap { p in current.map { ": \(p) → \($0)" + (unit.isEmpty ? "" : " \(unit)") } } ?? ""
            return vi ? "Không đạt tiêu chí “\(rule.vi)” năm \(year)\(counts)" : "Rule “\(rule.en)” not met in \(year)\(counts)"
        }
    }

    /// The note of one undefined or derived value.
    public static func note(_ note: HotspotNote, language: Language) -> String {
        let vi = language == .vi
        switch note {
        case .missingCount(let year):
            return vi ? "không có số liệu (đủ kỳ) năm \(year)" : "no (complete) count for \(year)"
        case .missingPopulation(let year):
            return vi ? "không có số dân năm \(year) hay năm trước đó: không tính tỷ lệ và biểu đồ phễu"
                      : "no population for \(year) or earlier: no rate and no funnel"
        case .populationCarriedForward(let year, let from):
            return vi ? "dân số năm \(year) lấy theo năm \(from)" : "population of \(from) carried forward to \(year)"
        case .noAdjacency:
            return vi ? "không có tệp kề (--adjacency): không tính Gi* và điểm nóng" : "no --adjacency file: no Gi* and no emerging class"
        case .island:
            return vi ? "không có khu dân cư kề (đảo)" : "no neighbours (island)"
        case .giUndefined(let year, let problem):
            return vi ? "Gi* năm \(year) không xác định: \(problemText(problem, .vi))" : "Gi* undefined in \(year): \(problemText(problem, .en))"
        case .funnelFlagsDisagree(let limits, let exact):
            return vi ? "cờ theo giới hạn (\(limits.rawValue)) khác cờ theo p chính xác (\(exact.rawValue))"
                      : "limit flag (\(limits.rawValue)) differs from the exact-p flag (\(exact.rawValue))"
        case .zeroTargetRate:
            return vi ? "tỷ lệ chuẩn bằng 0: không có biểu đồ phễu" : "target rate is zero: no funnel"
        case .leftOutOfGi(let years):
            let list = years.map(String.init).joined(separator: ", ")
            return vi ? "không có số liệu nên không tính Gi* các năm \(list)" : "left out of Gi* (no value) in \(list)"
        case .emergingTooShort(let steps, let requirements):
            let grouped = Dictionary(grouping: requirements, by: \.minimumSteps).sorted { $0.key < $1.key }
            let parts = grouped.map { minimum, items -> String in
                let names = items.map { className($0.category, language) }.joined(separator: ", ")
                return vi ? "\(names) cần ≥ \(minimum) năm" : "\(names) need ≥ \(minimum) steps"
            }
            let ninety = EmergingHotSpot.stepsForNinetyPercent(of: steps)
            let lead = vi ? "chuỗi \(steps) năm quá ngắn cho một số lớp: " : "the \(steps)-step series is too short for some classes: "
            let tail = vi ? "; lớp “dai dẳng/gia tăng/suy giảm” cần \(ninety)/\(steps) năm có ý nghĩa"
                          : "; persistent/intensifying/diminishing need \(ninety) of \(steps) steps significant"
            return lead + parts.joined(separator: "; ") + tail
        }
    }

    /// Name of an emerging class: "điểm nóng liên tiếp" / "consecutive hot spot".
    public static func className(_ category: EmergingHotSpotClass, _ language: Language) -> String {
        guard language == .vi else { return category.rawValue }
        switch category {
        case .newHotSpot: return "điểm nóng mới"
        case .consecutiveHotSpot: return "điểm nóng liên tiếp"
        case .intensifyingHotSpot: return "điểm nóng gia tăng"
        case .persistentHotSpot: return "điểm nóng dai dẳng"
        case .diminishingHotSpot: return "điểm nóng suy giảm"
        case .sporadicHotSpot: return "điểm nóng rải rác"
        case .oscillatingHotSpot: return "điểm nóng dao động"
        case .historicalHotSpot: return "điểm nóng trong quá khứ"
        case .newColdSpot: return "điểm lạnh mới"
        case .consecutiveColdSpot: return "điểm lạnh liên tiếp"
        case .intensifyingColdSpot: return "điểm lạnh gia tăng"
        case .persistentColdSpot: return "điểm lạnh dai dẳng"
        case .diminishingColdSpot: return "điểm lạnh suy giảm"
        case .sporadicColdSpot: return "điểm lạnh rải rác"
        case .oscillatingColdSpot: return "điểm lạnh dao động"
        case .historicalColdSpot: return "điểm lạnh trong quá khứ"
        case .noPattern: return "không có mẫu hình"
        }
    }

    /// "mô hình Poisson" / "Poisson model", "mô hình nhị thức âm" / "negative binomial model", …
    static func modelName(_ model: CountTrendModel, _ language: Language) -> String {
        let vi = language == .vi
        switch model {
        case .poisson: return vi ? "mô hình Poisson" : "Poisson model"
        case .quasipoisson: return vi ? "mô hình tựa Poisson" : "quasi-Poisson model"
        case .negbin: return vi ? "mô hình nhị thức âm" : "negative binomial model"
        case .auto: return vi ? "mô hình đếm" : "count model"
        }
    }

    static func problemText(_ problem: LocalGProblem, _ language: Language) -> String {
        let vi = language == .vi
        switch problem {
        case .noVariation: return vi ? "mọi khu dân cư có cùng giá trị (không có biến thiên)" : "every village has the same value (no variation)"
        case .island: return vi ? "không có khu dân cư kề" : "no neighbours"
        case .neighbourhoodIsEverything: return vi ? "vùng lân cận gồm mọi khu dân cư" : "the neighbourhood is every village"
        case .tooFewLocations: return vi ? "quá ít khu dân cư" : "too few villages"
        }
    }

    /// "p = 0,03" or "p < 0,001".
    static func pStatement(_ name: String, _ p: Double, _ language: Language) -> String {
        let text = NumberStyle.pValue(p, language: language) ?? "–"
        return text.hasPrefix("<") ? "\(name) \(text)" : "\(name) = \(text)"
    }

    static func decimal(_ value: Double, _ language: Language) -> String {
        NumberStyle.decimal(value, digits: 2, language: language)?.replacingMinus() ?? "–"
    }

    /// "95%", "99,8%".
    static func percentLevel(_ coverage: Double, _ language: Language) -> String {
        let percent = 100 * coverage
        let digits = (percent * 10).rounded() == (percent.rounded() * 10) ? 0 : 1
        return NumberStyle.percent(percent, digits: digits, language: language) ?? ""
    }

    private static func capitalized(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }
}
