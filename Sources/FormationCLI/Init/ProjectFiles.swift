/// The files of a new Formation app, as `formation init` writes them (besides the snapshots,
/// which come from synthesizing `InitExample`).
struct ProjectFiles {
    /// The app's name: the package, the executable, `<name>Stacks` and the stacks' prefix.
    let name: String
    /// How Package.swift names Formation.
    let dependency: Dependency

    /// Where the new package gets Formation from.
    enum Dependency {
        /// The published package, from this version on.
        case url(String, from: String)
        /// A local checkout (`--formation-path`).
        case path(String)

        /// The identity SwiftPM gives the package: the last path component, lowercased, without
        /// `.git`; `.product(name:package:)` must name it.
        var identity: String {
            let location: String
            switch self {
            case .url(let url, _): location = url
            case .path(let path): location = path
            }
            var last = location.split(separator: "/").last.map(String.init) ?? location
            if last.hasSuffix(".git") { last.removeLast(4) }
            return last.lowercased()
        }

        /// The `.package(...)` line.
        var declaration: String {
            switch self {
            case .url(let url, let version): ".package(url: \(ProjectFiles.quoted(url)), from: \(ProjectFiles.quoted(version)))"
            case .path(let path): ".package(path: \(ProjectFiles.quoted(path)))"
            }
        }
    }

    /// A Swift string literal of `text` (a path may hold quotes or backslashes).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Every file, as (path relative to the project, contents), in a fixed order.
    var files: [(path: String, contents: String)] {
        [
            ("Package.swift", packageSwift),
            ("Sources/\(name)/main.swift", mainSwift),
            ("Sources/\(name)Stacks/App.swift", appSwift),
            ("Sources/\(name)Stacks/ExampleStack.swift", exampleStack),
            ("Tests/\(name)StacksTests/\(name)StacksTests.swift", testsSwift),
            ("README.md", readme),
            (".gitignore", gitignore),
            (".ci/run", ciRun),
        ]
    }

    var packageSwift: String {
        packageSwift(appComment: "The app: its stacks, per environment.")
    }

    /// Package.swift with the app's comment `appComment`; with `typesModule`, a target of that
    /// name typed by the FormationTypes plugin, which the stacks depend on (`init --from`).
    func packageSwift(appComment: String, typesModule: String? = nil) -> String {
        let package = dependency.identity
        let typesTarget = typesModule.map { module in """
                    // Typed Swift for the registry types in formation-types.txt (FormationTypes plugin).
                    .target(
                        name: "\(module)",
                        dependencies: [
                            .product(name: "Formation", package: "\(package)"),
                            .product(name: "FormationResources", package: "\(package)"),
                        ],
                        plugins: [.plugin(name: "FormationTypes", package: "\(package)")]
                    ),

            """ } ?? ""
        let typesDependency = typesModule.map { "\n                \"\($0)\"," } ?? ""
        return """
            // swift-tools-version: 6.1
            import PackageDescription

            let package = Package(
                name: "\(name)",
                platforms: [.macOS(.v14)],
                dependencies: [
                    \(dependency.declaration),
                ],
                targets: [
            \(typesTarget)        // \(appComment)
                    .target(
                        name: "\(name)Stacks",
                        dependencies: [\(typesDependency)
                            .product(name: "Formation", package: "\(package)"),
                            .product(name: "FormationResources", package: "\(package)"),
                        ]
                    ),
                    // The command line: `swift run \(name) synth --out out`.
                    .executableTarget(
                        name: "\(name)",
                        dependencies: [
                            "\(name)Stacks",
                            .product(name: "FormationCLI", package: "\(package)"),
                        ]
                    ),
                    .testTarget(
                        name: "\(name)StacksTests",
                        dependencies: [
                            "\(name)Stacks",
                            .product(name: "FormationTesting", package: "\(package)"),
                        ]
                    ),
                ]
            )

            """
    }

    var mainSwift: String {
        """
        import FormationCLI
        import \(name)Stacks

        // `swift run \(name) --help` lists the commands: synth, validate, list, diff, snapshot, ...
        FormationCLI.main { \(name)App.make() }

        """
    }

    var appSwift: String {
        """
        import Formation

        /// One deployment environment and what differs between environments.
        public struct Environment: Sendable {
            public var name: String
            /// Where the stacks deploy: every resource type must exist in each region.
            public var regions: [String]
            public var logRetentionDays: Int

            public static let dev = Environment(name: "dev", regions: ["us-east-1"], logRetentionDays: 14)
            public static let prd = Environment(name: "prd", regions: ["us-east-1"], logRetentionDays: 365)
            public static let all = [dev, prd]
        }

        /// The app: every stack, for every environment.
        public enum \(name)App {
            public static func make() -> App {
                let app = App()
                for environment in Environment.all {
                    ExampleStack.add(to: app, environment)
                }
                return app
            }
        }

        """
    }

