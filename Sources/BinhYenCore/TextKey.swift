import Foundation

/// Matching keys for Vietnamese text (SPEC §2 "Village matching", DOMAIN.md §6).
///
/// - `nfc`: Unicode NFC, the form every stored text value takes.
/// - `loose`: case- and diacritic-insensitive, `đ` → `d`, punctuation → space. For headings and
///   category names, where "Tội phạm TTXH" and "toi pham ttxh" must be equal.
/// - `toneKey`: case- and tone-placement-insensitive but tone-sensitive: "hoà" = "hòa" = "HÒA",
///   while "Hòa" ≠ "Hóa". Tone marks are moved to the end of each syllable.
/// - `unitKey`: `toneKey` of a village or commune name with the kind prefix removed ("Thôn",
///   "Xóm", "Ấp", "Bản", "TDP", "Tổ dân phố số", …) and numbering unified ("Thôn 3" =
///   "Thôn III" = "thon 03").
public enum TextKey {
    /// NFC form of `text` with surrounding white space trimmed and inner runs collapsed.
    public static func nfc(_ text: String) -> String {
        let composed = text.precomposedStringWithCanonicalMapping
        return composed.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Case- and diacritic-insensitive key; `đ`/`Đ` → `d`; every non-alphanumeric run → one space.
    public static func loose(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            let mapped: Unicode.Scalar
            switch scalar.value {
            case 0x0110, 0x0111: mapped = "d"
            default: mapped = scalar
            }
            if mapped.properties.isAlphabetic || mapped.properties.numericType != nil {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                for lower in mapped.properties.lowercaseMapping.unicodeScalars { out.append(lower) }
            } else {
                pendingSpace = true
            }
        }
        return String(out)
    }

    /// The five Vietnamese tone marks as combining characters (huyền, sắc, ngã, hỏi, nặng).
    private static let toneMarks: [UInt32: Character] = [0x0300: "2", 0x0301: "1", 0x0303: "4", 0x0309: "3", 0x0323: "5"]

    /// Tone-placement-insensitive key of one syllable or of a whole text (word by word).
    public static func toneKey(_ text: String) -> String {
        words(of: text).map(toneKeyOfWord).joined(separator: " ")
    }

    private static func toneKeyOfWord(_ word: String) -> String {
        var base = String.UnicodeScalarView()
        var tone: Character?
        for scalar in word.decomposedStringWithCanonicalMapping.unicodeScalars {
            if let t = toneMarks[scalar.value] { tone = t; continue }
            for lower in scalar.properties.lowercaseMapping.unicodeScalars { base.append(lower) }
        }
        let composed = String(base).precomposedStringWithCanonicalMapping
        return tone.map { composed + "~" + String($0) } ?? composed
    }

    /// Splits at white space and punctuation, keeping letters, digits and combining marks.
    private static func words(of text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark {
                current.append(scalar)
            } else if !current.isEmpty {
                result.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { result.append(String(current)) }
        return result
    }

    /// Kind prefixes of villages and communes (loose form), longest first; `unitKey` strips them
    /// repeatedly from the start of a name.
    public static let unitPrefixes: [[String]] = [
        ["to", "dan", "pho", "so"], ["to", "dan", "pho"], ["khu", "dan", "cu"], ["khu", "pho"],
        ["thi", "tran"], ["dac", "khu"],
        ["tdp"], ["kdc"], ["kp"], ["thon"], ["xom"], ["ap"], ["ban"], ["lang"], ["buon"], ["phum"],
        ["soc"], ["khom"], ["to"], ["khu"], ["so"], ["xa"], ["phuong"], ["village"], ["hamlet"], ["commune"], ["ward"],
    ]

    /// Key of a village or commune name: kind prefix removed, numbering unified, tone-insensitive
    /// placement. "Thôn 3", "Thôn III", "thon 03" and "Xóm 3" all give "3".
    public static func unitKey(_ name: String) -> String {
        var tokens = words(of: name)
        var looseTokens = tokens.map(loose)
        var stripped = true
        while stripped {
            stripped = false
            for prefix in unitPrefixes where prefix.count < looseTokens.count {
                if Array(looseTokens.prefix(prefix.count)) == prefix {
                    tokens.removeFirst(prefix.count)
                    looseTokens.removeFirst(prefix.count)
                    stripped = true
                    break
                }
            }
        }
        return tokens.map { token -> String in
            if let n = numberValue(token) { return String(n) }
            return toneKeyOfWord(token)
        }.joined(separator: " ")
    }

    /// Decimal (at most 9 digits, leading zeros allowed) or canonical upper-case Roman numeral
    /// (at most 8 letters of I, V, X, L) value of a token; nil for anything else ("Vi", "IIII").
    public static func numberValue(_ token: String) -> Int? {
        if token.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return token.count <= 9 ? Int(token) : nil
        }
        guard !token.isEmpty, token.count <= 8, token.allSatisfy({ "IVXL".contains($0) }) else { return nil }
        let values: [Character: Int] = ["I": 1, "V": 5, "X": 10, "L": 50]
        var total = 0
        var previous = 0
        for ch in token.reversed() {
            guard let v = values[ch] else { return nil }
            total += v < previous ? -v : v
            previous = max(previous, v)
        }
        // Reject non-canonical spellings such as "IIII" or "VX" by round-tripping.
        return roman(total) == token ? total : nil
    }

    private static func roman(_ value: Int) -> String {
        let table: [(Int, String)] = [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var n = value
        var out = ""
        for (v, s) in table { while n >= v { out += s; n -= v } }
        return out
    }
}
