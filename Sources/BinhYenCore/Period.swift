/// The part of a reporting year that one input count covers.
public enum Subperiod: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    case year
    case quarter(Int)
    case month(Int)
    case week(Int)

    public var description: String {
        switch self {
        case .year: return "year"
        case .quarter(let q): return "Q\(q)"
        case .month(let m): return m < 10 ? "M0\(m)" : "M\(m)"
        case .week(let w): return w < 10 ? "W0\(w)" : "W\(w)"
        }
    }

    /// The subperiod written as `description` ("year", "Q2", "M05", "W07"; case and leading
    /// zeros optional); nil for anything else or a number out of range.
    public init?(code: String) {
        let text = code.uppercased()
        if text == "YEAR" {
            self = .year
            return
        }
        guard let letter = text.first, let number = Int(text.dropFirst()) else { return nil }
        switch letter {
        case "Q" where (1...4).contains(number): self = .quarter(number)
        case "M" where (1...12).contains(number): self = .month(number)
        case "W" where (1...53).contains(number): self = .week(number)
        default: return nil
        }
    }

    /// How many of this subperiod make a full year (1, 4, 12, 53); weeks allow 52 or 53.
    public var perYear: Int {
        switch self {
        case .year: return 1
        case .quarter: return 4
        case .month: return 12
        case .week: return 53
        }
    }

    private var order: (Int, Int) {
        switch self {
        case .year: return (0, 0)
        case .quarter(let q): return (1, q)
        case .month(let m): return (2, m)
        case .week(let w): return (3, w)
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.order < b.order }
}

/// How dates become reporting years (SPEC §4). Printed on every table.
public enum PeriodScheme: String, Sendable, CaseIterable, Codable {
    case calendar
    /// 15/12/(Y−1) – 14/12/Y; month M = 15/(M−1) – 14/M. NĐ 09/2019/NĐ-CP; Bộ Công an monthly releases.
    case statistical
    /// 16/11/(Y−1) – 15/11/Y. TT 124/2021/TT-BCA Điều 8 (commune assessment).
    case tt124Commune = "tt124-commune"
    /// 01/11/(Y−1) – 31/10/Y. TT 124/2021/TT-BCA Điều 8 (village assessment).
    case tt124Village = "tt124-village"

    /// First day of year Y as (day, month, year offset).
    private var start: (day: Int, month: Int) {
        switch self {
        case .calendar: return (1, 1)
        case .statistical: return (15, 12)
        case .tt124Commune: return (16, 11)
        case .tt124Village: return (1, 11)
        }
    }

    /// The window of reporting year `year`, e.g. "15/12/2024–14/12/2025".
    public func window(of year: Int) -> String {
        let (d, m) = start
        if self == .calendar { return "01/01/\(year)–31/12/\(year)" }
        let endDay: (Int, Int)
        switch self {
        case .statistical: endDay = (14, 12)
        case .tt124Commune: endDay = (15, 11)
        case .tt124Village: endDay = (31, 10)
        case .calendar: endDay = (31, 12)
        }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(d))/\(two(m))/\(year - 1)–\(two(endDay.0))/\(two(endDay.1))/\(year)"
    }

    /// Name and source for headers.
    public var label: LocalizedText {
        switch self {
        case .calendar: return LocalizedText(vi: "năm dương lịch", en: "calendar year")
        case .statistical: return LocalizedText(vi: "kỳ thống kê 15/12–14/12 (NĐ 09/2019/NĐ-CP)", en: "statistical year 15/12–14/12 (Decree 09/2019/NĐ-CP)")
        case .tt124Commune: return LocalizedText(vi: "kỳ đánh giá xã 16/11–15/11 (TT 124/2021/TT-BCA Điều 8)", en: "commune assessment year 16/11–15/11 (Circular 124/2021/TT-BCA Art. 8)")
        case .tt124Village: return LocalizedText(vi: "kỳ đánh giá khu dân cư 01/11–31/10 (TT 124/2021/TT-BCA Điều 8)", en: "village assessment year 01/11–31/10 (Circular 124/2021/TT-BCA Art. 8)")
        }
    }
}
