// swift-tools-version: 6.1
// A user's app, outside Formation's package, that gets typed Swift for the registry types it lists
// (Sources/TypedAppTypes/formation-types.txt) from the FormationTypes build plugin. The list sits
// in a library target of its own, so that editing a stack does not recompile the generated code.
// `make plugin-test` copies this package to a temporary directory beside a link named `formation`
// to this checkout, builds it, synthesizes and checks the template (scripts/plugin-test.sh).
import PackageDescription

let package = Package(
    name: "typed-app",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: "../formation"),
    ],
    targets: [
        .target(
            name: "TypedAppTypes",
            dependencies: [
                .product(name: "Formation", package: "formation"),
                .product(name: "FormationResources", package: "formation"),
            ],
            plugins: [.plugin(name: "FormationTypes", package: "formation")]
        ),
        .executableTarget(
            name: "TypedApp",
            dependencies: [
                "TypedAppTypes",
                .product(name: "Formation", package: "formation"),
                .product(name: "FormationResources", package: "formation"),
                .product(name: "FormationCLI", package: "formation"),
            ]
        ),
    ]
)
