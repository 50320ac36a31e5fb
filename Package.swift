// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Formation",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "formation", targets: ["formation"]),
        .library(name: "Formation", targets: ["Formation"]),
        .library(name: "FormationTemplate", targets: ["FormationTemplate"]),
        .library(name: "FormationCLI", targets: ["FormationCLI"]),
        .library(name: "FormationResources", targets: ["FormationResources"]),
        .executable(name: "formation-codegen", targets: ["formation-codegen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // System libraries: libyaml (YAML emit/parse) and json-c (JSON emit/parse).
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),

        // The CloudFormation document as data, with JSON and YAML emit and parse.
        .target(name: "FormationTemplate", dependencies: ["CYAML", "CJSONC"]),

        // The DSL core: app, stacks, constructs, values, synthesis and validation.
        .target(name: "Formation", dependencies: ["FormationTemplate"]),

        // Typed resources generated from the CloudFormation registry schemas (Generated/, never
        // edited by hand) and the engine that applies the schemas' rules at synthesis.
        .target(name: "FormationResources", dependencies: ["Formation"]),

        // The code generator as a library (so tests can check that generated code is current)
        // and its command line: `make codegen`.
        .target(name: "FormationCodegen", dependencies: ["FormationTemplate"]),
        .executableTarget(name: "formation-codegen", dependencies: ["FormationCodegen"]),

        // The command line as a library: `FormationCLI.main(app)`.
        .target(
            name: "FormationCLI",
            dependencies: [
                "Formation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // This repository's app: the stacks, per environment.
        .target(name: "Stacks", dependencies: ["Formation", "FormationResources"], path: "stacks"),

        // The `formation` executable for this repository's app.
        .executableTarget(name: "formation", dependencies: ["FormationCLI", "Stacks"]),

        .testTarget(name: "FormationTemplateTests", dependencies: ["FormationTemplate"]),
        .testTarget(name: "FormationTests", dependencies: ["Formation"]),
        .testTarget(name: "FormationResourcesTests", dependencies: ["FormationResources", "FormationCodegen", "Stacks"],
                    exclude: ["Fixtures"]),
    ]
)
