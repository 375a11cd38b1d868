/// A day of the proleptic Gregorian calendar, as written in incident lists and workbooks.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Year, month (1–12) and day (1–31) of the Gregorian calendar.
    public var year: Int
    public var month: Int
    public var day: Int

    /// The date `day/month/year`, or nil when it does not exist (31/4, 29/2 of a common year).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days in `month` of `year` (Gregorian leap years).
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before). H. Hinnant, "chrono-compatible low-level date
    /// algorithms", `days_from_civil`.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (Hinnant's `civil_from_days`).
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `yyyy-mm-dd`.
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + two(month) + "-" + two(day)
    }

    /// `dd/mm/yyyy`, the Vietnamese way of writing a date.
    public var vietnamese: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(day))/\(two(month))/\(year)"
    }

    /// Earlier dates first.
    public static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// The day of an Excel serial number (its whole part).
    ///
    /// 1900 date system (the default): serial 1 is 1900-01-01 and serial 60 is the
    /// non-existent 1900-02-29 that Lotus 1-2-3 introduced and Excel kept, so serials from 61
    /// count from 1899-12-30 and serials 1–59 from 1899-12-31; serial 60 gives nil. 1904
    /// system (`date1904` in the workbook, old Mac Excel): serial 0 is 1904-01-01. ECMA-376
    /// Part 1 §18.17.4.1.
    public static func fromExcelSerial(_ serial: Int, date1904: Bool) -> CivilDate? {
        if date1904 {
            guard serial >= 0 else { return nil }
            return CivilDate(daysSinceEpoch: epoch1904 + serial)
        }
        guard serial >= 1, serial != 60 else { return nil }
        return CivilDate(daysSinceEpoch: (serial < 60 ? epoch1899Dec31 : epoch1899Dec30) + serial)
    }

    private static let epoch1899Dec30 = -25_569
    private static let epoch1899Dec31 = -25_568
    private static let epoch1904 = -24_107
}
