import BinhYenCore

/// `TextKey.unitKey` for names made of ASCII and precomposed Latin letters, without Unicode
/// normalisation passes.
///
/// `TextKey.unitKey` normalises each name several times through Foundation (about 40 µs a
/// name); a national file holds tens of thousands of distinct village names. This computes the
/// same key from a per-letter table (each entry taken from `TextKey.loose` and
/// `TextKey.toneKey` of the letter itself) and falls back to `TextKey.unitKey` for any other
/// character (combining marks, symbols, other scripts). The tests compare both on every letter
/// of the ranges and on generated names.
struct UnitKeyMaker {
    /// How one non-ASCII letter contributes to the keys.
    private struct Letter {
        /// Letter or digit (part of a word); false: a separator.
        var isWordCharacter: Bool
        /// `TextKey.loose` of the letter.
        var loose: String
        /// The letter lower-cased without its tone mark, NFC (from `TextKey.toneKey`).
        var base: String
        /// Tone digit of `TextKey.toneKey` ("1"…"5"), if any.
        var tone: Character?
    }

    /// Letters looked up so far; nil entries are characters the fast path does not handle.
    private var letters: [UInt32: Letter?] = [:]
    private var memo: [String: String] = [:]

    private static let prefixes = TextKey.unitPrefixes

    /// `TextKey.unitKey(name)`, memoised.
    mutating func key(_ name: String) -> String {
        if let key = memo[name] { return key }
        let key = fastKey(name) ?? TextKey.unitKey(name)
        memo[name] = key
        return key
    }

    /// A unit key without tone marks and diacritics: `TextKey.loose` of the key with its "~n"
    /// tone suffixes removed ("hòa" and "hóa" both give "hoa"). For the similar-names check.
    mutating func toneless(_ key: String) -> String {
        var out = String.UnicodeScalarView()
        var skipTone = false
        for scalar in key.unicodeScalars {
            if skipTone {
                skipTone = false
                if ("1"..."5").contains(scalar) { continue }
            }
            if scalar == "~" {
                skipTone = true
            } else if scalar.isASCII {
                out.append(scalar)
            } else if let letter = letter(scalar), letter.isWordCharacter {
                out.append(contentsOf: letter.loose.unicodeScalars)
            } else {
                return TextKey.loose(key.split(separator: " ").map { $0.split(separator: "~").first.map(String.init) ?? "" }.joined(separator: " "))
            }
        }
        return String(out)
    }

    private mutating func letter(_ scalar: Unicode.Scalar) -> Letter? {
        if let known = letters[scalar.value] { return known }
        var entry: Letter?
        if (0xC0...0x24F).contains(scalar.value) || (0x1E00...0x1EFF).contains(scalar.value) {
            let properties = scalar.properties
            if !(properties.isAlphabetic || properties.numericType != nil) {
                entry = Letter(isWordCharacter: false, loose: "", base: "", tone: nil)
            } else {
                let text = String(scalar)
                let toneKey = TextKey.toneKey(text)
                let parts = toneKey.split(separator: "~", omittingEmptySubsequences: false)
                if let base = parts.first, base.unicodeScalars.count == 1, parts.count <= 2, parts.count == 1 || parts[1].count == 1 {
                    entry = Letter(isWordCharacter: true, loose: TextKey.loose(text), base: String(base), tone: parts.count == 2 ? parts[1].first : nil)
                }
            }
        }
        letters[scalar.value] = entry
        return entry
    }

    private struct Token {
        var raw = ""
        var loose = ""
        var base = ""
        var tone: Character?
    }

    /// The key, or nil when `name` holds a character outside the fast path.
    private mutating func fastKey(_ name: String) -> String? {
        var tokens: [Token] = []
        var current = Token()
        func close() {
            if !current.raw.isEmpty { tokens.append(current) }
            current = Token()
        }
        for scalar in name.unicodeScalars {
            if scalar.isASCII {
                let value = scalar.value
                let isUpper = (0x41...0x5A).contains(value)
                if isUpper || (0x61...0x7A).contains(value) || (0x30...0x39).contains(value) {
                    let lower = Character(Unicode.Scalar(isUpper ? value + 0x20 : value) ?? scalar)
                    current.raw.unicodeScalars.append(scalar)
                    current.loose.append(lower)
                    current.base.append(lower)
                } else {
                    close()
                }
                continue
            }
            guard let letter = letter(scalar) else { return nil }
            guard letter.isWordCharacter else {
                close()
                continue
            }
            current.raw.unicodeScalars.append(scalar)
            current.loose += letter.loose
            current.base += letter.base
            if let tone = letter.tone { current.tone = tone }
        }
        close()
        var stripped = true
        while stripped {
            stripped = false
            for prefix in Self.prefixes where prefix.count < tokens.count {
                if zip(prefix, tokens).allSatisfy({ $0 == $1.loose }) {
                    tokens.removeFirst(prefix.count)
                    stripped = true
                    break
                }
            }
        }
        return tokens.map { token in
            if let number = TextKey.numberValue(token.raw) { return String(number) }
            return token.tone.map { token.base + "~" + String($0) } ?? token.base
        }.joined(separator: " ")
    }
}
