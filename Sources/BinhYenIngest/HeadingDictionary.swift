import BinhYenCore

/// What a column of a table holds, recognised from its heading.
public enum ColumnRole: String, Sendable, CaseIterable, Hashable {
    case commune
    case communeCode = "commune_code"
    case village
    case villageCode = "village_code"
    case year
    case month
    case quarter
    case week
    case category
    case metric
    case count
    case excluded
    case population
    case households
    case note
    /// Incident lists: the day of the event.
    case date
    /// Incident lists: people killed, injured, and property damage (đồng) in the event.
    case deaths
    case injuries
    case damage
    /// Incident lists: seriousness class (read, not used in counts).
    case severity
    /// Long tables: the subperiods missing from an incomplete yearly count ("M05 M06"), as
    /// `binhyen normalize` writes them; the year is then read back as incomplete.
    case missingPeriods = "missing_periods"
    /// Known but not used: row numbers (STT, No., #), province and district columns, units (ĐVT),
    /// and the `complete` and `source` columns of `binhyen normalize` (`missing_periods` carries
    /// the completeness).
    case ignored
}

/// The headings BinhYen recognises, Vietnamese and English, compared with `TextKey.loose`
/// (any case, diacritics optional, punctuation ignored). A heading that is not found as written
/// is tried again without a trailing parenthesis ("Dân số (người)" → "Dân số").
public enum HeadingDictionary {
    /// Every heading spelling per role (the documentation of the accepted input).
    public static let spellings: [(role: ColumnRole, headings: [String])] = [
        (.commune, ["Xã", "Xã/Phường", "Xã, phường", "Xã/Phường/Thị trấn", "Xã, phường, thị trấn", "Tên xã", "Tên xã/phường",
                    "Phường", "Thị trấn", "Đặc khu", "Đơn vị", "Tên đơn vị", "commune", "commune_name", "ward"]),
        (.communeCode, ["Mã xã", "Mã xã/phường", "Mã đơn vị", "Mã ĐVHC", "commune_code", "ward_code"]),
        (.village, ["Thôn", "Thôn/Tổ dân phố", "Thôn, tổ dân phố", "Thôn/TDP", "Thôn, xóm", "Thôn/Xóm", "Tên thôn",
                    "Tên thôn/tổ dân phố", "Xóm", "Làng", "Ấp", "Bản", "Buôn", "Khu phố", "Khu dân cư", "Tên khu dân cư",
                    "KDC", "Tổ dân phố", "TDP", "village", "village_name", "hamlet"]),
        (.villageCode, ["Mã thôn", "Mã khu dân cư", "Mã KDC", "village_code", "hamlet_code"]),
        (.year, ["Năm", "Năm báo cáo", "year"]),
        (.month, ["Tháng", "month"]),
        (.quarter, ["Quý", "quarter"]),
        (.week, ["Tuần", "week"]),
        (.category, ["Lĩnh vực", "Loại vụ việc", "Loại vụ", "Loại", "Nội dung", "Danh mục", "category"]),
        (.metric, ["Chỉ tiêu", "Tiêu chí", "metric", "measure"]),
        (.count, ["Số lượng", "Số vụ", "Số liệu", "Giá trị", "Số", "Tổng số", "count", "value", "n"]),
        (.excluded, ["Bất khả kháng", "Trong đó bất khả kháng", "Số vụ bất khả kháng", "Loại trừ", "excluded", "force_majeure",
                     "force majeure", "Bất khả kháng (có/không)"]),
        (.date, ["Ngày", "Ngày xảy ra", "Ngày vụ việc", "Ngày xảy ra vụ việc", "Ngày tháng", "Ngày, tháng, năm", "Thời gian xảy ra",
                 "date", "incident_date", "event_date"]),
        (.deaths, ["Số người chết", "Người chết", "Chết", "Tử vong", "Số người tử vong", "deaths", "killed"]),
        (.injuries, ["Số người bị thương", "Người bị thương", "Bị thương", "injuries", "injured"]),
        (.damage, ["Thiệt hại", "Thiệt hại (đồng)", "Thiệt hại tài sản", "Thiệt hại tài sản (đồng)", "Giá trị thiệt hại", "damage_vnd",
                   "damage"]),
        (.severity, ["Mức độ", "Mức độ nghiêm trọng", "Tính chất", "severity"]),
        (.population, ["Dân số", "Số dân", "Nhân khẩu", "Số nhân khẩu", "Số khẩu", "population"]),
        (.households, ["Số hộ", "Hộ", "Hộ gia đình", "Số hộ gia đình", "households"]),
        (.note, ["Ghi chú", "note", "notes", "comment"]),
        (.ignored, ["STT", "Số TT", "Số thứ tự", "TT", "No.", "#", "Tỉnh", "Mã tỉnh", "Tỉnh/Thành phố", "province", "province_code",
                    "Huyện", "Mã huyện", "district", "district_code", "ĐVT", "Đơn vị tính", "unit",
                    "complete", "Đủ kỳ", "source", "Nguồn"]),
        (.missingPeriods, ["missing_periods", "Kỳ thiếu", "Missing periods"]),
    ]

    private static let roleIndex: [String: ColumnRole] = {
        var index: [String: ColumnRole] = [:]
        for (role, headings) in spellings {
            for heading in headings { index[key(heading)] = role }
        }
        return index
    }()

