// swift-tools-version: 6.1
// BinhYen — statistics and trend analysis for commune security-and-order data.
//
// Layers (dependencies point one way):
//   binhyen (CLI) → BinhYenIngest, BinhYenReport
//   BinhYenReport → BinhYenAnalytics → BinhYenStats → COpenBLAS
//   BinhYenIngest, BinhYenAnalytics, BinhYenReport → BinhYenCore (domain model)
// BinhYenStats knows nothing of files, villages or Foundation.
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "BinhYen",
    products: [
        .executable(name: "binhyen", targets: ["binhyen"]),
        .library(name: "BinhYenStats", targets: ["BinhYenStats"]),
        .library(name: "BinhYenCore", targets: ["BinhYenCore"]),
        .library(name: "BinhYenIngest", targets: ["BinhYenIngest"]),
        .library(name: "BinhYenAnalytics", targets: ["BinhYenAnalytics"]),
        .library(name: "BinhYenReport", targets: ["BinhYenReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .target(name: "BinhYenStats", dependencies: ["COpenBLAS"], swiftSettings: strict),
        .target(name: "BinhYenCore", swiftSettings: strict),
        .target(
            name: "BinhYenIngest",
            dependencies: ["BinhYenCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        .target(
            name: "BinhYenAnalytics",
            dependencies: ["BinhYenCore", "BinhYenStats"],
            resources: [.copy("RulePacks")],
            swiftSettings: strict
        ),
        .target(name: "BinhYenReport", dependencies: ["BinhYenCore", "BinhYenAnalytics"], swiftSettings: strict),
        .executableTarget(
            name: "binhyen",
            dependencies: [
                "BinhYenIngest", "BinhYenAnalytics", "BinhYenReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .target(name: "BinhYenTestSupport", dependencies: ["BinhYenCore"], path: "Tests/BinhYenTestSupport", swiftSettings: strict),
        .testTarget(name: "BinhYenStatsTests", dependencies: ["BinhYenStats", "BinhYenTestSupport"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "BinhYenCoreTests", dependencies: ["BinhYenCore"], swiftSettings: strict),
        .testTarget(
            name: "BinhYenIngestTests",
            dependencies: ["BinhYenIngest", "BinhYenTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BinhYenAnalyticsTests",
            dependencies: ["BinhYenAnalytics", "BinhYenTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
        .testTarget(name: "BinhYenReportTests", dependencies: ["BinhYenReport", "BinhYenTestSupport"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "BinhYenCLITests",
            dependencies: ["binhyen", "BinhYenTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
    ]
)
