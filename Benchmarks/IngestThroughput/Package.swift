// swift-tools-version: 6.1
// Throughput harness for BinhYenIngest (not part of the main build or the tests).
//   cd Benchmarks/IngestThroughput && swift build -c release
//   .build/release/ingest-throughput FILE.csv [repetitions]
import PackageDescription

let package = Package(
    name: "ingest-throughput",
    dependencies: [.package(name: "BinhYen", path: "../..")],
    targets: [
        .executableTarget(
            name: "ingest-throughput",
            dependencies: [.product(name: "BinhYenIngest", package: "BinhYen")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
