import Foundation

/// The legacy 8-bit Vietnamese encodings BinhYen converts (DOMAIN.md §6), decoded to NFC.
enum LegacyEncoding: CaseIterable {
    case windows1258
    case tcvn3
    case vni

    var textEncoding: TextEncoding {
        switch self {
        case .windows1258: return .windows1258
        case .tcvn3: return .tcvn3
        case .vni: return .vni
        }
    }

    /// The text of `bytes` in this encoding, in NFC.
    func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        switch self {
        case .windows1258:
            for b in bytes { scalars.append(LegacyTables.scalar(b < 0x80 ? UInt16(b) : LegacyTables.cp1258[Int(b) - 0x80])) }
        case .tcvn3:
            for b in bytes {
                let value: UInt16 = b < 0x20 ? LegacyTables.tcvnLow[Int(b)] : b < 0x80 ? UInt16(b) : LegacyTables.tcvnHigh[Int(b) - 0x80]
                scalars.append(LegacyTables.scalar(value))
            }
        case .vni:
            LegacyTables.decodeVNI(bytes, into: &scalars)
        }
        return String(scalars).precomposedStringWithCanonicalMapping
    }
}

/// Conversion tables. Each is cited where it was taken from.
enum LegacyTables {
    static func scalar(_ value: UInt16) -> Unicode.Scalar {
        Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    /// Windows-1258, bytes 0x80–0xFF: Microsoft's table as published by the Unicode
    /// Consortium (MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1258.TXT), as shipped in CPython's
    /// `cp1258` codec. Tone marks are the combining characters U+0300, U+0301, U+0303, U+0309,
    /// U+0323; undefined bytes are U+FFFD.
    static let cp1258: [UInt16] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0xFFFD, 0x2039, 0x0152, 0xFFFD, 0xFFFD, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0xFFFD, 0x203A, 0x0153, 0xFFFD, 0xFFFD, 0x0178,
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
        0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF,
        0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7,
        0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,
        0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7,
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF,
    ]

