import BinhYenCore
import Foundation
import Testing
@testable import BinhYenIngest

@Suite("Legacy Vietnamese encodings")
struct LegacyEncodingTests {
    /// The letters fixture: 12 vowels × 6 tones and đ, lower case then upper case (146 lines).
    private func letters() throws -> [String] {
        String(decoding: try fixture("legacy/letters.utf8.txt"), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    private func decoded(_ file: String, _ encoding: LegacyEncoding) throws -> [String] {
        try fixture(file).withUnsafeBytes { encoding.decode($0) }.split(separator: "\n").map(String.init)
    }

    @Test func everyLetterWithEveryToneInWindows1258() throws {
        // Written by glibc iconv (base letter + combining tone byte); decoded and composed to NFC.
        let expected = try letters()
        #expect(expected.count == 146)
        #expect(try decoded("legacy/letters.cp1258.txt", .windows1258) == expected)
    }

    @Test func everyLetterWithEveryToneInTCVN3() throws {
        // Written by glibc iconv TCVN5712-1 (a table independent of BinhYen's X11-derived one).
        let expected = try letters()
        #expect(try decoded("legacy/letters.tcvn3.txt", .tcvn3) == Array(expected.prefix(73)))
        #expect(try decoded("legacy/letters-upper.tcvn3.txt", .tcvn3) == Array(expected.suffix(73)))
    }

    @Test func everyLetterWithEveryToneInVNI() throws {
        #expect(try decoded("legacy/letters.vni.txt", .vni) == (try letters()))
    }

    @Test func knownByteSequences() {
        func tcvn3(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { LegacyEncoding.tcvn3.decode($0) } }
        func vni(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { LegacyEncoding.vni.decode($0) } }
        func cp1258(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { LegacyEncoding.windows1258.decode($0) } }
        // "Ninh B×nh" is how TCVN3 "Ninh Bình" shows in cp1252 (DOMAIN.md §6).
        #expect(tcvn3(Array("Ninh B".utf8) + [0xD7] + Array("nh".utf8)) == "Ninh Bình")
        #expect(tcvn3([0x54, 0x68, 0xAB, 0x6E, 0x20, 0xA7, 0xAB, 0x6E, 0x67]) == "Thôn Đông")
        // "Xin chaøo caùc baïn" is VNI "Xin chào các bạn" shown in cp1252.
        #expect(vni(Array("Xin cha".utf8) + [0xF8] + Array("o ca".utf8) + [0xF9] + Array("c ba".utf8) + [0xEF, 0x6E]) == "Xin chào các bạn")
        #expect(vni([0x54, 0x68, 0x6F, 0xE2, 0x6E, 0x20, 0xD1, 0x6F, 0xE2, 0x6E, 0x67]) == "Thôn Đông")
        #expect(vni([0x54, 0x48, 0xD6, 0xD8]) == "THỪ")
        #expect(cp1258([0x42, 0x69, 0xCC, 0x6E, 0x68]) == "Bình")
        #expect(cp1258([0x42, 0x69, 0xCC, 0x6E, 0x68]).unicodeScalars.count == 4)
    }

    @Test(arguments: [("report.tcvn3.csv", "tcvn3"), ("report.vni.csv", "vni"), ("report.cp1258.csv", "windows-1258")])
    func legacyReportIsDetectedAndReadsLikeUTF8(file: String, encoding: String) throws {
        let reference = try ingestFixtures(["legacy/report.utf8.csv"])
        let result = try ingestFixtures(["legacy/" + file])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.accounts[0].encoding == encoding)
        let confidence = try #require(result.accounts[0].encodingConfidence)
        #expect(confidence >= 0.9)
        let note = try #require(result.diagnostics(.encoding).first)
        #expect(note.severity == .note)
        #expect(note.message.vi.contains(encoding))
        #expect(result.panel.values == reference.panel.values)
        #expect(result.panel.units.map(\.name) == reference.panel.units.map(\.name))
        #expect(result.years("Thôn Phú Thủy", Measure(.traffic))?[2024]?.count == 2)
    }

    @Test(arguments: [(InputEncoding.tcvn3, "report.tcvn3.csv"), (.vni, "report.vni.csv"), (.cp1258, "report.cp1258.csv")])
    func forcedEncodingSkipsDetection(encoding: InputEncoding, file: String) throws {
        let result = try ingestFixtures(["legacy/" + file], options: IngestOptions(encoding: encoding))
        #expect(!result.hasErrors)
        #expect(result.accounts[0].encodingConfidence == nil)
        #expect(result.diagnostics(.encoding).isEmpty)
        #expect(result.years("Làng Hòa Mỹ", Measure(.fire))?[2024]?.count == 1)
    }

    @Test func forcingTheWrongEncodingGarblesNames() throws {
        let result = try ingestFixtures(["legacy/report.tcvn3.csv"], options: IngestOptions(encoding: .vni))
        #expect(result.unit("Thôn Đông") == nil)
    }

    @Test func forcedUTF8RejectsLegacyBytes() throws {
        let result = try ingestFixtures(["legacy/report.tcvn3.csv"], options: IngestOptions(encoding: .utf8))
        #expect(result.diagnostics.first?.code == .encoding)
        #expect(result.diagnostics.first?.severity == .error)
    }

    @Test func bytesThatAreNoVietnameseAreNotGuessed() {
        // Random high bytes: no encoding makes Vietnamese syllables of them.
        var generator = SystemRandomNumberGenerator()
        var bytes = Array("Thôn,Năm,Lĩnh vực,Số lượng\n".utf8)
        for _ in 0..<400 { bytes.append(UInt8.random(in: 0x80...0xFF, using: &generator)) }
        bytes += Array(",2024,TTXH,1\n".utf8)
        let result = Ingest.read(bytes: bytes, name: "noise.csv")
        let error = result.diagnostics.first { $0.code == .encoding }
        #expect(error?.severity == .error)
        #expect(error?.message.en.contains("--encoding") == true)
    }

    @Test func utf16WithoutByteOrderMarkWhenForced() {
        let text = "Thôn\tNăm\tTội phạm TTXH\nThôn Hòa\t2024\t3\n"
        let littleEndian = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for bytes in [littleEndian, bigEndian] {
            let result = Ingest.read(bytes: bytes, name: "u.txt", options: IngestOptions(encoding: .utf16))
            #expect(!result.hasErrors, "\(result.diagnostics)")
            #expect(result.years("Thôn Hòa", Measure(.crime))?[2024]?.count == 3)
        }
    }

    @Test func decomposedTextIsComposed() {
        // "Thôn Hòa" typed as base letters and combining marks (macOS, Windows Vietnamese keyboard).
        let decomposed = "Thôn,Năm,Tội phạm TTXH\nThôn Hòa,2024,3\n".decomposedStringWithCanonicalMapping
        let result = ingest(decomposed)
        #expect(!result.hasErrors)
        #expect(result.panel.units.contains { $0.name == "Thôn Hòa" && $0.name.unicodeScalars.count == 8 })
    }

    @Test func syllableShapes() {
        for word in ["thôn", "nghiêng", "đường", "giữa", "quốc", "khuyến", "ải", "Bình"] {
            #expect(EncodingDetector.plausible(Array(word.unicodeScalars)), "\(word)")
        }
        for word in ["B×nh", "chaøo", "baïn", "ßoâng", "xyzâ", "àá"] {
            #expect(!EncodingDetector.plausible(Array(word.unicodeScalars)), "\(word)")
        }
    }
}
