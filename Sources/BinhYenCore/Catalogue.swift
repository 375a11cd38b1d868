/// A category of events (SPEC §3), e.g. `crime` or `traffic`.
public struct CategoryID: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public static let crime = CategoryID("crime")
    public static let drugCrime = CategoryID("drug_crime")
    public static let economicCrime = CategoryID("economic_crime")
    public static let environmentCrime = CategoryID("environment_crime")
    public static let socialEvil = CategoryID("social_evil")
    public static let traffic = CategoryID("traffic")
    public static let fire = CategoryID("fire")
    public static let laborAccident = CategoryID("labor_accident")
}

/// What is counted within a category (SPEC §3), e.g. `cases` or `deaths`.
public struct MetricID: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public static let cases = MetricID("cases")
    public static let solved = MetricID("solved")
    public static let suspects = MetricID("suspects")
    public static let persons = MetricID("persons")
    public static let deaths = MetricID("deaths")
    public static let injuries = MetricID("injuries")
    public static let damageVND = MetricID("damage_vnd")
}

/// A category and one of its metrics: what one series counts (`traffic.deaths`).
public struct Measure: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var category: CategoryID
    public var metric: MetricID

    public init(_ category: CategoryID, _ metric: MetricID = .cases) {
        self.category = category
        self.metric = metric
    }

    /// `category.metric`, the compound id accepted on input and printed in exports.
    public var description: String { "\(category.rawValue).\(metric.rawValue)" }

    public static func < (a: Self, b: Self) -> Bool {
        (a.category, a.metric) < (b.category, b.metric)
    }
}

/// A metric as it appears in one category: its labels and unit.
public struct MetricInfo: Sendable, Hashable {
    public var id: MetricID
    public var label: LocalizedText
    /// Unit of one count: "vụ"/"cases", "người"/"persons", "đồng"/"VND".
    public var unit: LocalizedText
    /// Extra heading words that name this metric (folded with `TextKey.loose`).
    public var synonyms: [String]

    public init(id: MetricID, label: LocalizedText, unit: LocalizedText, synonyms: [String] = []) {
        self.id = id
        self.label = label
        self.unit = unit
        self.synonyms = synonyms
    }
}

/// One category of the catalogue with its labels, abbreviation, metrics and input synonyms.
public struct CategoryInfo: Sendable, Hashable {
    public var id: CategoryID
    public var label: LocalizedText
    /// Short label for tables ("TTXH", "TNGT").
    public var short: LocalizedText
    public var metrics: [MetricInfo]
    /// Headings and abbreviations that name this category on input (any case, diacritics optional).
    public var synonyms: [String]

    public init(id: CategoryID, label: LocalizedText, short: LocalizedText, metrics: [MetricInfo], synonyms: [String]) {
        self.id = id
        self.label = label
        self.short = short
        self.metrics = metrics
        self.synonyms = synonyms
    }

    public func metric(_ id: MetricID) -> MetricInfo? { metrics.first { $0.id == id } }
}

/// The category catalogue of SPEC §3 with the synonyms of DOMAIN.md §3 and §7.
///
/// Lookup is by `TextKey.loose`, so "Tội phạm TTXH", "toi pham ttxh" and "TỘI PHẠM TTXH" are
/// the same heading. A compound such as `traffic.deaths`, `traffic_deaths` or
/// "TNGT - số người chết" resolves to category and metric at once.
public struct Catalogue: Sendable {
    public private(set) var categories: [CategoryInfo]
    private var categoryIndex: [String: Int] = [:]
    /// Metric names can be shared ("số đối tượng" is `suspects` of a crime and `persons` of a
    /// social evil), so a name maps to every metric it may mean; the category decides.
    private var metricIndex: [String: [MetricID]] = [:]

    public init(categories: [CategoryInfo]) {
        self.categories = categories
        reindex()
    }

    private mutating func reindex() {
        categoryIndex = [:]
        metricIndex = [:]
        for (i, c) in categories.enumerated() {
            for name in [c.id.rawValue, c.label.vi, c.label.en, c.short.vi, c.short.en] + c.synonyms {
                categoryIndex[TextKey.loose(name)] = i
            }
            for m in c.metrics {
                for name in [m.id.rawValue, m.label.vi, m.label.en] + m.synonyms {
                    let key = TextKey.loose(name)
                    if !metricIndex[key, default: []].contains(m.id) { metricIndex[key, default: []].append(m.id) }
                }
            }
        }
    }

