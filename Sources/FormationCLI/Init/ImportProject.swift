/// The files of a new Formation app made from existing templates (`formation init DIR --from
/// FILE…`): one stack per template, the original templates under `imported/`, and a test that
/// each stack synthesizes its original as data.
struct ImportProject {
    let project: ProjectFiles
    let items: [TemplateImports.Item]
    /// The original templates' bytes, by file name under `imported/`, in item order.
    let originals: [(name: String, bytes: [UInt8])]

    var name: String { project.name }
    var typesModule: String { name + "Types" }
    var types: [String] { TemplateImports.typesToGenerate(items) }

    /// Every file, as (path relative to the project, contents).
    var files: [(path: String, contents: String)] {
        var files: [(path: String, contents: String)] = [
            ("Package.swift", packageSwift),
            ("Sources/\(name)/main.swift", project.mainSwift),
            ("Sources/\(name)Stacks/App.swift", appSwift),
        ]
        for item in items {
            files.append(("Sources/\(name)Stacks/\(item.stack.typeName).swift", item.stack.source))
        }
        if !types.isEmpty {
            files.append(("Sources/\(typesModule)/formation-types.txt", typesList))
            files.append(("Sources/\(typesModule)/\(typesModule).swift", """
                // The registry types the imported stacks use that FormationResources does not type: the
                // FormationTypes plugin generates them from formation-types.txt at build time.

                """))
        }
        files.append(("Tests/\(name)StacksTests/\(name)StacksTests.swift", testsSwift))
        files.append(("README.md", readme))
        files.append((".gitignore", project.gitignore))
        files.append((".ci/run", project.ciRun))
        return files
    }

    var typesList: String {
        "# Registry types the imported stacks use typed (one a line); FormationResources has the others.\n"
            + types.map { $0 + "\n" }.joined()
    }

    var packageSwift: String {
        project.packageSwift(appComment: "The app: the stacks imported by `formation init --from`.",
                             typesModule: types.isEmpty ? nil : typesModule)
    }

    var appSwift: String {
        var lines = [
            "import Formation",
            "",
            "/// The app: the stacks imported from existing templates.",
            "public enum \(name)App {",
            "    public static func make() -> App {",
            "        let app = App()",
        ]
        for item in items { lines.append("        \(item.stack.typeName).add(to: app)") }
        lines += [
            "        return app",
            "    }",
            "",
            "    /// The file under imported/ each stack was made from, by stack name.",
            "    public static let importedFrom: [(stack: String, file: String)] = [",
        ]
        for (item, original) in zip(items, originals) {
            lines.append("        (\(ProjectFiles.quoted(item.stack.stackName)), \(ProjectFiles.quoted(original.name))),")
        }
        lines += ["    ]", "}", ""]
        return lines.joined(separator: "\n")
    }

    var testsSwift: String {
        """
        import Foundation
        import Formation
        import FormationTesting
        import Testing
        import \(name)Stacks

        @Suite struct \(name)StacksTests {
            /// The templates the stacks were imported from.
            static let imported = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("imported")

            /// Each stack synthesizes the template it was imported from, as data (key order aside).
            /// Once you change a stack on purpose, replace this with snapshots:
            /// `swift run \(name) snapshot --update`, and `Snapshots().assertMatches` in a test.
            @Test func stacksSynthesizeTheirImportedTemplates() throws {
                let app = \(name)App.make()
                for (name, file) in \(name)App.importedFrom {
                    let stack = try #require(app.stack(named: name))
                    let text = try String(contentsOf: Self.imported.appendingPathComponent(file), encoding: .utf8)
                    let original = try TemplateDocument.parseTemplate(text, file: file)
                    let differences = TemplateComparison.differences(stack.synthesize().template, original)
                    #expect(differences.isEmpty, "stack \\(name) differs from imported/\\(file): \\(differences.prefix(5).joined(separator: "; "))")
                }
            }
        }

        """
    }

    var readme: String {
        var stacks = ""
        for (item, original) in zip(items, originals) {
            stacks += "| `\(item.stack.stackName)` | `Sources/\(name)Stacks/\(item.stack.typeName).swift` | `imported/\(original.name)` |\n"
        }
        return """
            # \(name)

            AWS CloudFormation stacks written in Swift with [Formation](\(FormationVersion.repositoryURL)),
            imported from existing templates by `formation init --from`.

            ## Set-up

            Two commands on a fresh machine with Swift 6.1 or later (on Linux, Formation needs libyaml,
            json-c and zlib: `sudo apt-get install libyaml-dev libjson-c-dev zlib1g-dev pkg-config`):

            ```sh
            swift run \(name) synth --out out --format both   # every stack, validated, into out/
            swift test                                  # each stack still synthesizes its imported template
            ```

            ## Stacks

            | stack | Swift | imported from |
            |---|---|---|
            \(stacks)
            """
    }
}
