// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "zscim",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SCIMCore", targets: ["SCIMCore"])
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
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
        .executableTarget(
            name: "SCIMCoreBenchmarks",
            dependencies: [
                "SCIMCore",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SCIMCoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
