import BinhYenCore
import Foundation

/// Number formatting for machine formats and for display (SPEC §8, DOMAIN §2.1).
///
/// - Machine (CSV, JSON): integers in plain ASCII (`-1234`); reals in Swift's shortest
///   round-trip form (`-3.5609756097560976`, `1e-05`); `-0.0` written as `0.0`.
/// - Display, Vietnamese: U+2212 minus, `,` decimal mark, `.` thousands (`−3,56%`, `1.234`).
/// - Display, English: ASCII minus, `.` decimal mark, `,` thousands (`-3.56%`, `1,234`).
/// Rounding is that of C `printf("%.*f")` on the binary value (ties of the exact binary value to even).
public enum NumberStyle {
    /// Shortest round-trip text of a finite Double; nil for NaN and ±∞.
    public static func machine(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        return value == 0 ? "0.0" : "\(value)"
    }

    /// An integer for display: `1.234` (vi) / `1,234` (en), optional explicit `+`.
    public static func integer(_ value: Int, language: Language, grouped: Bool = true, signed: Bool = false) -> String {
        let digits = String(value.magnitude)
        return assemble(negative: value < 0, integerDigits: digits, fraction: nil,
                        language: language, grouped: grouped, signed: signed && value > 0)
    }

    /// A real number with `digits` decimals for display; nil for NaN and ±∞.
    /// A value that rounds to zero is shown without a sign.
    public static func decimal(_ value: Double, digits: Int, language: Language, grouped: Bool = true,
                               signed: Bool = false) -> String? {
        guard value.isFinite else { return nil }
        let places = min(max(digits, 0), 17)
        let text = String(format: "%.\(places)f", value.magnitude)
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        let integerDigits = parts.first ?? "0"
        let fraction = parts.count > 1 ? parts[1] : nil
        let isZero = (integerDigits + (fraction ?? "")).allSatisfy { $0 == "0" }
        return assemble(negative: value < 0 && !isZero, integerDigits: integerDigits, fraction: fraction,
                        language: language, grouped: grouped, signed: signed && value > 0 && !isZero)
    }

    /// A percentage (percent units) for display: `−3,56%` / `-3.56%`; nil for NaN and ±∞.
    public static func percent(_ value: Double, digits: Int = 2, language: Language, signed: Bool = false) -> String? {
        decimal(value, digits: digits, language: language, signed: signed).map { $0 + "%" }
    }

    /// A p-value for display: 2 decimals from 0.01 (`1,00`), 3 decimals from 0.001 (`0,004`),
    /// `< 0,001` below; nil for NaN and ±∞.
    public static func pValue(_ value: Double, language: Language) -> String? {
        guard value.isFinite else { return nil }
        if value >= 0.01 { return decimal(value, digits: 2, language: language) }
        if value >= 0.001 { return decimal(value, digits: 3, language: language) }
        return "< " + (decimal(0.001, digits: 3, language: language) ?? "0.001")
    }

    private static func assemble(negative: Bool, integerDigits: String, fraction: String?, language: Language,
                                 grouped: Bool, signed: Bool) -> String {
        let (thousands, decimalMark, minus) = language == .vi ? (".", ",", "\u{2212}") : (",", ".", "-")
        var body = grouped ? group(integerDigits, separator: thousands) : integerDigits
        if let fraction { body += decimalMark + fraction }
        if negative { return minus + body }
        return signed ? "+" + body : body
    }

    private static func group(_ digits: String, separator: String) -> String {
        guard digits.count > 3 else { return digits }
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result += separator }
            result.append(character)
        }
        return result
    }
}
