import BinhYenCore
import BinhYenStats

/// Turns the TOML subset of a rule-pack file into a validated `RulePack`.
///
/// File format (all keys bare; unknown keys are errors):
///
/// ```toml
/// id = "ntm-2021-2025"            # required: a–z, 0–9, '.', '_', '-'
/// title_vi = "…"                  # required
/// title_en = "…"                  # required
/// source = ["QĐ 318/QĐ-TTg …"]    # required: a string or a non-empty array of strings
/// verified = false                # default false
/// level = "commune"               # "commune" (default) | "village"
/// zero_base = "met_if_zero"       # "met_if_zero" (default) | "not_applicable"
///
/// [[rule]]
/// measure = "crime.cases"         # required: category.metric ids of the catalogue
/// test = "reduce_by_pct"          # required: "reduce_by_pct" | "decrease" | "zero"
/// pct = 5                         # reduce_by_pct only: integer or ≤ 2 decimals, 0 < pct ≤ 100
/// allow_equal = false             # decrease only
/// label_vi = "Phạm tội về TTXH"   # optional (default: catalogue label)
/// label_en = "Social-order crime" # optional
/// source = "…"                    # optional
/// verified = false                # optional (default: the pack's value)
///
/// [watch]                         # optional: the early-warning rule of `hotspots` (see WatchRule)
/// trend_points = 1
/// ```
enum RulePackParser {
    static let topKeys = ["id", "title_vi", "title_en", "source", "verified", "level", "zero_base"]
    static let ruleKeys = ["measure", "test", "pct", "allow_equal", "label_vi", "label_en", "source", "verified"]
    static let watchKeys = ["source", "trend_test", "trend_points", "funnel_basis", "funnel_alert_points", "funnel_alarm_points",
                            "emerging_classes", "emerging_points", "rule_failed_points", "watch", "warning", "alarm"]

    static func parse(text: String, origin: String, catalogue: Catalogue) throws(RulePackError) -> RulePack {
        var reader = TOMLSubsetReader(text: text, origin: origin)
        let document = try reader.parse()
        let context = Context(origin: origin, catalogue: catalogue)
        return try context.build(document)
    }

    private struct Context {
        var origin: String
        var catalogue: Catalogue

        func failure(_ line: Int?, _ column: Int?, vi: String, en: String) -> RulePackError {
            RulePackError(origin: origin, line: line, column: column, message: LocalizedText(vi: vi, en: en))
        }

        func build(_ document: TOMLDocument) throws(RulePackError) -> RulePack {
            let top = document.top
            try checkKeys(top, allowed: RulePackParser.topKeys, where: LocalizedText(vi: "đầu tệp", en: "the top level"))
            for table in document.arrayTables where table.name != "rule" {
                throw failure(table.line, nil, vi: "bảng [[\(table.name)]] không được hỗ trợ; chỉ dùng [[rule]]",
                              en: "table [[\(table.name)]] is not supported; only [[rule]] is")
            }
            for table in document.tables where table.name != "watch" {
                throw failure(table.line, 1, vi: "bảng [\(table.name)] không được hỗ trợ: chỉ có [watch]; quy tắc viết là [[rule]]",
                              en: "[\(table.name)] is not supported: [table] headers are not supported except [watch]; rules are [[rule]]")
            }

            let id = try requiredString(top, "id")
            guard !id.isEmpty, id.unicodeScalars.allSatisfy(Self.isIDScalar) else {
                let entry = top.entries["id"]
                throw failure(entry?.line, entry?.column,
                              vi: "id '\(id)' không hợp lệ: chỉ dùng chữ thường a–z, chữ số, '.', '_' và '-'",
                              en: "invalid id '\(id)': use lower-case a–z, digits, '.', '_' and '-' only")
            }
            let title = LocalizedText(vi: try requiredString(top, "title_vi"), en: try requiredString(top, "title_en"))
            let sources = try sourceList(top, required: true)
            let verified = try optionalBool(top, "verified") ?? false
            let level = try enumValue(top, "level", default: RulePackLevel.commune)
            let zeroBase = try enumValue(top, "zero_base", default: ZeroBasePolicy.metIfZero)

            var rules: [Rule] = []
            for table in document.arrayTables {
                let rule = try buildRule(table, packVerified: verified)
                if let earlier = rules.first(where: { $0.measure == rule.measure }) {
                    throw failure(table.line, nil,
                                  vi: "đã có quy tắc cho \(rule.measure) ở dòng \(earlier.line); mỗi chỉ tiêu chỉ một quy tắc",
                                  en: "a rule for \(rule.measure) already exists on line \(earlier.line); one rule per measure")
                }
                rules.append(rule)
            }
            let watch = try document.tables.first.map { table throws(RulePackError) in try buildWatch(table) }
            return RulePack(id: id, title: title, sources: sources, verified: verified, level: level,
                            zeroBase: zeroBase, rules: rules, origin: origin, watch: watch)
        }

