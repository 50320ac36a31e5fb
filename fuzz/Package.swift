// swift-tools-version: 6.1
// libFuzzer's callback for Formation's fuzz targets (Sources/FormationFuzz in the package above;
// FUZZING.md). `make fuzz-build` compiles it and what it calls with -sanitize=fuzzer,address and
// links the objects with swiftc itself: SwiftPM gives an executable a main of its own, and
// libFuzzer's must be the program's. A package of its own, so those flags reach nothing else.
import PackageDescription

let package = Package(
    name: "FormationFuzzing",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Formation", path: "..")],
    targets: [
        .target(name: "FuzzEntry", dependencies: [.product(name: "FormationFuzz", package: "Formation")]),
    ]
)
