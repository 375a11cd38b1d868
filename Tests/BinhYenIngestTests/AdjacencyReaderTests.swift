import BinhYenCore
import Foundation
import Testing
@testable import BinhYenIngest

/// The `--adjacency` side file: name matching, header detection, errors with the nearest names,
/// and the Viet Nam province adjacency lists shipped in datasets/.
@Suite("adjacency reader")
struct AdjacencyReaderTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A panel with the given villages (one count each) under one or more communes.
    static func panel(_ villages: [(commune: String, village: String, code: String?)]) -> Panel {
        var csv = "commune,village,village_code,year,category,count\n"
        for v in villages { csv += "\"\(v.commune)\",\"\(v.village)\",\(v.code ?? ""),2025,crime,1\n" }
        return Ingest.read(bytes: Array(csv.utf8), name: "data.csv").panel
    }

    static func read(_ text: String, _ panel: Panel) -> AdjacencyResult {
        AdjacencyReader.read(bytes: Array(text.utf8), name: "ke.csv", panel: panel)
    }

    static func names(_ result: AdjacencyResult, _ panel: Panel) -> [String] {
        result.edges.map { "\(panel.units[$0.first].name)–\(panel.units[$0.second].name)" }
    }

    @Test func namesMatchLikeDataFilesAndPairsAreUndirected() {
        let panel = Self.panel([("X", "Thôn 3", nil), ("X", "Thôn Hòa Bình", nil), ("X", "Xóm Chợ", nil), ("X", "Bản Mới", nil)])
        let result = Self.read("Thôn,Thôn kề\nthon III,Thôn Hoà Bình\nTHÔN HÒA BÌNH,Thôn 03\nXóm Chợ,Thôn 3\n", panel)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(Self.names(result, panel) == ["Thôn 3–Thôn Hòa Bình", "Thôn 3–Xóm Chợ"])
        #expect(result.diagnostics.contains { $0.severity == .note && $0.message.en.contains("column headings") })
        #expect(result.diagnostics.contains { $0.message.en.contains("islands") && $0.message.en.contains("Bản Mới") })
    }

    @Test func unknownNamesAreErrorsWithTheNearestKnownName() {
        let panel = Self.panel([("X", "Xóm Chợ", nil), ("X", "Thôn Đông", nil)])
        let result = Self.read("Xóm Chọ,Thôn Đông\nThôn Đông,Làng Xa Lạ\n", panel)
        #expect(result.hasErrors)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 2)
        #expect(errors[0].code == .unknownVillage && errors[0].location?.line == 1)
        #expect(errors[0].message.en.contains("Did you mean “Xóm Chợ”"))
        #expect(errors[0].message.vi.contains("Có phải: “Xóm Chợ”"))
        #expect(errors[1].location?.line == 2 && !errors[1].message.en.contains("Did you mean"))
    }

    @Test func sameNameInTwoCommunesIsAmbiguousButCodesDecide() {
        let panel = Self.panel([("Xã A", "Thôn 1", "A1"), ("Xã B", "Thôn 1", "B1"), ("Xã A", "Thôn 2", "A2")])
        let ambiguous = Self.read("Thôn 1,Thôn 2\n", panel)
        #expect(ambiguous.diagnostics.contains { $0.code == .ambiguousVillage && $0.message.en.contains("Thôn 1 (Xã A); Thôn 1 (Xã B)") })
        let byCode = Self.read("A1,A2\nA2,B1\n", panel)
        #expect(!byCode.hasErrors)
        #expect(byCode.edges.count == 1)
        #expect(byCode.diagnostics.contains { $0.severity == .warning && $0.location?.line == 2 && $0.message.en.contains("different communes") })
    }

    @Test func selfPairsAndShortLinesAreReported() {
        let panel = Self.panel([("X", "Thôn 1", nil), ("X", "Thôn 2", nil)])
        let result = Self.read("Thôn 1,Thôn 2\nThôn 1,thôn I\nThôn 2\n", panel)
        #expect(result.diagnostics.contains { $0.severity == .warning && $0.location?.line == 2 })
        #expect(result.diagnostics.contains { $0.code == .malformedRow && $0.location?.line == 3 })
        #expect(result.edges.count == 1)
        #expect(Self.read("", panel).diagnostics.first?.code == .emptyFile)
    }

    /// datasets/vn-provinces-adjacency: 63 provinces (135 pairs) and 34 provinces (58 pairs),
    /// both connected without islands; degrees 2 … 8 (Hà Nội 8), per its SOURCE.md.
    @Test(arguments: [("provinces_63.csv", "adjacency_63.csv", 63, 135), ("provinces_34_from_2025-07-01.csv", "adjacency_34_from_2025-07-01.csv", 34, 58)])
    func vietNamProvinceAdjacency(provinces: String, adjacency: String, count: Int, pairs: Int) throws {
        let folder = Self.packageRoot.appendingPathComponent("datasets/vn-provinces-adjacency")
        let list = try String(contentsOf: folder.appendingPathComponent(provinces), encoding: .utf8)
        let rows = list.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let panel = Self.panel(rows.map { ("Việt Nam", $0[1], $0[0]) })
        #expect(panel.units.filter { $0.kind == .village }.count == count)
        let result = AdjacencyReader.read(path: folder.appendingPathComponent(adjacency).path, panel: panel)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.edges.count == pairs)
        var degree: [Int: Int] = [:]
        for edge in result.edges { degree[edge.first, default: 0] += 1; degree[edge.second, default: 0] += 1 }
        #expect(degree.count == count, "no island")
        #expect(degree.values.min() == 2 || count == 34)
        if count == 63 {
            let hanoi = try #require(panel.units.firstIndex { $0.code == "01" })
            #expect(degree[hanoi] == 8)
            #expect(degree.values.max() == 8)
        }
    }
}