        /// The `[watch]` table: every key optional, defaults of `WatchRule.standard`.
        private func buildWatch(_ table: TOMLTable) throws(RulePackError) -> WatchRule {
            try checkKeys(table, allowed: RulePackParser.watchKeys,
                          where: LocalizedText(vi: "[watch] ở dòng \(table.line)", en: "[watch] on line \(table.line)"))
            var rule = WatchRule.standard
            rule.source = try optionalString(table, "source")
            rule.trendTest = try enumValue(table, "trend_test", default: rule.trendTest)
            rule.funnelBasis = try enumValue(table, "funnel_basis", default: rule.funnelBasis)
            rule.trendPoints = try points(table, "trend_points") ?? rule.trendPoints
            rule.funnelAlertPoints = try points(table, "funnel_alert_points") ?? rule.funnelAlertPoints
            rule.funnelAlarmPoints = try points(table, "funnel_alarm_points") ?? rule.funnelAlarmPoints
            rule.emergingPoints = try points(table, "emerging_points") ?? rule.emergingPoints
            rule.ruleFailedPoints = try points(table, "rule_failed_points") ?? rule.ruleFailedPoints
            rule.watchThreshold = try points(table, "watch") ?? rule.watchThreshold
            rule.warningThreshold = try points(table, "warning") ?? rule.warningThreshold
            rule.alarmThreshold = try points(table, "alarm") ?? rule.alarmThreshold
            guard 1 <= rule.watchThreshold, rule.watchThreshold <= rule.warningThreshold,
                  rule.warningThreshold <= rule.alarmThreshold else {
                throw failure(table.line, nil,
                              vi: "[watch]: ngưỡng phải thoả 1 ≤ watch ≤ warning ≤ alarm (đang là \(rule.watchThreshold), \(rule.warningThreshold), \(rule.alarmThreshold))",
                              en: "[watch]: thresholds must satisfy 1 ≤ watch ≤ warning ≤ alarm (got \(rule.watchThreshold), \(rule.warningThreshold), \(rule.alarmThreshold))")
            }
            if let entry = table.entries["emerging_classes"] {
                guard case .array(let items) = entry.value else {
                    throw typeError("emerging_classes", entry, expected: LocalizedText(vi: "mảng chuỗi", en: "an array of strings"))
                }
                var classes: [EmergingHotSpotClass] = []
                for item in items {
                    guard case .string(let name) = item, let category = EmergingHotSpotClass(rawValue: name) else {
                        let known = EmergingHotSpotClass.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                        throw failure(entry.line, entry.column, vi: "emerging_classes chỉ nhận các lớp: \(known)",
                                      en: "emerging_classes takes only these classes: \(known)")
                    }
                    if !classes.contains(category) { classes.append(category) }
                }
                rule.emergingClasses = classes
            }
            return rule
        }

        /// An integer 0–100 (points or a threshold).
        private func points(_ table: TOMLTable, _ key: String) throws(RulePackError) -> Int? {
            guard let entry = table.entries[key] else { return nil }
            guard case .number(let number) = entry.value, let value = number.integerValue else {
                throw typeError(key, entry, expected: LocalizedText(vi: "số nguyên", en: "an integer"))
            }
            guard (0...100).contains(value) else {
                throw failure(entry.line, entry.column, vi: "'\(key)' phải từ 0 đến 100", en: "'\(key)' must be between 0 and 100")
            }
            return value
        }

        private static func isIDScalar(_ c: Unicode.Scalar) -> Bool {
            switch c {
            case "a"..."z", "0"..."9", ".", "_", "-": return true
            default: return false
            }
        }

        private static func isMeasureScalar(_ c: Unicode.Scalar) -> Bool {
            switch c {
            case "a"..."z", "0"..."9", "_": return true
            default: return false
            }
        }

