// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "filings",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FilingsCore", targets: ["FilingsCore"]),
        .library(name: "FilingsClient", targets: ["FilingsClient"]),
        .library(name: "FilingsServer", targets: ["FilingsServer"]),
        .library(name: "FilingsParser", targets: ["FilingsParser"]),
        .library(name: "FilingsStore", targets: ["FilingsStore"]),
        .library(name: "FilingsStoreSQLite", targets: ["FilingsStoreSQLite"]),
        .library(name: "FilingsStorePostgres", targets: ["FilingsStorePostgres"]),
        // The properties dev/fuzz.sh fuzzes; not an API.
        .library(name: "FilingsFuzzChecks", targets: ["FilingsFuzzChecks"]),
        .executable(name: "filings", targets: ["filings"]),
        .executable(name: "filings-server", targets: ["filings-server"]),
        .executable(name: "filings-bench", targets: ["filings-bench"]),
    ],
    dependencies: [
        // 1.16.2: LogEvent, for the JSON log handler.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // 1.6: @ParentCommand, for options given before the subcommand.
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.1.0"),
        // The metrics API the libraries record into, and the Prometheus backend filings-server renders with.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        // Only for ByteBuffer, the type of PostgreSQL's bytea values; postgres-nio depends on it already.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        // SHA-256 (BoringSSL's, with the CPU's SHA instructions); postgres-nio depends on it already.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
    ],
    targets: [
        // The system protobuf-c library (libprotobuf-c-dev).
        .systemLibrary(
            name: "CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        // The system SQLite library (libsqlite3-dev, built with FTS5).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // libdeflate (libdeflate-dev): the zlib streams of stored blobs, about three times as fast as zlib itself.
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        // The system libarchive (libarchive-dev): tar, zip and gzip members for `filings store`.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        // glibc's malloc.h (mallopt), which the Glibc module leaves out.
        .systemLibrary(name: "CMalloc"),
        // The FTS5 ranking functions the SQLite store registers (C, because FTS5 calls them back), and the searchable
        // text of a stored filing read back from its blob.
        .target(name: "CFilingsSQLite", dependencies: ["CSQLite", "CDeflate", "CFilingsProto"]),
        // protoc-c's output for Protos/ (generated: dev/generate-protos.sh).
        .target(name: "CFilingsProto", dependencies: ["CProtobufC"]),
        // Message types, codec, framing, status codes, errors: no I/O.
        .target(name: "FilingsCore", dependencies: ["CFilingsProto"]),
        // EDGAR bytes -> ParsedFiling: pure, no I/O; the core, and Crypto for the content hash.
        .target(
            name: "FilingsParser",
            dependencies: ["FilingsCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // What every store backend shares: the FilingStore protocol, queries, page tokens, errors, records.
        .target(
            name: "FilingsStore",
            dependencies: [
                "FilingsCore",
                "CDeflate",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The embedded SQLite store and its migrations.
        .target(
            name: "FilingsStoreSQLite",
            dependencies: [
                "FilingsCore",
                "FilingsStore",
                "CSQLite",
                "CFilingsSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The PostgreSQL store: stateless server replicas over one database.
        .target(
            name: "FilingsStorePostgres",
            dependencies: [
                "FilingsCore",
                "FilingsStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The service handlers (Parse, Store, Query, ...) that the server binary registers.
        .target(
            name: "FilingsServices",
            dependencies: [
                "FilingsCore",
                "FilingsParser",
                "FilingsServer",
                "FilingsStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // The members of tar, zip and gzip files, streamed: what `filings store` reads archives with.
        .target(name: "FilingsArchive", dependencies: ["CArchive"]),
        // POSIX sockets and threads shared by the server and the client.
        .target(name: "FilingsTransport", dependencies: ["FilingsCore", "CMalloc"]),
        .target(
            name: "FilingsServer",
            dependencies: [
                "FilingsCore",
                "FilingsTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "FilingsClient",
            dependencies: [
                "FilingsCore",
                "FilingsTransport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "filings-server",
            dependencies: [
                "FilingsCore",
                "FilingsServer",
                "FilingsServices",
                "FilingsStore",
                "FilingsStoreSQLite",
                "FilingsStorePostgres",
                "FilingsTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "filings",
            dependencies: [
                "FilingsArchive",
                "FilingsClient",
                "FilingsCore",
                "FilingsParser",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Clients/filings"
        ),
        .executableTarget(
            name: "filings-bench",
            dependencies: [
                "FilingsClient",
                "FilingsCore",
                "FilingsParser",
                "FilingsStore",
                "FilingsStoreSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Clients/filings-bench"
        ),
        // What the fuzzers check on each input (dev/fuzz.sh); the tests run it over the committed seeds.
        .target(
            name: "FilingsFuzzChecks",
            dependencies: ["FilingsCore", "FilingsParser", "FilingsStore"],
            path: "dev/fuzz/Checks"
        ),
        // Helpers shared by the test targets.
        .target(name: "FilingsTestSupport", dependencies: ["FilingsCore"], path: "Tests/FilingsTestSupport"),
        .testTarget(
            name: "FilingsCoreTests",
            dependencies: ["FilingsCore", "FilingsFuzzChecks", "FilingsTestSupport"]
        ),
        .testTarget(
            name: "FilingsParserTests",
            dependencies: ["FilingsParser", "FilingsCore", "FilingsTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "FilingsStoreTests",
            dependencies: [
                "FilingsStore",
                "FilingsStoreSQLite",
                "FilingsStorePostgres",
                "FilingsCore",
                "FilingsParser",
                "FilingsTestSupport",
                "FilingsTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(name: "FilingsArchiveTests", dependencies: ["FilingsArchive", "FilingsTestSupport"]),
        // The built binaries end to end: filings and filings-bench against filings-server.
        .testTarget(name: "FilingsCLITests", dependencies: ["FilingsCore", "FilingsTestSupport"]),
        .testTarget(
            name: "FilingsServerTests",
            dependencies: [
                "FilingsServer",
                "FilingsServices",
                "FilingsStore",
                "FilingsStoreSQLite",
                "FilingsParser",
                "FilingsClient",
                "FilingsCore",
                "FilingsTestSupport",
                "FilingsTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system && target.type != .binary {
    guard target.name != "CFilingsProto", target.name != "CFilingsSQLite" else { continue }
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    if Context.environment["CI"] == "true" {
        settings.append(.treatAllWarnings(as: .error))
    }
    target.swiftSettings = settings
}