    /// The example stack's source; the same stack as `InitExample.add`.
    var exampleStack: String {
        """
        import Formation
        import FormationResources

        /// An example to replace with your own: a private, encrypted, versioned bucket for uploads,
        /// a topic to hear of them, and a log group kept as long as the environment says.
        public enum ExampleStack {
            public static func add(to app: App, _ env: Environment) {
                let stack = app.stack("\(name)-\\(env.name)", description: "\(name) (\\(env.name)): uploads bucket, topic and logs",
                                      environment: env.name, regions: env.regions)

                let topic = stack.add("UploadsTopic", SNS.Topic(kmsMasterKeyId: "alias/aws/sns"))

                let bucket = stack.add("UploadsBucket", S3.Bucket(
                    bucketEncryption: .init(serverSideEncryptionConfiguration: [
                        .init(serverSideEncryptionByDefault: .init(sseAlgorithm: .aes256)),
                    ]),
                    publicAccessBlockConfiguration: .init(
                        blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true),
                    versioningConfiguration: .init(status: .enabled)
                )).retainOnDelete()

                stack.add("AppLogs", Logs.LogGroup(retentionInDays: .literal(env.logRetentionDays)))

                stack.output("BucketName", bucket.ref, description: "Where uploads go")
                stack.output("TopicArn", topic.ref, description: "Subscribe here to hear of uploads")
            }
        }

        """
    }

    var testsSwift: String {
        """
        import Formation
        import FormationTesting
        import Testing
        import \(name)Stacks

        @Suite struct \(name)StacksTests {
            let app = \(name)App.make()

            /// Each stack's template is the committed snapshot (snapshots/<stack>.json and .yaml).
            /// After a deliberate change: `swift run \(name) snapshot --update`, then review
            /// `git diff snapshots/`.
            @Test func stacksMatchTheirSnapshots() {
                for stack in app.stacks {
                    let synthesis = stack.synthesize()
                    Snapshots().assertMatches(synthesis, format: .json)
                    Snapshots().assertMatches(synthesis, format: .yaml)
                }
            }

            @Test func bucketIsPrivateEncryptedAndKept() throws {
                let stack = try #require(app.stack(named: "\(name)-prd"))
                let template = TemplateAssertions(stack.synthesize())
                template.hasNoErrors()
                template.hasResource("AWS::S3::Bucket", ["DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"])
                template.hasResourceProperties("AWS::S3::Bucket", [
                    "PublicAccessBlockConfiguration": ["BlockPublicAcls": true, "RestrictPublicBuckets": true],
                    "VersioningConfiguration": ["Status": "Enabled"],
                ])
                template.hasResourceProperties("AWS::Logs::LogGroup", ["RetentionInDays": 365])
            }
        }

        """
    }

    var readme: String {
        """
        # \(name)

        AWS CloudFormation stacks written in Swift with [Formation](\(FormationVersion.repositoryURL)):
        typed resources, validated against the CloudFormation registry at synth time, written as
        deterministic JSON and YAML templates.

        ## Set-up

        Two commands on a fresh machine with Swift 6.1 or later (on Linux, Formation needs libyaml,
        json-c and zlib: `sudo apt-get install libyaml-dev libjson-c-dev zlib1g-dev pkg-config`):

        ```sh
        swift run \(name) synth --out out --format both   # every stack, validated, into out/
        swift test                                  # the snapshot and template tests
        ```

        ## Layout

        | path | what |
        |---|---|
        | `Sources/\(name)Stacks/App.swift` | the environments (dev, prd) and the app |
        | `Sources/\(name)Stacks/ExampleStack.swift` | the example stack: replace it with yours |
        | `Sources/\(name)/main.swift` | the command line (`swift run \(name) --help`) |
        | `Tests/\(name)StacksTests/` | snapshot tests and template assertions |
        | `snapshots/` | the committed templates the tests compare with |

        ## Everyday commands

        ```sh
        swift run \(name) list                       # stacks, resources, sizes, status
        swift run \(name) validate                   # every stack's diagnostics
        swift run \(name) synth \(name)-dev           # one template to stdout
        swift run \(name) snapshot --update          # accept a deliberate change, then git diff snapshots/
        swift run \(name) diff \(name)-dev          # what changed against snapshots/
        swift run \(name) synth --out out && swift run \(name) deploy-args \(name)-dev   # the deploy command
        ```

        """
    }

    var gitignore: String {
        """
        .build/
        .build-*/
        Package.resolved
        .swiftpm/
        out/

        """
    }

    var ciRun: String {
        """
        #!/usr/bin/env bash
        # CI: what a fresh machine needs, then the README's two commands.
        set -euo pipefail
        cd "$(dirname "$0")/.."
        if ! pkg-config --exists yaml-0.1 json-c zlib 2>/dev/null; then
          SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
          $SUDO apt-get update -qq && $SUDO apt-get install -y -qq libyaml-dev libjson-c-dev zlib1g-dev pkg-config
        fi
        swift run \(name) synth --out out --format both
        CI=true swift test

        """
    }
}
