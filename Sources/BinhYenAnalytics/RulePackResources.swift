import Foundation

/// Finds the shipped rule packs without ever trapping.
///
/// SwiftPM copies `Sources/BinhYenAnalytics/RulePacks` into the resource bundle
/// `BinhYen_BinhYenAnalytics.resources`, placed next to the built executable and test runner.
/// The generated `Bundle.module` accessor calls `fatalError` when that bundle is absent (for
/// example an executable copied without it), so this lookup searches the same places itself and
/// reports a missing bundle as an error instead:
///
/// 1. the folder named by the environment variable `BINHYEN_RESOURCES`, if set;
/// 2. the directory of the main bundle (what `Bundle.module` checks first);
/// 3. the directory of the executable after resolving symbolic links;
/// 4. `../share/binhyen/` relative to that directory (a `make install` layout).
enum RulePackResources {
    static let bundleName = "BinhYen_BinhYenAnalytics.resources"
    static let environmentVariable = "BINHYEN_RESOURCES"

    /// Candidate bundle folders, most specific first.
    static var candidateBundles: [URL] {
        var folders: [URL] = []
        if let override = ProcessInfo.processInfo.environment[environmentVariable], !override.isEmpty {
            folders.append(URL(fileURLWithPath: override))
        }
        folders.append(Bundle.main.bundleURL)
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let directory = executable.deletingLastPathComponent()
            folders.append(directory)
            folders.append(directory.deletingLastPathComponent().appendingPathComponent("share/binhyen"))
        }
        var bundles = folders.map { $0.appendingPathComponent(bundleName) }
        // The override may also point at the bundle itself.
        if let override = ProcessInfo.processInfo.environment[environmentVariable], !override.isEmpty {
            bundles.insert(URL(fileURLWithPath: override), at: 0)
        }
        return bundles
    }

    /// URL of `RulePacks/<id>.toml` in the first candidate bundle that has it, or nil.
    static func url(forPack id: String) -> URL? {
        for bundle in candidateBundles {
            let file = bundle.appendingPathComponent("RulePacks").appendingPathComponent(id + ".toml")
            if FileManager.default.isReadableFile(atPath: file.path) { return file }
        }
        return nil
    }
}
