// swift-tools-version: 6.1
// A user's app, outside Formation's package, that gets typed Swift for registry types it lists
// (Sources/TypedApp/formation-types.txt) from the FormationTypes build plugin. `make plugin-test`
// copies it to a temporary directory beside a link named `formation` to this checkout, builds it,
// synthesizes and checks the template (scripts/plugin-test.sh).
import PackageDescription

let package = Package(
    name: "typed-app",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: "../formation"),
    ],
    targets: [
        .executableTarget(
            name: "TypedApp",
            dependencies: [
                .product(name: "Formation", package: "formation"),
                .product(name: "FormationResources", package: "formation"),
                .product(name: "FormationCLI", package: "formation"),
            ],
            plugins: [.plugin(name: "FormationTypes", package: "formation")]
        ),
    ]
)
