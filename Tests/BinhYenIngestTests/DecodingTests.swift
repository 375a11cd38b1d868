import BinhYenCore
import Testing
@testable import BinhYenIngest

@Suite("Decoding and file types")
struct DecodingTests {
    static let csv = "Thôn,Năm,Lĩnh vực,Số lượng\r\nThôn Hòa,2024,TTXH,3\r\n"

    @Test func utf8ByteOrderMarkIsSkipped() {
        let result = Ingest.read(bytes: [0xEF, 0xBB, 0xBF] + Array(Self.csv.utf8), name: "bom.csv")
        #expect(!result.hasErrors)
        #expect(result.accounts[0].encoding == "utf-8-bom")
        #expect(result.years("Thôn Hòa", Measure(.crime))?[2024]?.count == 3)
    }

    private func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }

    @Test(arguments: [false, true])
    func utf16WithByteOrderMarkIsDecoded(bigEndian: Bool) {
        // Excel "Unicode text": UTF-16 LE, tab-separated.
        let text = "Thôn\tNăm\tTội phạm TTXH\tTNGT - người chết\nThôn Hòa\t2024\t3\t1\n"
        let result = Ingest.read(bytes: utf16(text, bigEndian: bigEndian), name: "unicode.txt")
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.accounts[0].encoding == (bigEndian ? "utf-16be" : "utf-16le"))
        #expect(result.accounts[0].delimiter == "\\t")
        #expect(result.years("Thôn Hòa", Measure(.crime))?[2024]?.count == 3)
        #expect(result.years("Thôn Hòa", Measure(.traffic, .deaths))?[2024]?.count == 1)
    }

    @Test func invalidUTF8IsOneErrorNamingTheLine() {
        // "Thôn" in TCVN3 bytes on line 3 (0xAB is not valid UTF-8 here).
        let bytes = Array("Thôn,Năm,Lĩnh vực,Số lượng\nA,2024,TTXH,1\nTh".utf8) + [0xAB, 0x6E] + Array(",2024,TTXH,2\n".utf8)
        // Forced UTF-8: no legacy encoding is tried (auto detection reads this as TCVN3).
        let result = Ingest.read(bytes: bytes, name: "legacy.csv", options: IngestOptions(encoding: .utf8))
        #expect(result.diagnostics.count == 1)
        let diagnostic = result.diagnostics[0]
        #expect(diagnostic.code == .encoding)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location?.line == 3)
        #expect(diagnostic.message.en.contains("--encoding"))
        #expect(diagnostic.message.vi.contains("--encoding"))
        #expect(result.accounts[0].rowsRead == 0)
        #expect(result.panel.units.isEmpty)
    }

    @Test(arguments: [
        ([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], "xlsx"),
        (Array("%PDF-1.7\n".utf8), "PDF"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00], "97"),
        (Array("<!DOCTYPE html><html><table>".utf8), "HTML"),
        (Array("Thôn,Năm\n".utf8) + [0x00, 0x01, 0x02], "binary"),
    ] as [([UInt8], String)])
    func fileThatIsNotWhatItsExtensionSays(bytes: [UInt8], kind: String) {
        let result = Ingest.read(bytes: bytes, name: "report.csv")
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.code == .wrongFileType)
        #expect(result.diagnostics.first?.location == SourceLocation(file: "report.csv", line: 1))
        #expect(result.diagnostics.first?.message.en.contains(kind) == true)
        #expect(result.accounts == [FileAccount(file: "report.csv")])
    }

    @Test func utf16WithoutByteOrderMarkIsNamed() {
        let bytes = Array("Thôn,Năm\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let result = Ingest.read(bytes: bytes, name: "a.csv")
        #expect(result.diagnostics.first?.code == .wrongFileType)
        #expect(result.diagnostics.first?.message.en.contains("UTF-16") == true)
    }

    @Test func emptyFile() {
        let result = Ingest.read(bytes: [], name: "empty.csv")
        #expect(result.diagnostics.map(\.code) == [.emptyFile])
        #expect(result.hasErrors)
    }

    @Test func utf8ValidatorRejectsOverlongAndSurrogates() {
        #expect(TextDecoder.firstInvalidUTF8([0x41, 0xC0, 0x80], from: 0) == 1)
        #expect(TextDecoder.firstInvalidUTF8([0xED, 0xA0, 0x80], from: 0) == 0)
        #expect(TextDecoder.firstInvalidUTF8([0xF4, 0x90, 0x80, 0x80], from: 0) == 0)
        #expect(TextDecoder.firstInvalidUTF8(Array("Thôn Đông 12345678 ấp".utf8), from: 0) == nil)
        #expect(TextDecoder.firstInvalidUTF8(Array("abcdefghij".utf8) + [0xE1, 0xBA], from: 0) == 10)
    }

    @Test func fastNFCEqualsTextKeyNFC() {
        var samples = ["Thôn Đông", "  Thôn  Hòa ", "Xã Bình Yên (dữ liệu mẫu)", "Tho\u{0302}n Ho\u{0300}a", "A\u{2001}B", ""]
        for value in Array(0xC0...0x24F) + Array(0x1E00...0x1EFF) {
            if let scalar = Unicode.Scalar(value) { samples.append("x" + String(Character(scalar)) + "y") }
        }
        for sample in samples { #expect(FastText.nfc(sample) == TextKey.nfc(sample), "\(sample.unicodeScalars.map(\.value))") }
    }
}

@Suite("Workbooks")
struct WorkbookTests {
    @Test func aWorkbookNamedAsSuchIsNotAWrongType() {
        let result = Ingest.read(bytes: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], name: "bao-cao.xlsx")
        #expect(result.diagnostics.map(\.code) == [.unreadableFile])
        #expect(result.diagnostics.first?.message.en.contains("damaged ZIP") == true)
    }
}