    /// Matching key of a heading: `TextKey.loose`, or the raw text for headings made only of
    /// punctuation ("#").
    static func key(_ heading: String) -> String {
        let loose = TextKey.loose(heading)
        return loose.isEmpty ? heading.trimmingWhitespace() : loose
    }

    /// The heading without a trailing parenthesised part, or nil when there is none.
    static func withoutParenthesis(_ heading: String) -> String? {
        let trimmed = heading.trimmingWhitespace()
        guard trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "("), open > trimmed.startIndex else { return nil }
        return String(trimmed[..<open]).trimmingWhitespace()
    }

    /// The role named by `heading`, or nil.
    public static func role(of heading: String) -> ColumnRole? {
        if let role = roleIndex[key(heading)] { return role }
        if let shorter = withoutParenthesis(heading) { return roleIndex[key(shorter)] }
        return nil
    }

    /// The series named by a wide-layout heading ("Tội phạm TTXH", "TNGT - người chết",
    /// "Cháy, nổ - số vụ"), metric `cases` when only the category is named; nil when unknown.
    public static func measure(of heading: String, in catalogue: Catalogue) -> Measure? {
        if let resolved = resolve(heading, in: catalogue) { return Measure(resolved.category, resolved.metric ?? .cases) }
        if let shorter = withoutParenthesis(heading), let resolved = resolve(shorter, in: catalogue) {
            return Measure(resolved.category, resolved.metric ?? .cases)
        }
        return nil
    }

    /// The message for a category cell that names no category of `catalogue`: the cell quoted
    /// cut to 40 characters (`CountParser.excerpt`) and up to three nearest known names.
    static func unknownCategoryMessage(_ text: String, in catalogue: Catalogue) -> LocalizedText {
        var names: [String] = []
        for info in catalogue.categories { names += [info.id.rawValue, info.label.vi, info.short.vi] + info.synonyms }
        let nearest = Nearest.names(to: text, among: names)
        let hintVI = nearest.isEmpty ? "" : " Có phải: \(nearest.map { "“\($0)”" }.joined(separator: ", "))?"
        let hintEN = nearest.isEmpty ? "" : " Did you mean \(nearest.map { "“\($0)”" }.joined(separator: ", "))?"
        let quoted = CountParser.excerpt(text)
        return LocalizedText(vi: "Không nhận ra lĩnh vực “\(quoted)”.\(hintVI)", en: "Unknown category “\(quoted)”.\(hintEN)")
    }

    /// The category a heading or cell names, and its metric when it names one too (`Catalogue.resolve`).
    static func resolve(_ text: String, in catalogue: Catalogue) -> (category: CategoryID, metric: MetricID?)? {
        // `Catalogue.resolve` folds the text once and tries only splits into names it knows:
        // folding every split of a long cell again cost time quadratic in its length (a 10 KB
        // cell of words took seconds; found by the FuzzWorkbook fuzz target).
        catalogue.resolve(text)
    }

    /// The metric of `category` named by `text` (id, label or synonym, compared loosely).
    static func metric(named text: String, in category: CategoryID, catalogue: Catalogue) -> MetricID? {
        catalogue.metric(named: text, in: category)
    }

    /// Known headings a user may have meant, nearest first (at most `limit`), for an unknown one.
    static func nearestHeadings(to heading: String, catalogue: Catalogue, limit: Int = 3) -> [String] {
        var known: [String] = spellings.flatMap(\.headings)
        for category in catalogue.categories {
            known.append(category.label.vi)
            known.append(category.short.vi)
            known.append(contentsOf: category.synonyms)
            for metric in category.metrics where metric.id != .cases {
                known.append("\(category.short.vi) - \(metric.label.vi)")
            }
        }
        return Nearest.names(to: heading, among: known, limit: limit)
    }
}

/// Words that mark a subtotal row in the village or commune column ("Cộng", "Tổng cộng", "Total").
enum SubtotalWords {
    static let keys: Set<String> = Set(["Cộng", "Tổng cộng", "Tổng", "Tổng số", "Cộng toàn xã", "Toàn xã", "Total", "Grand total",
                                        "Subtotal", "Sum"].map(TextKey.loose))

    /// Whether `text` is a subtotal label. Only text starting with C, T, G or S (any case) can
    /// be one, which spares the Unicode folding for codes and most names.
    static func isSubtotal(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, "CcTtGgSs".unicodeScalars.contains(first) else { return false }
        return keys.contains(TextKey.loose(text))
    }
}

/// Nearest known names by edit distance on `TextKey.loose` keys.
enum Nearest {
    /// Up to `limit` distinct names from `candidates`, nearest first, that are within half the
    /// length of the longer key (so that unrelated names are not offered).
    static func names(to text: String, among candidates: [String], limit: Int = 3) -> [String] {
        let target = Array(TextKey.loose(text).unicodeScalars)
        var scored: [(distance: Int, name: String)] = []
        var seen = Set<String>()
        for candidate in candidates {
            let key = TextKey.loose(candidate)
            guard !key.isEmpty, seen.insert(key).inserted else { continue }
            let other = Array(key.unicodeScalars)
            // The distance is at least the difference in length: skip the candidates it already
            // rules out (a long cell against every name cost seconds; found by fuzzing).
            guard abs(target.count - other.count) * 2 <= max(target.count, other.count) else { continue }
            let distance = editDistance(target, other)
            if distance * 2 <= max(target.count, other.count) { scored.append((distance, candidate)) }
        }
        scored.sort { ($0.distance, $0.name) < ($1.distance, $1.name) }
        return scored.prefix(limit).map(\.name)
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
