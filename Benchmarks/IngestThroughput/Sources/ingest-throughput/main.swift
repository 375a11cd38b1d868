// Measures, on one file: loading the bytes, the byte-level record scan alone (every field
// range of every record, no strings), and the whole ingest into a Panel. Prints the median of
// the repetitions in seconds and MB/s (1 MB = 10^6 bytes).
import BinhYenIngest
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: ingest-throughput FILE [repetitions]")
    exit(64)
}
let path = arguments[1]
if arguments.count > 2 && arguments[2] == "show" {
    // Diagnostics and accounts only (for looking at real files).
    let result = Ingest.read(paths: Array(arguments[1...].filter { $0 != "show" }))
    for diagnostic in result.diagnostics.prefix(60) { print(diagnostic.rendered(.en)) }
    if result.diagnostics.count > 60 { print("… \(result.diagnostics.count - 60) more") }
    for account in result.accounts { print(account) }
    print("units \(result.panel.units.count), series \(result.panel.series.count), years \(result.panel.years)")
    exit(0)
}
let repetitions = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 5) : 5
/// "scan", "ingest" or "lean" (ingest without sources) to time only one part; otherwise all.
let only = arguments.count > 3 ? arguments[3] : ""

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

guard let data = FileManager.default.contents(atPath: path) else {
    print("cannot read \(path)")
    exit(66)
}
let bytes = [UInt8](data)
let megabytes = Double(bytes.count) / 1e6

var scanTimes: [Double] = []
var records = 0
var fieldCount = 0
for _ in 0..<(only == "ingest" || only == "lean" ? 0 : repetitions) {
    scanTimes.append(seconds {
        bytes.withUnsafeBytes { text in
            var cursor = DelimitedCursor(text, delimiter: DelimitedText.detectDelimiter(in: text))
            var fields: [FieldSpan] = []
            var n = 0
            var f = 0
            while cursor.next(into: &fields) {
                n += 1
                f += fields.count
            }
            records = n
            fieldCount = f
        }
    })
}

var summary = ""
// The result is released outside the timed part (a command line tool exits without freeing it).
@MainActor func timeIngest(_ options: IngestOptions) -> [Double] {
    var times: [Double] = []
    for _ in 0..<(only == "scan" ? 0 : repetitions) where !(only == "lean" && options.keepSources) {
        var result: IngestResult?
        times.append(seconds { result = Ingest.read(paths: [path], options: options) })
        if let result, let account = result.accounts.first {
            summary = "rows \(account.rowsRead), accepted \(account.accepted), units \(result.panel.units.count), "
                + "series \(result.panel.series.count), diagnostics \(result.diagnostics.count)"
        }
    }
    return times
}
let ingestTimes = only == "lean" ? [0] : timeIngest(IngestOptions())
let leanTimes = only.isEmpty || only == "lean" ? timeIngest(IngestOptions(keepSources: false)) : [0]

let scan = median(scanTimes)
let full = median(ingestTimes)
print(String(format: "fastest: scan %.3f s, ingest %.3f s, without sources %.3f s", scanTimes.min() ?? 0, ingestTimes.min() ?? 0,
             leanTimes.min() ?? 0))
print(String(format: "file: %@ (%.1f MB, %d records, %d fields)", path, megabytes, records, fieldCount))
print(String(format: "record scan (DelimitedCursor): %.3f s median of %d, %.0f MB/s, %.1f M records/s",
             scan, repetitions, megabytes / scan, Double(records) / scan / 1e6))
print(String(format: "full ingest (Ingest.read → Panel): %.3f s median of %d, %.0f MB/s, %.2f M rows/s",
             full, repetitions, megabytes / full, Double(records) / full / 1e6))
print(String(format: "full ingest without YearValue.sources: %.3f s median, %.0f MB/s", median(leanTimes), megabytes / median(leanTimes)))
print(summary)
