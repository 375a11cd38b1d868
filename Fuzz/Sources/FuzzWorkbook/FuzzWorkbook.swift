import BinhYenIngest
import Foundation
import FuzzChecks
import ZIPFoundation

/// libFuzzer entry point: reads the input as an `.xlsx` workbook, the whole path from ZIP bytes
/// (central directory, inflation under `WorkbookLimits`, XML parts, shared strings, styles,
/// sheets) to the panel.
///
/// Two kinds of input:
/// - a ZIP file (starting with `PK`): read as it is, which fuzzes the ZIP layer;
/// - anything else: the XML parts of a workbook separated by lines `%%`, in the order
///   worksheet, shared strings, styles, workbook. They are packed, uncompressed, into a workbook
///   whose other parts are fixed, so that mutations reach the XML readers instead of breaking
///   deflate streams and checksums. A missing workbook part is replaced by one naming the sheet.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let bytes: [UInt8]
    if input.starts(with: Array("PK".utf8)) {
        bytes = input
    } else {
        guard let packed = WorkbookPacking.pack(WorkbookPacking.split(input)) else { return 0 }
        bytes = packed
    }
    IngestChecks.check(Ingest.read(bytes: bytes, name: "fuzz.xlsx", options: IngestChecks.options))
    return 0
}

/// Builds a workbook from fuzzed XML parts.
enum WorkbookPacking {
    static let separator = Array("\n%%\n".utf8)

    static let partPaths = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"]

    static let defaultWorkbook = Array("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>
        """.utf8)

    static let fixedParts: [(path: String, text: String)] = [
        ("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/></Types>
            """),
        ("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
            Target="xl/workbook.xml"/></Relationships>
            """),
        ("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
            Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" \
            Target="sharedStrings.xml"/>\
            <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
            Target="styles.xml"/></Relationships>
            """),
    ]

    /// The input cut at each separator (at most four parts; the last keeps any further separators).
    static func split(_ input: [UInt8]) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var start = 0
        var i = 0
        while i + separator.count <= input.count, parts.count < partPaths.count - 1 {
            if input[i..<i + separator.count].elementsEqual(separator) {
                parts.append(Array(input[start..<i]))
                i += separator.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(Array(input[start...]))
        return parts
    }

    /// A stored (uncompressed) ZIP of the fixed parts and `parts`; nil if ZIPFoundation fails.
    static func pack(_ parts: [[UInt8]]) -> [UInt8]? {
        var contents = fixedParts.map { ($0.path, Array($0.text.utf8)) }
        for (index, part) in parts.enumerated() { contents.append((partPaths[index], part)) }
        if parts.count < partPaths.count { contents.append((partPaths[partPaths.count - 1], defaultWorkbook)) }
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (path, bytes) in contents {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .none) { position, size in
                    Data(bytes[Int(position)..<Int(position) + size])
                }
            }
            return archive.data.map { Array($0) }
        } catch {
            return nil
        }
    }
}
