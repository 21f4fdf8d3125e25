// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "kraamzorg",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kraamzorg-server", targets: ["KraamzorgServer"]),
    ],
    targets: [
        // C shims
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "CLinuxSystem"),

        // Layers, one job each
        .target(name: "KraamzorgRules", swiftSettings: strict),
        .target(name: "Hashing", swiftSettings: strict),
        // Its buffer lives in a class; exclusivity is checked by construction (one encoder per call, never shared).
        .target(name: "JSONOutput", swiftSettings: strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "HTTPServer", dependencies: ["CLinuxSystem", "JSONOutput"], swiftSettings: strict),
        .target(name: "PostgresClient", dependencies: ["CLibPQ"], swiftSettings: strict),
        .target(name: "SMTPClient", swiftSettings: strict),
        .target(name: "KraamzorgStore",
                dependencies: ["PostgresClient", "KraamzorgRules", "Hashing"],
                swiftSettings: strict),
        .target(name: "KraamzorgAPI",
                dependencies: ["HTTPServer", "KraamzorgStore", "KraamzorgRules", "Hashing", "PostgresClient", "KraamzorgJobs", "JSONOutput"],
                swiftSettings: strict),
        .target(name: "KraamzorgJobs",
                dependencies: ["KraamzorgStore", "KraamzorgRules", "PostgresClient", "Hashing", "HTTPServer", "SMTPClient"],
                swiftSettings: strict),
        .executableTarget(name: "KraamzorgServer",
                          dependencies: ["KraamzorgAPI", "KraamzorgStore", "KraamzorgJobs", "SMTPClient", "HTTPServer", "PostgresClient", "CLinuxSystem"],
                          swiftSettings: strict),
        .executableTarget(name: "RulesBenchmark", dependencies: ["KraamzorgRules"],
                          path: "Benchmarks/RulesBenchmark", swiftSettings: strict),
        .executableTarget(name: "JSONBenchmark", dependencies: ["JSONOutput", "KraamzorgRules"],
                          path: "Benchmarks/JSONBenchmark", swiftSettings: strict),
        .executableTarget(name: "HTTPBenchServer", dependencies: ["HTTPServer"],
                          path: "Benchmarks/HTTPBenchServer", swiftSettings: strict),

        // Test-only helpers and suites
        .target(name: "TestSupport", dependencies: ["CLinuxSystem"], swiftSettings: strict),
        .testTarget(name: "KraamzorgRulesTests", dependencies: ["KraamzorgRules"], swiftSettings: strict),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"], swiftSettings: strict),
        .testTarget(name: "JSONOutputTests", dependencies: ["JSONOutput", "KraamzorgRules"], swiftSettings: strict),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "KraamzorgAPITests",
                    dependencies: ["KraamzorgAPI", "KraamzorgStore", "KraamzorgRules", "HTTPServer", "PostgresClient", "Hashing", "TestSupport",
                                   "KraamzorgJobs", "SMTPClient"],
                    swiftSettings: strict),
        .testTarget(name: "KraamzorgJobsTests", dependencies: ["SMTPClient", "TestSupport"], swiftSettings: strict),
    ]
)
