// swift-tools-version: 6.1
// libFuzzer targets for BinhYen's readers of untrusted input (issue 9).
//
// A package of its own so that `swift build` and CI of the main package never build it.
// Build and run with `make fuzz` (see docs/guides/Fuzzing.md), which builds each product with
//   swift build -c release --package-path Fuzz --scratch-path .build-fuzz --product TARGET \
//     --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing
// (`-enable-testing` lets FuzzDecoding reach the internal decoders through `@testable import`).
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder, so the products of the main package are
/// found under the name of the folder this checkout lives in (`binhyen`, a worktree's name…),
/// which must not be `fuzz`: that is this package's own name.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "BinhYenFuzz",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "FuzzChecks",
            dependencies: [.product(name: "BinhYenIngest", package: root)],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "FuzzDelimited",
            dependencies: ["FuzzChecks", .product(name: "BinhYenIngest", package: root)],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "FuzzWorkbook",
            dependencies: [
                "FuzzChecks", .product(name: "BinhYenIngest", package: root),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "FuzzDecoding",
            dependencies: [.product(name: "BinhYenIngest", package: root)],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "FuzzRulePack",
            dependencies: [.product(name: "BinhYenAnalytics", package: root)],
            swiftSettings: strict
        ),
    ]
)
