import BinhYenCore
import BinhYenTestSupport
import PropertyBased
import Testing
@testable import BinhYenAnalytics

/// Issue 9 invariant: one more case in the judged year never turns `not_met` into `met`, for
/// any rule of the built-in packs, with or without exposures, and for every row `verify` gives
/// (village, commune and overall) on a generated commune panel.
@Suite("Verdict invariants (property-based)")
struct VerdictPropertyTests {
    static let packs = [RulePack.defaultID, "tt124-village"]

    @Test(arguments: packs)
    func oneMoreCaseNeverMeetsARuleThatWasNotMet(_ id: String) async throws {
        let pack = try RulePack.builtIn(id: id)
        let tests = pack.rules.map(\.test)
        let inputs = zip(Gen.int(in: 0...200), Gen.int(in: 0...200), Gen.int(in: 1...20_000), Gen.int(in: 1...20_000))
        await propertyCheck(count: 200, input: inputs) { counts in
            let (previous, current, exposurePrevious, exposureCurrent) = counts
            for test in tests {
                for zeroBase in [ZeroBasePolicy.metIfZero, .notApplicable] {
                    let before = test.judge(previous: previous, current: current, exposurePrevious: exposurePrevious,
                                            exposureCurrent: exposureCurrent, zeroBase: zeroBase).verdict
                    let after = test.judge(previous: previous, current: current + 1, exposurePrevious: exposurePrevious,
                                           exposureCurrent: exposureCurrent, zeroBase: zeroBase).verdict
                    if before == .notMet { #expect(after == .notMet, "\(test) \(previous) → \(current)") }
                    if after == .met { #expect(before == .met, "\(test) \(previous) → \(current)") }
                }
            }
        }
    }

    static let villages = ["Thôn Hòa Bình", "Xóm Thủy Lợi", "Thôn Đông", "Tổ dân phố Quế Lâm"]
    static let measures = [Measure(.crime), Measure(.socialEvil), Measure(.traffic), Measure(.traffic, .deaths),
                           Measure(.traffic, .injuries), Measure(.fire)]

    static func panel(_ counts: [Int]) -> Panel {
        var builder = PanelBuilder()
        let commune = builder.commune("Xã Hòa An", code: "21208")
        for (v, name) in villages.enumerated() {
            let village = builder.village(name, in: commune)
            for (m, measure) in measures.enumerated() {
                let at = (v * measures.count + m) * 2
                builder.series(village, measure, from: 2024, [counts[at], counts[at + 1]])
            }
        }
        return builder.panel
    }

    @Test(arguments: packs)
    func oneMoreCaseInAVillageNeverMeetsAVerdictThatWasNotMet(_ id: String) async throws {
        let verifier = Verifier(pack: try RulePack.builtIn(id: id))
        let cells = Gen<Int>.frequency((1, Gen.always(0)), (3, Gen.int(in: 1...25)))
        let inputs = zip(cells.array(of: Self.villages.count * Self.measures.count * 2),
                         Gen.int(in: 0..<(Self.villages.count * Self.measures.count)))
        await propertyCheck(count: 60, input: inputs) { sample in
            let (counts, series) = sample
            var more = counts
            more[series * 2 + 1] += 1
            let before = verifier.verify(Self.panel(counts))
            let after = verifier.verify(Self.panel(more))
            #expect(before.count == after.count)
            for (old, new) in zip(before, after) where old.verdict == .notMet {
                #expect(new.verdict == .notMet, "\(old.unitKind) \(old.village ?? old.commune ?? "") \(old.ruleCode): \(old.prev ?? -1) → \(old.curr ?? -1)")
            }
        }
    }
}
