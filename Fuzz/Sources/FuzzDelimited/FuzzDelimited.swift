import BinhYenIngest
import FuzzChecks

/// libFuzzer entry point: reads the input as a CSV/TSV file, the way `binhyen check` reads one
/// (encoding detection, delimiter detection, header and layout detection, values, panel).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    IngestChecks.check(Ingest.read(bytes: bytes, name: "fuzz.csv", options: IngestChecks.options))
    return 0
}
