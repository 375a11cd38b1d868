import BinhYenCore
import Testing
@testable import BinhYenIngest
import BinhYenTestSupport

/// "Never throws, never crashes on data": random and mangled input only produces diagnostics.
@Suite("Robustness")
struct RobustnessTests {

    @Test func mangledFilesKeepTheAccountsBalanced() {
        var random = SplitMix64(seed: 20_250_101)
        let pieces = ["Xã", "Thôn", "Năm", "Tháng", "Lĩnh vực", "Chỉ tiêu", "Số lượng", "Bất khả kháng", "Dân số", "Tội phạm TTXH",
                      "TNGT - người chết", "2024", "13", "-1", "3.954", "NA", "\"", "\"\"", ",", ";", "\t", "\n", "\r\n", "\r",
                      "Cộng", "Thôn 3", "Tho\u{0302}n III", "traffic.deaths", "1e9", "99999999999999", "", " ", "Quý II", "W53"]
        for _ in 0..<300 {
            var text = "Xã,Thôn,Năm,Tháng,Lĩnh vực,Chỉ tiêu,Số lượng,Bất khả kháng,Dân số\n"
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                text += pieces.randomElement(using: &random) ?? ""
            }
            let result = ingest(text)
            #expect(result.accountsBalance)
            #expect(result.accounts.count == 1)
        }
    }

    @Test func randomBytesAreRejectedOrRead() {
        var random = SplitMix64(seed: 7)
        for length in [1, 2, 3, 7, 64, 1000] {
            for _ in 0..<50 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
                let result = Ingest.read(bytes: bytes, name: "noise.csv")
                #expect(result.accountsBalance)
                #expect(result.hasErrors || result.panel.series.isEmpty)
            }
        }
    }
}
