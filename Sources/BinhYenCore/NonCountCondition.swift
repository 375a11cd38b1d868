/// The stable key of a condition of indicator 19.2 that is not a count (SPEC §5): the name a
/// conditions file may use (`--conditions`), and the `condition(<key>)` rule code of `verify`.
/// Keys never change; labels may be reworded.
public enum ConditionKey: String, Sendable, Hashable, Codable, CaseIterable {
    /// No activity against national security occurred (không để xảy ra hoạt động xâm phạm ANQG).
    case nationalSecurity = "national_security"
    /// No prolonged mass complaints beyond the competent level (khiếu kiện đông người kéo dài, vượt cấp).
    case massComplaints = "mass_complaints"
    /// No resident committed an especially serious crime (công dân phạm tội đặc biệt nghiêm trọng).
    case seriousCrime = "serious_crime"
    /// No new hotspot of social-order problems (tụ điểm phức tạp về trật tự xã hội).
    case orderHotspots = "order_hotspots"
    /// Not on the list of key, complicated communes (danh sách xã trọng điểm, phức tạp về ANTT).
    case keyCommuneList = "key_commune_list"

    /// The condition of `text`: a key (`mass_complaints`), the Vietnamese or English label, or a
    /// common short name ("ANQG", "khiếu kiện", "tụ điểm", "xã trọng điểm"), compared with
    /// `TextKey.loose` (any case, diacritics optional). Nil when nothing matches.
    public static func resolve(_ text: String) -> ConditionKey? {
        let key = TextKey.loose(text)
        guard !key.isEmpty else { return nil }
        return lookup[key]
    }

    /// The keys in checklist order, for messages ("national_security, mass_complaints, …").
    public static var knownList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    private static let lookup: [String: ConditionKey] = {
        var table: [String: ConditionKey] = [:]
        let aliases: [ConditionKey: [String]] = [
            .nationalSecurity: ["an ninh quốc gia", "ANQG", "xâm phạm an ninh quốc gia", "xâm phạm ANQG", "national security"],
            .massComplaints: ["khiếu kiện", "khiếu kiện đông người", "khiếu kiện đông người kéo dài", "mass complaints"],
            .seriousCrime: ["phạm tội đặc biệt nghiêm trọng", "tội phạm đặc biệt nghiêm trọng", "especially serious crime",
                            "serious crime"],
            .orderHotspots: ["tụ điểm", "tụ điểm phức tạp", "tụ điểm phức tạp về TTXH", "hotspots", "order hotspots"],
            .keyCommuneList: ["xã trọng điểm", "trọng điểm", "xã trọng điểm phức tạp", "danh sách xã trọng điểm",
                              "key commune", "key communes", "key commune list"],
        ]
        for condition in NonCountCondition.indicator19_2 {
            for name in [condition.key.rawValue, condition.label.vi, condition.label.en] + (aliases[condition.key] ?? []) {
                table[TextKey.loose(name)] = condition.key
            }
        }
        return table
    }()
}

/// A condition of indicator 19.2 that is not a count (SPEC §5; DOMAIN §1.2, §2.6): occurrence
/// flags and designations by higher authorities. BinhYen cannot judge them from counts: the
/// checklist lists them as "chưa đánh giá" / "not assessed" unless a conditions file
/// (`--conditions`, `ConditionRecord`) says whether each is met.
public struct NonCountCondition: Sendable, Hashable {
    /// The stable key a conditions file uses.
    public var key: ConditionKey
    /// The name shown in the checklist ("Khiếu kiện đông người kéo dài, vượt cấp trái pháp luật").
    public var label: LocalizedText
    /// What must hold for the condition to be met ("không để xảy ra" / "none may occur").
    public var requirement: LocalizedText
    /// The documents that state the condition, with their verification status.
    public var source: String

    public init(key: ConditionKey, label: LocalizedText, requirement: LocalizedText, source: String) {
        self.key = key
        self.label = label
        self.requirement = requirement
        self.source = source
    }

    /// The condition of `key`.
    public static func condition(_ key: ConditionKey) -> NonCountCondition {
        indicator19_2.first { $0.key == key } ?? NonCountCondition(key: key, label: .same(key.rawValue), requirement: .same(""), source: "")
    }

    /// The non-count conditions of 19.2 named in the available sources, in checklist order
    /// (wording of HD 04/HD-BCA-V05 only partly retrieved; see DOMAIN §1.2).
    public static let indicator19_2: [NonCountCondition] = [
        NonCountCondition(key: .nationalSecurity,
                          label: LocalizedText(vi: "Hoạt động xâm phạm an ninh quốc gia", en: "Activity against national security"),
                          requirement: LocalizedText(vi: "không để xảy ra", en: "none may occur"),
                          source: "TT 124/2021/TT-BCA Điều 4 khoản 3 điểm a–đ; HD 04/HD-BCA-V05"),
        NonCountCondition(key: .massComplaints,
                          label: LocalizedText(vi: "Khiếu kiện đông người kéo dài, vượt cấp trái pháp luật",
                                               en: "Prolonged mass complaints beyond the competent level"),
                          requirement: LocalizedText(vi: "không để xảy ra", en: "none may occur"),
                          source: "HD 04/HD-BCA-V05"),
        NonCountCondition(key: .seriousCrime,
                          label: LocalizedText(vi: "Công dân cư trú trên địa bàn phạm tội đặc biệt nghiêm trọng",
                                               en: "Residents committing an especially serious crime"),
                          requirement: LocalizedText(vi: "không có", en: "none"),
                          source: "QĐ 318/QĐ-TTg chỉ tiêu 19.2 (bản tóm tắt thứ cấp / secondary summary)"),
        NonCountCondition(key: .orderHotspots,
                          label: LocalizedText(vi: "Tụ điểm phức tạp về trật tự xã hội", en: "Hotspots of social-order problems"),
                          requirement: LocalizedText(vi: "không phát sinh", en: "none new"),
                          source: "HD 04/HD-BCA-V05 (chưa kiểm chứng / unverified)"),
        NonCountCondition(key: .keyCommuneList,
                          label: LocalizedText(vi: "Danh sách xã trọng điểm, phức tạp về an ninh, trật tự",
                                               en: "List of key, complicated communes"),
                          requirement: LocalizedText(vi: "không thuộc danh sách", en: "not on the list"),
                          source: "CV 3371/BCA-V05 (26/9/2022); danh sách của cơ quan có thẩm quyền / designation by the authorities"),
    ]
}

/// One row of a conditions file (SPEC §2 side file `conditions`): whether one non-count
/// condition of indicator 19.2 is met by one commune in one reporting year.
public struct ConditionRecord: Sendable, Hashable {
    /// The commune's name as in the panel (matched by `TextKey.unitKey` or code).
    public var commune: String
    /// The reporting year judged (the period scheme's year, e.g. 15/12 of the year before to 14/12).
    public var year: Int
    /// Which condition.
    public var key: ConditionKey
    /// Whether the requirement holds (đạt): true for "đạt", "có", "x", "yes", "1".
    public var met: Bool
    /// The cell as written ("không đạt"), shown in the evidence.
    public var value: String
    /// The row's note or source document (e.g. "Văn bản 12/CAX"), if any.
    public var note: String?
    /// The file and line of the row.
    public var source: SourceLocation

    public init(commune: String, year: Int, key: ConditionKey, met: Bool, value: String, note: String? = nil, source: SourceLocation) {
        self.commune = commune
        self.year = year
        self.key = key
        self.met = met
        self.value = value
        self.note = note
        self.source = source
    }
}
