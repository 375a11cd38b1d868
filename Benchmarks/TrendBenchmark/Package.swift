// swift-tools-version: 6.1
// Benchmark of BinhYenStats trend computations; a separate package so that `swift build` and
// `swift test` of BinhYen never build it. Run from this directory:
//
//     swift run -c release TrendBenchmark [seriesCount] [years]
import PackageDescription

let package = Package(
    name: "TrendBenchmark",
    dependencies: [
        .package(name: "BinhYen", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "TrendBenchmark",
            dependencies: [.product(name: "BinhYenStats", package: "BinhYen")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