    public func info(_ id: CategoryID) -> CategoryInfo? {
        categories.first { $0.id == id }
    }

    /// The category named by `text` (id, label, abbreviation or synonym), or nil.
    public func category(named text: String) -> CategoryID? {
        categoryIndex[TextKey.loose(text)].map { categories[$0].id }
    }

    /// The metric named by `text` within `category`, or nil if the category has no such metric.
    public func metric(named text: String, in category: CategoryID) -> MetricID? {
        guard let info = info(category) else { return nil }
        return metricIndex[TextKey.loose(text)]?.first { info.metric($0) != nil }
    }

    /// Resolves a heading or cell that may name a category and a metric at once:
    /// `traffic.deaths`, `traffic_deaths`, "TNGT - số người chết", "Tai nạn giao thông (người bị thương)".
    /// Returns nil when no category is recognised; the metric is nil when only the category is.
    public func resolve(_ text: String) -> (category: CategoryID, metric: MetricID?)? {
        if let c = category(named: text) { return (c, nil) }
        let key = TextKey.loose(text)
        // Split at the first separator that leaves a known category on the left.
        let words = key.split(separator: " ").map(String.init)
        guard words.count > 1 else { return nil }
        // Trying every split of a long cell costs time quadratic in its length (found by fuzzing);
        // a text of more words than a category name and a metric name together names neither.
        if words.count > 8, words.count > longestCompoundWords { return nil }
        for cut in stride(from: words.count - 1, through: 1, by: -1) {
            let head = words[..<cut].joined(separator: " ")
            let tail = words[cut...].joined(separator: " ")
            if let ci = categoryIndex[head] {
                let c = categories[ci]
                if let m = metricIndex[tail]?.first(where: { c.metric($0) != nil }) { return (c.id, m) }
            }
        }
        return nil
    }

    /// Most words a category key and a metric key have together; computed when asked, since
    /// only texts of more than eight words need it.
    private var longestCompoundWords: Int {
        let words = { (key: String) in key.split(separator: " ").count }
        return (categoryIndex.keys.map(words).max() ?? 0) + (metricIndex.keys.map(words).max() ?? 0)
    }

    /// Adds or replaces categories (a user's catalogue extension).
    public mutating func extend(with extra: [CategoryInfo]) {
        for c in extra {
            if let i = categories.firstIndex(where: { $0.id == c.id }) { categories[i] = c } else { categories.append(c) }
        }
        reindex()
    }

    /// The built-in catalogue of SPEC §3.
    public static let standard = Catalogue(categories: StandardCatalogue.categories)
}

enum StandardCatalogue {
    static let vu = LocalizedText(vi: "vụ", en: "cases")
    static let nguoi = LocalizedText(vi: "người", en: "persons")
    static let dong = LocalizedText(vi: "đồng", en: "VND")

    static let cases = MetricInfo(id: .cases, label: LocalizedText(vi: "số vụ", en: "cases"), unit: vu,
                                  synonyms: ["vụ", "số vụ xảy ra", "vụ xảy ra", "xảy ra", "so vu", "count", "incidents", "accidents", "vụ việc", "số vụ phát hiện", "phát hiện"])
    static let solved = MetricInfo(id: .solved, label: LocalizedText(vi: "số vụ khám phá", en: "cases solved"), unit: vu,
                                   synonyms: ["khám phá", "vụ khám phá", "điều tra làm rõ", "solved cases"])
    static let suspects = MetricInfo(id: .suspects, label: LocalizedText(vi: "số đối tượng", en: "suspects"), unit: nguoi,
                                     synonyms: ["đối tượng", "số đối tượng bắt giữ", "bắt giữ", "đối tượng bắt giữ xử lý", "offenders", "arrested"])
    static let persons = MetricInfo(id: .persons, label: LocalizedText(vi: "số người", en: "persons"), unit: nguoi,
                                    synonyms: ["người", "số người", "đối tượng", "số đối tượng", "people"])
    static let deaths = MetricInfo(id: .deaths, label: LocalizedText(vi: "số người chết", en: "deaths"), unit: nguoi,
                                   synonyms: ["người chết", "chết", "tử vong", "số người tử vong", "death", "killed", "died"])
    static let injuries = MetricInfo(id: .injuries, label: LocalizedText(vi: "số người bị thương", en: "injuries"), unit: nguoi,
                                     synonyms: ["người bị thương", "bị thương", "injured", "injury", "wounded"])
    static let damage = MetricInfo(id: .damageVND, label: LocalizedText(vi: "thiệt hại tài sản", en: "property damage"), unit: dong,
                                   synonyms: ["thiệt hại", "thiệt hại (đồng)", "thiệt hại tài sản (đồng)", "damage", "damage vnd", "property damage"])