    /// Windows-1252, bytes 0x80–0xFF (the glyph positions VNI fonts use for other characters):
    /// Unicode Consortium MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT, as in CPython's `cp1252`.
    static let cp1252: [UInt16] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ] + (0xA0...0xFF).map { UInt16($0) }

    /// TCVN 5712 (TCVN3, "ABC"), bytes 0x00–0x1F: from X11 `lcUniConv/tcvn.h` (XFree86,
    /// `tcvn_2uni_1`). Seven control positions hold capitals with tones (VN1 extension); tab,
    /// line feed and carriage return stay controls.
    static let tcvnLow: [UInt16] = [
        0x0000, 0x00DA, 0x1EE4, 0x0003, 0x1EEA, 0x1EEC, 0x1EEE, 0x0007,
        0x0008, 0x0009, 0x000A, 0x000B, 0x000C, 0x000D, 0x000E, 0x000F,
        0x0010, 0x1EE8, 0x1EF0, 0x1EF2, 0x1EF6, 0x1EF8, 0x00DD, 0x1EF4,
        0x0018, 0x0019, 0x001A, 0x001B, 0x001C, 0x001D, 0x001E, 0x001F,
    ]

    /// TCVN 5712 (TCVN3, "ABC"), bytes 0x80–0xFF: from X11 `lcUniConv/tcvn.h` (XFree86,
    /// `tcvn_2uni_2`). Lower-case letters with tones are precomposed; 0xB0–0xB4 are the
    /// combining tone marks. Files typed with the ".VnTimeH" capital fonts store capitals as
    /// these lower-case bytes, so such text decodes to lower case: the bytes do not say.
    static let tcvnHigh: [UInt16] = [
        0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,
        0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,
        0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,
        0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,
        0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,
        0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
        0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,
        0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
        0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,
        0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
        0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,
        0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
        0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,
        0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
        0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
        0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
    ]

    // VNI Windows: a letter is its base byte followed by at most one mark byte. From the
    // letter table of xvnkb `vni.h` (Đào Hải Lâm, VISC, 2002): tones in the order sắc, huyền,
    // hỏi, ngã, nặng are the bytes Ù Ø Û Õ Ï (capitals) and ù ø û õ ï (lower case); â/ê/ô
    // with tones Â Á À Å Ã Ä; ă with tones Ê É È Ú Ü Ë; ơ = Ô, ư = Ö, đ = Ñ; i with tones
    // Í Ì Æ Ó Ò and ỵ = Î stand alone (lower-case bytes likewise).

    /// Tone combining marks: sắc, huyền, hỏi, ngã, nặng.
    private static let tones: [UInt32] = [0x0301, 0x0300, 0x0309, 0x0303, 0x0323]

    /// A VNI mark byte (upper-case form) → (vowel modifier, tone index or nil).
    private enum Modifier { case none, circumflex, breve }
    private static let marks: [UInt8: (Modifier, Int?)] = {
        var table: [UInt8: (Modifier, Int?)] = [:]
        for (i, byte) in [0xD9, 0xD8, 0xDB, 0xD5, 0xCF].enumerated() { table[UInt8(byte)] = (.none, i) }
        table[0xC2] = (.circumflex, nil)
        for (i, byte) in [0xC1, 0xC0, 0xC5, 0xC3, 0xC4].enumerated() { table[UInt8(byte)] = (.circumflex, i) }
        table[0xCA] = (.breve, nil)
        for (i, byte) in [0xC9, 0xC8, 0xDA, 0xDC, 0xCB].enumerated() { table[UInt8(byte)] = (.breve, i) }
        return table
    }()

    /// Bytes that are a whole letter in VNI (upper-case forms; lower case is +0x20).
    private static let vniLetters: [UInt8: UInt32] = [
        0xD4: 0x01A0, 0xD6: 0x01AF, 0xCD: 0x00CD, 0xCC: 0x00CC, 0xC6: 0x1EC8, 0xD3: 0x0128, 0xD2: 0x1ECA,
        0xCE: 0x1EF4, 0xD1: 0x0110,
    ]

    static func decodeVNI(_ bytes: UnsafeRawBufferPointer, into scalars: inout String.UnicodeScalarView) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            // The base letter, as Unicode, and what it may take.
            var base: UInt32?
            var takesModifiers = false
            switch b {
            case 0x41, 0x45, 0x4F, 0x61, 0x65, 0x6F: base = UInt32(b); takesModifiers = true
            case 0x55, 0x59, 0x75, 0x79: base = UInt32(b)
            default:
                let upper = b >= 0xE0 ? b - 0x20 : b
                if b >= 0xC0, let letter = vniLetters[upper] {
                    let value = b >= 0xE0 ? lowercase(letter) : letter
                    if upper == 0xD4 || upper == 0xD6 { base = value } else {
                        scalars.append(scalar(UInt16(value)))
                        i += 1
                        continue
                    }
                }
            }
            if let base, i + 1 < n {
                let next = bytes[i + 1]
                let upperMark = next >= 0xE0 ? next - 0x20 : next
                if next >= 0xC0, let (modifier, tone) = marks[upperMark],
                   modifier == .none || (takesModifiers && (modifier == .circumflex || base == 0x41 || base == 0x61)) {
                    scalars.append(Unicode.Scalar(base) ?? "\u{FFFD}")
                    if modifier == .circumflex { scalars.append("\u{0302}") }
                    if modifier == .breve { scalars.append("\u{0306}") }
                    if let tone, let mark = Unicode.Scalar(tones[tone]) { scalars.append(mark) }
                    i += 2
                    continue
                }
            }
            if let base {
                scalars.append(Unicode.Scalar(base) ?? "\u{FFFD}")
            } else {
                scalars.append(scalar(b < 0x80 ? UInt16(b) : cp1252[Int(b) - 0x80]))
            }
            i += 1
        }
    }

    private static func lowercase(_ value: UInt32) -> UInt32 {
        guard let scalar = Unicode.Scalar(value), let lower = scalar.properties.lowercaseMapping.unicodeScalars.first else { return value }
        return lower.value
    }
}

