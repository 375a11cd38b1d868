import BinhYenStats
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Measures, on `seriesCount` random count series sharing `years` consecutive years:
//   1. OLSTrend.batched (one dgemm for all series),
//   2. OLSTrend(years:values:) per series (public entry point; includes a Student t quantile per call),
//   3. TrendAnalyzer.summarize per series (OLS + Mann–Kendall with exact p + Theil–Sen; cached quantiles),
//   4. the same on all cores with DispatchQueue.concurrentPerform.
// Reported: wall-clock and process CPU time of the best of three runs (CPU ns per series).

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let seriesCount = arguments.first ?? 100_000
let yearCount = arguments.dropFirst().first ?? 10
let years = Array(2016..<(2016 + yearCount))

/// SplitMix64 (deterministic data).
struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

var generator = Generator(state: 42)
var counts = [Double](repeating: 0, count: seriesCount * yearCount)
for series in 0..<seriesCount {
    let level = Double(generator.next() % 30)
    let trend = Double(Int(generator.next() % 5) - 2) * 0.5
    for t in 0..<yearCount {
        let noise = Double(generator.next() % 7)
        counts[series * yearCount + t] = max(0, (level + trend * Double(t) + noise).rounded(.down))
    }
}

/// CPU time of the whole process (all threads), in seconds.
func processCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Best of three runs: (wall-clock seconds, process CPU seconds). On a shared machine the CPU time
/// is the more reliable measure of the work done.
func seconds(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    var best = (wall: Double.infinity, cpu: Double.infinity)
    for _ in 0..<3 {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = processCPUSeconds()
        try body()
        let cpu = processCPUSeconds() - cpuStart
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if cpu < best.cpu { best = (wall, cpu) }
    }
    return best
}

func report(_ name: String, _ time: (wall: Double, cpu: Double)) {
    let perSeries = time.cpu / Double(seriesCount) * 1e9
    let padded = name + String(repeating: " ", count: max(0, 54 - name.count))
    print("\(padded) wall \(rounded(time.wall, digits: 4)) s  cpu \(rounded(time.cpu, digits: 4)) s  \(rounded(perSeries, digits: 1)) cpu-ns/series")
}

func rounded(_ value: Double, digits: Int) -> Double {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    return (value * scale).rounded() / scale
}

print("BinhYenStats trend benchmark: \(seriesCount) series × \(yearCount) years (release build)")
var checksum = 0.0

let batchedTime = try seconds {
    let result = try OLSTrend.batched(years: years, counts: counts, seriesCount: seriesCount)
    checksum += result.slopes[seriesCount / 2]
}
report("OLS batched (one dgemm)", batchedTime)

let perSeriesTime = try seconds {
    for series in 0..<seriesCount {
        let values = Array(counts[(series * yearCount)..<((series + 1) * yearCount)])
        let fit = try OLSTrend(years: years, values: values)
        checksum += fit.slope ?? 0
    }
}
report("OLS per series (OLSTrend init, qt per call)", perSeriesTime)

let analyzer = TrendAnalyzer.standard
let summaryTime = try seconds {
    try years.withUnsafeBufferPointer { yearBuffer in
        try counts.withUnsafeBufferPointer { all in
            for series in 0..<seriesCount {
                let values = UnsafeBufferPointer(rebasing: all[(series * yearCount)..<((series + 1) * yearCount)])
                let summary = try analyzer.summarize(years: yearBuffer, values: values)
                checksum += summary.senSlope ?? 0
            }
        }
    }
}
report("TrendSummary per series (OLS+MK exact+Sen), 1 thread", summaryTime)

let threads = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
let sharedCounts = counts
let parallelTime = seconds {
    let chunk = (seriesCount + threads - 1) / threads
    DispatchQueue.concurrentPerform(iterations: threads) { worker in
        years.withUnsafeBufferPointer { yearBuffer in
            sharedCounts.withUnsafeBufferPointer { all in
                for series in (worker * chunk)..<min(seriesCount, (worker + 1) * chunk) {
                    let values = UnsafeBufferPointer(rebasing: all[(series * yearCount)..<((series + 1) * yearCount)])
                    _ = try? analyzer.summarize(years: yearBuffer, values: values)
                }
            }
        }
    }
}
report("TrendSummary per series, \(threads) threads", parallelTime)
print("checksum \(checksum)")