    static let categories: [CategoryInfo] = [
        CategoryInfo(id: .crime,
                     label: LocalizedText(vi: "Phạm tội về trật tự xã hội", en: "Crimes against social order"),
                     short: LocalizedText(vi: "TTXH", en: "Social-order crime"),
                     metrics: [cases, solved, suspects],
                     synonyms: ["tội phạm TTXH", "phạm tội TTXH", "tội phạm về trật tự xã hội", "tội phạm về TTXH",
                                "TP TTXH", "phạm pháp hình sự", "PPHS", "tội phạm hình sự", "án hình sự",
                                "crime", "crimes", "social order crime", "social-order crime", "crimes against social order"]),
        CategoryInfo(id: .drugCrime,
                     label: LocalizedText(vi: "Phạm tội về ma túy", en: "Drug crimes"),
                     short: LocalizedText(vi: "Ma túy", en: "Drug crime"),
                     metrics: [cases, suspects],
                     synonyms: ["tội phạm ma túy", "TP ma túy", "tội phạm về ma túy", "drug crime", "drug crimes", "drugs"]),
        CategoryInfo(id: .economicCrime,
                     label: LocalizedText(vi: "Phạm tội về trật tự quản lý kinh tế", en: "Economic-management crimes"),
                     short: LocalizedText(vi: "Kinh tế", en: "Economic crime"),
                     metrics: [cases],
                     synonyms: ["tội phạm kinh tế", "tội phạm về trật tự quản lý kinh tế", "KT", "economic crime", "economic crimes"]),
        CategoryInfo(id: .environmentCrime,
                     label: LocalizedText(vi: "Phạm tội về môi trường, an toàn thực phẩm", en: "Environment and food-safety crimes"),
                     short: LocalizedText(vi: "Môi trường", en: "Environment crime"),
                     metrics: [cases],
                     synonyms: ["tội phạm môi trường", "tội phạm về môi trường", "môi trường", "ATTP", "MT ATTP",
                                "environment crime", "environmental crime", "environment crimes"]),
        CategoryInfo(id: .socialEvil,
                     label: LocalizedText(vi: "Tệ nạn xã hội", en: "Social evils"),
                     short: LocalizedText(vi: "TNXH", en: "Social evils"),
                     metrics: [cases, persons],
                     synonyms: ["tệ nạn", "tệ nạn xã hội", "social evil", "social evils", "vice"]),
        CategoryInfo(id: .traffic,
                     label: LocalizedText(vi: "Tai nạn giao thông", en: "Traffic accidents"),
                     short: LocalizedText(vi: "TNGT", en: "Traffic"),
                     metrics: [cases, deaths, injuries, damage],
                     synonyms: ["tai nạn giao thông", "TN giao thông", "traffic", "traffic accident", "traffic accidents", "road accidents"]),
        CategoryInfo(id: .fire,
                     label: LocalizedText(vi: "Cháy, nổ", en: "Fires and explosions"),
                     short: LocalizedText(vi: "Cháy, nổ", en: "Fire"),
                     metrics: [cases, deaths, injuries, damage],
                     synonyms: ["cháy nổ", "cháy", "hỏa hoạn", "hoả hoạn", "vụ cháy", "vụ cháy nổ", "PCCC", "PCCC CNCH",
                                "fire", "fires", "fire explosion", "fires and explosions"]),
        CategoryInfo(id: .laborAccident,
                     label: LocalizedText(vi: "Tai nạn lao động", en: "Labour accidents"),
                     short: LocalizedText(vi: "TNLĐ", en: "Labour accident"),
                     metrics: [cases, deaths],
                     synonyms: ["tai nạn lao động", "TNLĐ", "TNLD", "labor accident", "labour accident", "labor accidents",
                                "labour accidents", "workplace accident", "workplace accidents"]),
    ]
}