        private func buildRule(_ table: TOMLTable, packVerified: Bool) throws(RulePackError) -> Rule {
            try checkKeys(table, allowed: RulePackParser.ruleKeys,
                          where: LocalizedText(vi: "[[rule]] ở dòng \(table.line)", en: "[[rule]] on line \(table.line)"))
            let measure = try measureValue(table)
            guard let testEntry = table.entries["test"] else {
                throw failure(table.line, nil, vi: "[[rule]] thiếu khoá bắt buộc 'test'", en: "[[rule]] is missing the required key 'test'")
            }
            guard case .string(let testName) = testEntry.value else {
                throw typeError("test", testEntry, expected: LocalizedText(vi: "chuỗi", en: "a string"))
            }
            let pctEntry = table.entries["pct"]
            let allowEqualEntry = table.entries["allow_equal"]
            let test: RuleTest
            switch testName {
            case "reduce_by_pct":
                guard let pctEntry else {
                    throw failure(table.line, nil, vi: "quy tắc reduce_by_pct cần khoá 'pct' (vd. pct = 5)",
                                  en: "a reduce_by_pct rule needs the key 'pct' (e.g. pct = 5)")
                }
                if let allowEqualEntry {
                    throw failure(allowEqualEntry.line, allowEqualEntry.column,
                                  vi: "'allow_equal' chỉ dùng cho test = \"decrease\"", en: "'allow_equal' applies only to test = \"decrease\"")
                }
                test = .reduceByPercent(try percentValue(pctEntry))
            case "decrease":
                if let pctEntry {
                    throw failure(pctEntry.line, pctEntry.column, vi: "'pct' chỉ dùng cho test = \"reduce_by_pct\"",
                                  en: "'pct' applies only to test = \"reduce_by_pct\"")
                }
                test = .decrease(allowEqual: try optionalBool(table, "allow_equal") ?? false)
            case "zero":
                if let extra = pctEntry ?? allowEqualEntry {
                    throw failure(extra.line, extra.column, vi: "test = \"zero\" không nhận 'pct' hay 'allow_equal'",
                                  en: "test = \"zero\" takes neither 'pct' nor 'allow_equal'")
                }
                test = .zero
            default:
                throw failure(testEntry.line, testEntry.column,
                              vi: "test '\(testName)' không hợp lệ; dùng \"reduce_by_pct\", \"decrease\" hoặc \"zero\"",
                              en: "unknown test '\(testName)'; use \"reduce_by_pct\", \"decrease\" or \"zero\"")
            }
            let fallback = defaultLabel(measure)
            let label = LocalizedText(vi: try optionalString(table, "label_vi") ?? fallback.vi,
                                      en: try optionalString(table, "label_en") ?? fallback.en)
            return Rule(measure: measure, test: test, label: label, sources: try sourceList(table, required: false),
                        verified: try optionalBool(table, "verified") ?? packVerified, line: table.line)
        }

        /// Catalogue label: the category label for `cases`, "category – metric" otherwise.
        private func defaultLabel(_ measure: Measure) -> LocalizedText {
            guard let info = catalogue.info(measure.category) else { return .same(measure.description) }
            if measure.metric == .cases { return info.label }
            let metric = info.metric(measure.metric)?.label ?? .same(measure.metric.rawValue)
            return LocalizedText(vi: "\(info.label.vi) – \(metric.vi)", en: "\(info.label.en) – \(metric.en)")
        }

