import Testing
@testable import BinhYenCore

@Suite("TextKey")
struct TextKeyTests {
    @Test func nfcComposesAndCollapsesSpaces() {
        // "Thôn Đông" typed with combining marks (NFD, as the Windows keyboard or macOS produce).
        let nfd = "Tho\u{0302}n  \u{0110}o\u{0302}ng "
        #expect(TextKey.nfc(nfd) == "Thôn Đông")
        #expect(TextKey.nfc(nfd).unicodeScalars.count == 9)
    }

    @Test func looseIgnoresCaseDiacriticsAndPunctuation() {
        #expect(TextKey.loose("Tội phạm TTXH") == "toi pham ttxh")
        #expect(TextKey.loose("TỘI PHẠM  ttxh") == "toi pham ttxh")
        #expect(TextKey.loose("Cháy, nổ - số vụ") == "chay no so vu")
        #expect(TextKey.loose("Đường Đá") == "duong da")
        #expect(TextKey.loose("TNLĐ") == "tnld")
    }

    @Test func toneKeyIgnoresPlacementButNotTone() {
        #expect(TextKey.toneKey("hoà") == TextKey.toneKey("hòa"))
        #expect(TextKey.toneKey("Thuỷ") == TextKey.toneKey("thủy"))
        #expect(TextKey.toneKey("Quý") == TextKey.toneKey("qúy"))
        #expect(TextKey.toneKey("Hòa") != TextKey.toneKey("Hóa"))
        #expect(TextKey.toneKey("Hoa") != TextKey.toneKey("Hòa"))
        // NFD input gives the same key.
        #expect(TextKey.toneKey("Ho\u{0300}a") == TextKey.toneKey("Hòa"))
    }

    @Test func unitKeyUnifiesPrefixesAndNumbering() {
        let three = TextKey.unitKey("Thôn 3")
        #expect(three == "3")
        #expect(TextKey.unitKey("Thôn III") == three)
        #expect(TextKey.unitKey("thon 03") == three)
        #expect(TextKey.unitKey("Xóm 3") == three)
        #expect(TextKey.unitKey("Tổ dân phố số 3") == three)
        #expect(TextKey.unitKey("TDP 3") == three)
        #expect(TextKey.unitKey("Thôn Hoà Bình") == TextKey.unitKey("thôn hòa bình"))
        #expect(TextKey.unitKey("Thôn Hòa Bình") != TextKey.unitKey("Thôn Hóa Bình"))
        // A name that is only a prefix word keeps it.
        #expect(TextKey.unitKey("Thôn") == TextKey.toneKey("Thôn"))
    }

    @Test func romanNumeralsOnlyWhenCanonicalAndUpperCase() {
        #expect(TextKey.numberValue("IV") == 4)
        #expect(TextKey.numberValue("XIV") == 14)
        #expect(TextKey.numberValue("IIII") == nil)
        #expect(TextKey.numberValue("VX") == nil)
        #expect(TextKey.numberValue("Vi") == nil)
        #expect(TextKey.numberValue("007") == 7)
        // "Bản Vi" is a name, not number 6.
        #expect(TextKey.unitKey("Bản Vi") != TextKey.unitKey("Bản 6"))
    }
}
