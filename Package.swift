// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Benchmark-only packages (ordo-one/benchmark with its malloc interposer, sqlite-nio for the driver
/// comparison) are resolved and built only with `ZSCIM_BENCHMARKS=1`, as Hummingbird gates its own:
/// every other build (CI, `swift run zscim demo`) skips them.
let withBenchmarks = ProcessInfo.processInfo.environment["ZSCIM_BENCHMARKS"] == "1"
/// libFuzzer targets (Fuzz/) exist only with `ZSCIM_FUZZ=1`: they are built with
/// `-sanitize=fuzzer,address` into their own scratch path by `Fuzz/run-fuzzers.sh`.
let withFuzzers = ProcessInfo.processInfo.environment["ZSCIM_FUZZ"] == "1"

let package = Package(
    name: "zscim",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SCIMCore", targets: ["SCIMCore"]),
        .library(name: "ZscalerAPI", targets: ["ZscalerAPI"]),
        .library(name: "SCIMBridge", targets: ["SCIMBridge"]),
        .library(name: "SCIMStoreSQLite", targets: ["SCIMStoreSQLite"]),
        .library(name: "SCIMServer", targets: ["SCIMServer"]),
        .library(name: "SCIMBridgeZscaler", targets: ["SCIMBridgeZscaler"]),
        .executable(name: "zscim", targets: ["zscim"]),
        .library(name: "ZscalerEmulator", targets: ["ZscalerEmulator"]),
        .executable(name: "zscaler-emulator", targets: ["zscaler-emulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        // 4.x: 3.12.3's RSA public-key parser frees its key twice when a certificate's RSA key is
        // malformed (an abort, found by Fuzz/FuzzSAML on SAML metadata); 4.x owns the key once.
        .package(url: "https://github.com/apple/swift-crypto.git", "4.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
    ],
    targets: [
        // Pure SCIM engine: JSON, schemas, paths, filters, PATCH, projection. No I/O beyond reading schema files.
        .target(name: "SCIMCore"),
        .testTarget(
            name: "SCIMCoreTests",
            dependencies: [
                "SCIMCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // The domain: tenants, tokens, the store protocol, the SCIM service (validate, apply, persist).
        .target(
            name: "SCIMBridge",
            dependencies: [
                "SCIMCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The embedded default store.
        .target(
            name: "SCIMStoreSQLite",
            dependencies: ["SCIMBridge", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The Zscaler side of the bridge: tenant connections (sealed credentials), the SCIM → ZIA
        // mapping and the per-tenant reconciler that drains the store's dirty rows into ZIA.
        .target(
            name: "SCIMBridgeZscaler",
            dependencies: [
                "SCIMBridge", "ZscalerAPI", "SAMLMetadata",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // Release builds compile this module file by file: with whole-module optimisation the
            // Swift 6.3.1 optimiser did not finish (14 CPU-minutes in one swift-frontend, 2026-12-03),
            // while file-by-file -O takes under a minute. The reconciler is paced by Zscaler's rate
            // limits, not by cross-file inlining.
            swiftSettings: [.unsafeFlags(["-no-whole-module-optimization"], .when(configuration: .release))]
        ),
        .testTarget(
            name: "SCIMBridgeZscalerTests",
            dependencies: [
                "SCIMBridgeZscaler", "SCIMStoreContract", "SCIMStoreSQLite", "SCIMServer", "ZscalerEmulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // HTTP: routes, auth, content types, errors, discovery, health.
        .target(
            name: "SCIMServer",
            dependencies: ["SCIMBridge", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        // The zscim command line; subcommands live in folders (Serve/, Tenant/, Metadata/, …).
        .executableTarget(
            name: "zscim",
            dependencies: [
                "SCIMServer", "SCIMStoreSQLite", "SAMLMetadata", "SCIMBridgeZscaler", "ZscalerEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The checks every DirectoryStore must pass; run by each store's tests.
        .target(
            name: "SCIMStoreContract",
            dependencies: ["SCIMBridge"],
            path: "Tests/SCIMStoreContract"
        ),
        .testTarget(
            name: "SCIMStoreSQLiteTests",
            dependencies: ["SCIMStoreSQLite", "SCIMStoreContract"]
        ),
        // The SCIM service and the reconciler's decisions on the in-memory store (fast, no I/O).
        .testTarget(
            name: "SCIMBridgeTests",
            dependencies: ["SCIMBridge", "SCIMStoreContract"]
        ),
        .testTarget(
            name: "SCIMServerTests",
            dependencies: [
                "SCIMServer", "SCIMStoreSQLite", "SCIMStoreContract",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // HTTP client for the Zscaler admin APIs (ZIA legacy + OneAPI, ZPA, ZPA SCIM): auth, models, rate
        // limiter, retries, paging. Knows nothing of SCIM the bridge speaks; only of Zscaler's wire.
        .target(
            name: "ZscalerAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ZscalerAPITests",
            dependencies: [
                "ZscalerAPI",
                // Integration tests run the real emulator in-process over loopback sockets.
                "ZscalerEmulator",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Helpers more than one test target uses (one copy, not one per suite).
        .target(
            name: "TestSupport",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport"
        ),
        // Measures ZscalerAPI's pacing (calls/s achieved vs the configured limit, violations counted by
        // the emulator) by running the client flat out against the in-process emulator.
        .executableTarget(
            name: "zscaler-api-pacing",
            dependencies: [
                "ZscalerAPI",
                "ZscalerEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ZscalerAPIPacing"
        ),
        // libxml2 from the system (Debian: libxml2-dev). Only SAMLMetadata imports it.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        // Hardened SAML metadata parsing (the only target that sees a C pointer), the metadata
        // model, certificates, and the Zscaler cloud / org / base-URL inference.
        .target(
            name: "SAMLMetadata",
            dependencies: [
                "CLibXML2",
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        // Fixtures are read by path (hostile files must not be rewritten by a resource step).
        .testTarget(name: "SAMLMetadataTests", dependencies: ["SAMLMetadata"], exclude: ["Fixtures"]),
        // A faithful fake of the Zscaler admin APIs the bridge calls (ZIA legacy + OneAPI, ZPA, ZPA SCIM),
        // with its own wire types so it cannot share a misunderstanding with ZscalerAPI.
        .target(
            name: "ZscalerEmulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        .executableTarget(
            name: "zscaler-emulator",
            dependencies: [
                "ZscalerEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ZscalerEmulatorTests",
            dependencies: [
                "ZscalerEmulator",
                "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Load test (Benchmarks/load/run-load.sh). The two executables live one level below
        // Benchmarks/ on purpose: the benchmark plugin runs every executable whose parent folder
        // is Benchmarks/ as a benchmark.
        // Seeds a large tenant through the product store (SQLiteDirectoryStore).
        .executableTarget(
            name: "LoadSeeder",
            dependencies: [
                "SCIMBridge", "SCIMStoreSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/load/LoadSeeder"
        ),
        // Issue 7's bridge benchmark: SCIM load through `zscim serve` into the emulator; calls, convergence,
        // violations, latency, deactivation under a backlog.
        .executableTarget(
            name: "BridgeConvergence",
            dependencies: [
                "SCIMBridge", "SCIMBridgeZscaler", "SCIMStoreSQLite", "ZscalerEmulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/bridge/BridgeConvergence"
        ),
        // The ceiling: a minimal Hummingbird server answering a static body of a requested size.
        .executableTarget(
            name: "LoadBaseline",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/load/LoadBaseline"
        ),
    ],
    swiftLanguageModes: [.v6]
)

if withBenchmarks {
    package.dependencies += [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.0.0"),
    ]
    package.targets += [
        .executableTarget(
            name: "SCIMCoreBenchmarks",
            dependencies: [
                "SCIMCore",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SCIMCoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // GRDB vs sqlite-nio on the store's schema and hot-path statements (issue 3, item 7).
        .executableTarget(
            name: "StoreDriverBenchmarks",
            dependencies: [
                "SCIMStoreSQLite",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ],
            path: "Benchmarks/StoreDriverBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
}

if withFuzzers {
    // Fuzz/: one libFuzzer entry point (LLVMFuzzerTestOneInput) per target; see Fuzz/README.md.
    package.targets += [
        // libFuzzer's driver entry (LLVMFuzzerRunDriver) for the `main` each target defines.
        .target(name: "FuzzDriver", path: "Fuzz/Driver"),
        // Schemas, fixtures and the finding helper every target shares.
        .target(name: "FuzzSupport", dependencies: ["FuzzDriver", "SCIMCore"], path: "Fuzz/Support"),
        .executableTarget(
            name: "FuzzJSON", dependencies: ["FuzzSupport", "SCIMCore"], path: "Fuzz/FuzzJSON", exclude: ["seeds", "regressions"]),
        .executableTarget(
            name: "FuzzFilter", dependencies: ["FuzzSupport", "SCIMCore"], path: "Fuzz/FuzzFilter", exclude: ["seeds", "regressions"]),
        .executableTarget(
            name: "FuzzPatch", dependencies: ["FuzzSupport", "SCIMCore"], path: "Fuzz/FuzzPatch", exclude: ["seeds", "regressions"]),
        .executableTarget(
            name: "FuzzBulk",
            dependencies: [
                "FuzzSupport", "SCIMCore", "SCIMBridge", "SCIMStoreContract", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Fuzz/FuzzBulk", exclude: ["seeds", "regressions"]),
        .executableTarget(
            name: "FuzzSAML", dependencies: ["FuzzSupport", "SAMLMetadata"], path: "Fuzz/FuzzSAML", exclude: ["seeds", "regressions"]),
    ]
}
