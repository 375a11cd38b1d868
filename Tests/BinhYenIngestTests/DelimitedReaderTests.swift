import Testing
@testable import BinhYenIngest

@Suite("Delimited reader")
struct DelimitedReaderTests {
    /// All records of `text` with the cursor's record and line numbers.
    private func records(_ text: String, delimiter: UInt8 = 0x2C) -> [(record: Int, line: Int, cells: [String], problem: DelimitedCursor.Problem?)] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            var cursor = DelimitedCursor(raw, delimiter: delimiter)
            var fields: [FieldSpan] = []
            var out: [(Int, Int, [String], DelimitedCursor.Problem?)] = []
            while cursor.next(into: &fields) {
                out.append((cursor.recordNumber, cursor.physicalLine, fields.map { DelimitedText.string($0, in: raw) }, cursor.problem))
            }
            return out
        }
    }

    @Test func quotedDelimitersDoubledQuotesAndLineBreaks() {
        let rows = records("a,\"b,c\",\"d\"\"e\",\"f\ng\"\n1,2,3,4\n")
        #expect(rows.count == 2)
        #expect(rows[0].cells == ["a", "b,c", "d\"e", "f\ng"])
        #expect(rows[1].cells == ["1", "2", "3", "4"])
        // Spreadsheet row 2 starts on text line 3 because of the quoted line break.
        #expect(rows[1].record == 2)
        #expect(rows[1].line == 3)
    }

    @Test func lineEndingsLFCRLFAndCR() {
        let rows = records("a,b\r\nc,d\re,f\ng,h")
        #expect(rows.map(\.cells) == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
        #expect(rows.map(\.record) == [1, 2, 3, 4])
    }

    @Test func emptyFieldsBlankLinesAndTrailingDelimiter() {
        let rows = records("a,,b,\n\n,\n")
        #expect(rows.map(\.cells) == [["a", "", "b", ""], [""], ["", ""]])
        #expect(rows.map(\.record) == [1, 2, 3])
    }

    @Test func quoteInsideUnquotedFieldIsLiteral() {
        #expect(records("5 \"inch\",x\n")[0].cells == ["5 \"inch\"", "x"])
    }

    @Test func textAfterClosingQuoteIsJoinedAndFlagged() {
        let bytes = Array("\"ab\"c,d\n".utf8)
        bytes.withUnsafeBytes { raw in
            var cursor = DelimitedCursor(raw, delimiter: 0x2C)
            var fields: [FieldSpan] = []
            let found = cursor.next(into: &fields)
            #expect(found)
            #expect(fields.count == 2)
            #expect(fields[0].hasTextAfterClosingQuote)
            #expect(DelimitedText.string(fields[0], in: raw) == "abc")
            #expect(DelimitedText.string(fields[1], in: raw) == "d")
        }
    }

    @Test func unterminatedQuoteIsReportedWithItsLine() {
        let rows = records("a,b\nc,\"d\ne\n")
        #expect(rows.count == 2)
        #expect(rows[1].problem == .unterminatedQuote(openedOnLine: 2))
        #expect(rows[1].cells == ["c", "d\ne\n"])
    }

    @Test func tabAndPipeDelimiters() {
        #expect(records("a\tb c\t\"d\te\"\n", delimiter: 0x09)[0].cells == ["a", "b c", "d\te"])
        #expect(records("a|b,c|d\n", delimiter: 0x7C)[0].cells == ["a", "b,c", "d"])
    }

    private func detect(_ text: String) -> UInt8 {
        Array(text.utf8).withUnsafeBytes { DelimitedText.detectDelimiter(in: $0) }
    }

    @Test func detectsEachDelimiter() {
        #expect(detect("Thôn,Năm,Số lượng\nA,2024,1\n") == UInt8(ascii: ","))
        #expect(detect("Thôn;Năm;Số lượng\nA;2024;1,5\nB;2024;2,5\n") == UInt8(ascii: ";"))
        #expect(detect("Thôn\tNăm\tSố lượng\nPhường 1, Quận 3\t2024\t1\n") == UInt8(ascii: "\t"))
        #expect(detect("Thôn|Năm|Số lượng\nA|2024|1\n") == UInt8(ascii: "|"))
    }

    @Test func detectionIgnoresTitleRowsAndQuotedDelimiters() {
        let text = """
        BÁO CÁO, THỐNG KÊ NĂM 2024

        Thôn;"Cháy; nổ";Năm
        "A, B";1;2024
        C;2;2024
        """
        #expect(detect(text) == UInt8(ascii: ";"))
        #expect(detect("single column\nvalue\n") == UInt8(ascii: ","))
    }

    @Test func recordsConvenienceDetectsTheDelimiter() {
        let rows = Array("x;y\n1;\"2;3\"\n".utf8).withUnsafeBytes { DelimitedText.records(of: $0) }
        #expect(rows.map(\.cells) == [["x", "y"], ["1", "2;3"]])
        #expect(rows.map(\.line) == [1, 2])
    }
}
