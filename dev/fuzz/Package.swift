// swift-tools-version:6.2
// libFuzzer drivers for the checks in dev/fuzz/Checks (the FilingsFuzzChecks library of the main package): the
// frame decoder with the preface, every request decoder, the parser, the search grammar. Built only by
// dev/fuzz.sh, with AddressSanitizer and coverage instrumentation; `swift build` of the main package never sees it.
import PackageDescription

let fuzzTargets = ["fuzz-frames", "fuzz-messages", "fuzz-parser", "fuzz-search"]

let package = Package(
    name: "filings-fuzz",
    dependencies: [.package(name: "filings", path: "../..")],
    targets: [
        .target(name: "CFuzzer"),
        .target(name: "FuzzDriver", dependencies: ["CFuzzer"], swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
        + fuzzTargets.map { name in
            .executableTarget(
                name: name,
                dependencies: ["FuzzDriver", .product(name: "FilingsFuzzChecks", package: "filings")],
                swiftSettings: [.swiftLanguageMode(.v6)]
            )
        }
)
