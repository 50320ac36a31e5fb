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
        .library(name: "FormationConstructs", targets: ["FormationConstructs"]),
        .library(name: "FormationTesting", targets: ["FormationTesting"]),
        .library(name: "FormationAssets", targets: ["FormationAssets"]),
        .library(name: "FormationResources", targets: ["FormationResources"]),
        .library(name: "FormationRegistry", targets: ["FormationRegistry"]),
        .library(name: "FormationFuzz", targets: ["FormationFuzz"]),
        .executable(name: "formation-codegen", targets: ["formation-codegen"]),
        // Typed Swift for the registry types a target lists in its formation-types.txt.
        .plugin(name: "FormationTypes", targets: ["FormationTypes"]),
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

        // The CloudFormation registry as data: the bundle (data/registry/registry.bin, written by
        // `make schemas`) embedded by an assembler .incbin (no Swift or C source to compile), and
        // zlib to inflate one schema at a time.
        .target(name: "CFormationRegistry", linkerSettings: [.linkedLibrary("z")]),
        // The registry's reader, schema documents, the schema-to-rules compiler and the engine
        // that validates properties against registry schemas.
        .target(name: "FormationRegistry", dependencies: ["FormationTemplate", "CFormationRegistry"]),

        // The DSL core: app, stacks, constructs, values, synthesis and validation.
        .target(name: "Formation", dependencies: ["FormationTemplate", "FormationRegistry"]),

        // Hand-written constructs that make the seed articles' gotchas impossible.
        .target(name: "FormationConstructs", dependencies: ["Formation", "FormationResources", "FormationAssets"]),
        // Deterministic code assets: SHA-256, CRC-32, reproducible ZIPs, inline-or-zip packaging.
        .target(name: "FormationAssets", dependencies: ["Formation"]),
        // Typed resources generated from the CloudFormation registry schemas (Generated/, never
        // edited by hand).
        .target(name: "FormationResources", dependencies: ["Formation"]),

        // The code generator as a library (so tests can check that generated code is current)
        // and its command line: `make codegen`.
        .target(name: "FormationCodegen", dependencies: ["FormationTemplate", "FormationRegistry"]),
        .executableTarget(name: "formation-codegen", dependencies: ["FormationCodegen"]),
        // The build-tool plugin that runs formation-codegen over a target's formation-types.txt
        // (README: "Typed Swift for any registry type").
        .plugin(name: "FormationTypes", capability: .buildTool(), dependencies: ["formation-codegen"]),

        // The command line as a library: `FormationCLI.main(app)`.
        .target(
            name: "FormationCLI",
            dependencies: [
                "Formation",
                // The example app `formation init` writes (and synthesizes for its snapshots).
                "FormationResources",
                // `formation import`: templates to typed Swift, from the generator's type models.
                "FormationCodegen",
                "CSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The one C call Swift's Glibc module does not expose (syncfs, behind _GNU_SOURCE).
        .target(name: "CSystem"),

        // What a user's tests need: template assertions and snapshot comparison.
        .target(name: "FormationTesting", dependencies: ["Formation", "FormationTemplate"]),

        // This repository's app: the stacks, per environment.
        // The Lambda functions' Python code under stacks/functions/ is packaged by FormationAssets,
        // not compiled.
        .target(name: "Stacks", dependencies: ["Formation", "FormationResources", "FormationConstructs", "FormationAssets"], path: "stacks",
                exclude: ["functions"]),

        // The `formation` executable for this repository's app.
        .executableTarget(name: "formation", dependencies: ["FormationCLI", "Stacks"]),

        // The benchmark (`make bench`; BENCHMARKS.md): not part of the product, not run by `make test`.
        .executableTarget(name: "formation-bench", dependencies: ["Stacks", "FormationConstructs"]),

        // The fuzz targets (`make fuzz`, FUZZING.md). libFuzzer's entry point is a package of its
        // own (fuzz/Package.swift), so that its build flags reach nothing else.
        .target(name: "FormationFuzz", dependencies: ["Formation"]),

        // An app for the command-line tests: one stack per behaviour (warnings, errors, IAM, size).
        .executableTarget(
            name: "formation-cli-testapp",
            dependencies: ["FormationCLI", "Formation", "FormationConstructs"],
            path: "Tests/CLITestApp"
        ),

        // Helpers shared by test targets (a seeded random number generator).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "FormationTemplateTests", dependencies: ["FormationTemplate", "CJSONC", "TestSupport"], exclude: ["pyyaml_crosscheck.py", "pyyaml_positions.py"]),
        .testTarget(name: "FormationTests", dependencies: ["Formation", "TestSupport"]),
        // Every committed fuzzing seed and finding through every fuzz target.
        .testTarget(name: "FormationFuzzTests", dependencies: ["FormationFuzz"]),
        .testTarget(name: "FormationConstructsTests", dependencies: ["FormationConstructs", "FormationTesting", "FormationAssets"]),
        .testTarget(name: "FormationTestingTests", dependencies: ["FormationTesting", "Formation", "FormationTemplate"]),
        .testTarget(name: "FormationAssetsTests", dependencies: ["FormationAssets"]),
        // `formation import`'s code generator: the Swift for each template feature.
        .testTarget(name: "FormationImportTests", dependencies: ["FormationCodegen", "FormationTemplate"]),
        // This repository's stacks: least privilege, wiring, settings errors, snapshots, cfn-lint.
        .testTarget(name: "StackTests", dependencies: ["Stacks", "FormationConstructs", "FormationTesting", "FormationAssets"]),
        // This repository's function code, packaged as the stacks will package it.
        .testTarget(name: "FunctionCodeTests", dependencies: ["Stacks", "FormationAssets"]),
        // Runs the real `formation` and `formation-cli-testapp` processes (built as dependencies);
        // FormationTesting and Stacks to prove `formation snapshot` writes what `Snapshots` reads.
        .testTarget(
            name: "FormationCLITests",
            dependencies: ["FormationCLI", "Formation", "FormationTesting", "Stacks", "formation", "formation-cli-testapp"],
            // Templates `formation import` reads (ImportFixtures/README.md names their origin).
            exclude: ["ImportFixtures"]
        ),
        .testTarget(name: "FormationResourcesTests", dependencies: ["FormationResources", "FormationRegistry", "FormationCodegen", "Stacks", "TestSupport"],
                    exclude: ["Fixtures"]),
        // Registry types outside FormationResources, typed by the FormationTypes plugin from the
        // target's formation-types.txt (five services): compiled, synthesized and validated.
        .testTarget(name: "TypedServicesTests", dependencies: ["Formation", "FormationResources"],
                    plugins: ["FormationTypes"]),
    ]
)