        private func measureValue(_ table: TOMLTable) throws(RulePackError) -> Measure {
            guard let entry = table.entries["measure"] else {
                throw failure(table.line, nil, vi: "[[rule]] thiếu khoá bắt buộc 'measure' (vd. \"crime.cases\")",
                              en: "[[rule]] is missing the required key 'measure' (e.g. \"crime.cases\")")
            }
            guard case .string(let text) = entry.value else {
                throw typeError("measure", entry, expected: LocalizedText(vi: "chuỗi", en: "a string"))
            }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(parts.count),
                  parts.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(Self.isMeasureScalar) }) else {
                throw failure(entry.line, entry.column,
                              vi: "measure '\(text)' không hợp lệ; viết dạng lĩnh_vực.chỉ_số, vd. \"traffic.deaths\"",
                              en: "invalid measure '\(text)'; write category.metric, e.g. \"traffic.deaths\"")
            }
            let category = CategoryID(parts[0])
            guard let info = catalogue.info(category) else {
                let known = catalogue.categories.map(\.id.rawValue).joined(separator: ", ")
                throw failure(entry.line, entry.column, vi: "lĩnh vực '\(parts[0])' không có trong danh mục (có: \(known))",
                              en: "unknown category '\(parts[0])' (known: \(known))")
            }
            let metric = parts.count == 2 ? MetricID(parts[1]) : MetricID.cases
            guard info.metric(metric) != nil else {
                let known = info.metrics.map(\.id.rawValue).joined(separator: ", ")
                throw failure(entry.line, entry.column,
                              vi: "lĩnh vực '\(category)' không có chỉ số '\(metric)' (có: \(known))",
                              en: "category '\(category)' has no metric '\(metric)' (known: \(known))")
            }
            return Measure(category, metric)
        }

        /// `pct` as hundredths of a percent: an integer or a decimal with at most 2 places, in (0, 100].
        private func percentValue(_ entry: TOMLEntry) throws(RulePackError) -> ReductionPercent {
            guard case .number(let number) = entry.value else {
                throw typeError("pct", entry, expected: LocalizedText(vi: "số", en: "a number"))
            }
            let fraction = number.fractionDigits ?? ""
            guard fraction.count <= 2 else {
                throw failure(entry.line, entry.column, vi: "pct = \(number.text) có quá 2 chữ số thập phân",
                              en: "pct = \(number.text) has more than 2 decimal places")
            }
            let padded = fraction + String(repeating: "0", count: 2 - fraction.count)
            guard !number.negative, number.integerDigits.count <= 3,
                  let whole = Int(number.integerDigits), let part = Int(padded),
                  let percent = ReductionPercent(hundredths: whole * 100 + part) else {
                throw failure(entry.line, entry.column, vi: "pct = \(number.text) phải lớn hơn 0 và không quá 100",
                              en: "pct = \(number.text) must be greater than 0 and at most 100")
            }
            return percent
        }

        private func checkKeys(_ table: TOMLTable, allowed: [String], where place: LocalizedText) throws(RulePackError) {
            for key in table.order where !allowed.contains(key) {
                let entry = table.entries[key]
                let list = allowed.joined(separator: ", ")
                throw failure(entry?.line, entry?.column,
                              vi: "khoá '\(key)' không hợp lệ ở \(place.vi) (các khoá hợp lệ: \(list))",
                              en: "unknown key '\(key)' at \(place.en) (valid keys: \(list))")
            }
        }

        private func typeError(_ key: String, _ entry: TOMLEntry, expected: LocalizedText) -> RulePackError {
            failure(entry.line, entry.column, vi: "'\(key)' phải là \(expected.vi), không phải \(entry.value.kindName.vi)",
                    en: "'\(key)' must be \(expected.en), not \(entry.value.kindName.en)")
        }

        private func requiredString(_ table: TOMLTable, _ key: String) throws(RulePackError) -> String {
            guard let value = try optionalString(table, key) else {
                throw failure(table.line, nil, vi: "thiếu khoá bắt buộc '\(key)'", en: "missing required key '\(key)'")
            }
            return value
        }

        private func optionalString(_ table: TOMLTable, _ key: String) throws(RulePackError) -> String? {
            guard let entry = table.entries[key] else { return nil }
            guard case .string(let text) = entry.value else {
                throw typeError(key, entry, expected: LocalizedText(vi: "chuỗi", en: "a string"))
            }
            guard !text.isEmpty else {
                throw failure(entry.line, entry.column, vi: "'\(key)' không được để trống", en: "'\(key)' must not be empty")
            }
            return text
        }

        private func optionalBool(_ table: TOMLTable, _ key: String) throws(RulePackError) -> Bool? {
            guard let entry = table.entries[key] else { return nil }
            guard case .boolean(let flag) = entry.value else {
                throw typeError(key, entry, expected: LocalizedText(vi: "true hoặc false", en: "true or false"))
            }
            return flag
        }

        private func enumValue<Value: RawRepresentable & CaseIterable>(
            _ table: TOMLTable, _ key: String, default fallback: Value
        ) throws(RulePackError) -> Value where Value.RawValue == String {
            guard let text = try optionalString(table, key) else { return fallback }
            guard let value = Value(rawValue: text) else {
                let entry = table.entries[key]
                let list = Value.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw failure(entry?.line, entry?.column, vi: "giá trị '\(text)' của '\(key)' không hợp lệ (dùng \(list))",
                              en: "invalid value '\(text)' for '\(key)' (use \(list))")
            }
            return value
        }

        /// `source` as a list: one string or an array of non-empty strings.
        private func sourceList(_ table: TOMLTable, required: Bool) throws(RulePackError) -> [String] {
            guard let entry = table.entries["source"] else {
                if required {
                    throw failure(table.line, nil, vi: "thiếu khoá bắt buộc 'source' (trích dẫn văn bản)",
                                  en: "missing required key 'source' (document citation)")
                }
                return []
            }
            let expected = LocalizedText(vi: "chuỗi hoặc mảng chuỗi", en: "a string or an array of strings")
            switch entry.value {
            case .string(let text) where !text.isEmpty:
                return [text]
            case .array(let items) where !items.isEmpty:
                var list: [String] = []
                for item in items {
                    guard case .string(let text) = item, !text.isEmpty else {
                        throw failure(entry.line, entry.column, vi: "mọi phần tử của 'source' phải là chuỗi không rỗng",
                                      en: "every item of 'source' must be a non-empty string")
                    }
                    list.append(text)
                }
                return list
            case .string, .array:
                throw failure(entry.line, entry.column, vi: "'source' không được để trống", en: "'source' must not be empty")
            default:
                throw typeError("source", entry, expected: expected)
            }
        }
    }
}