/// Guesses which legacy encoding a file that is not UTF-8 uses.
///
/// Each candidate decodes (a sample of) the text; every word holding a non-ASCII letter is
/// checked against the shape of a Vietnamese syllable (onset, one to three vowels, coda, at
/// most one tone mark), and every other non-ASCII character that is neither a letter nor
/// common punctuation counts against it. The confidence of a candidate is the share of its
/// non-ASCII words and symbols that pass; the best candidate wins.
enum EncodingDetector {
    struct Guess {
        var encoding: LegacyEncoding
        var confidence: Double
    }

    /// At most this many bytes are sampled.
    static let sampleLimit = 256 << 10

    static func guess(_ bytes: UnsafeRawBufferPointer) -> Guess? {
        let sample = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, sampleLimit)])
        var best: Guess?
        for encoding in LegacyEncoding.allCases {
            let text = encoding.decode(sample)
            guard let confidence = score(text) else { continue }
            if best == nil || confidence > (best?.confidence ?? 0) { best = Guess(encoding: encoding, confidence: confidence) }
        }
        return best
    }

    /// Words with non-ASCII letters (and stray symbols) scored at most: 4,000 judge the share to
    /// about ±1.5% and keep detection fast on a file of garbage, where every word counts.
    static let scoredWordLimit = 4_000

    /// Share of plausible non-ASCII words among those and stray symbols (the first
    /// `scoredWordLimit` of them); nil when there are none.
    static func score(_ text: String) -> Double? {
        var good = 0
        var bad = 0
        var word: [Unicode.Scalar] = []
        var nonASCII = false
        func close() {
            if nonASCII { if plausible(word) { good += 1 } else { bad += 1 } }
            word.removeAll(keepingCapacity: true)
            nonASCII = false
        }
        for scalar in text.unicodeScalars {
            if good + bad >= scoredWordLimit { break }
            let properties = scalar.properties
            if properties.isAlphabetic || properties.generalCategory == .nonspacingMark {
                word.append(scalar)
                if !scalar.isASCII { nonASCII = true }
            } else {
                close()
                if !scalar.isASCII && !allowedSymbols.contains(scalar.value) { bad += 1 }
            }
        }
        close()
        guard good + bad > 0 else { return nil }
        return Double(good) / Double(good + bad)
    }

    /// Punctuation found in Vietnamese office text.
    private static let allowedSymbols: Set<UInt32> = [0x00A0, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x20AB, 0x00B0, 0x2022]

    private static let onsets: [String] = ["ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
                                           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""]
    private static let codas: [String] = ["ch", "ng", "nh", "c", "m", "n", "p", "t", ""]
    private static let vowels: Set<Character> = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
    private static let toneMarks: Set<UInt32> = [0x0300, 0x0301, 0x0303, 0x0309, 0x0323]

    /// Whether a word has the shape of one Vietnamese syllable.
    static func plausible(_ word: [Unicode.Scalar]) -> Bool {
        var scalars = String.UnicodeScalarView()
        var tones = 0
        for scalar in String(String.UnicodeScalarView(word)).decomposedStringWithCanonicalMapping.unicodeScalars {
            if toneMarks.contains(scalar.value) { tones += 1; continue }
            scalars.append(scalar)
        }
        guard tones <= 1 else { return false }
        let letters = Array(String(scalars).precomposedStringWithCanonicalMapping.lowercased())
        guard !letters.isEmpty, letters.count <= 7 else { return false }
        for onset in onsets where letters.starts(with: Array(onset)) {
            var i = onset.count
            let nucleusStart = i
            while i < letters.count && vowels.contains(letters[i]) { i += 1 }
            let nucleus = i - nucleusStart
            guard (1...3).contains(nucleus) else { continue }
            let rest = String(letters[i...])
            if codas.contains(rest) { return true }
        }
        return false
    }
}
