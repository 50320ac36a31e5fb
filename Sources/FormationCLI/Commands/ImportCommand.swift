import ArgumentParser
import Formation
import FormationCodegen

/// `formation import FILE…`: existing CloudFormation templates as typed Swift.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write Swift source for stacks that synthesize the same templates as existing CloudFormation files.",
        discussion: """
            Each template (JSON or YAML, long or short form) becomes <out>/<Name>Stack.swift: an \
            enum with `add(to: app)` that declares the stack's parameters, mappings, conditions, \
            resources (typed, in dependency order, one `let` per resource that something uses) and \
            outputs. Synthesizing it gives the template back, as data.

            Resources whose type FormationResources does not type are typed from the registry: \
            the types to list in a FormationTypes target's formation-types.txt are printed (and \
            `--types-module` names that target for the import). A value the typed form cannot \
            hold is written raw over it (`overrideProperty`, with a comment saying why); a type \
            with no schema is a RawResource. What cannot be expressed at all is printed as a \
            warning naming its template path.

            A template that does not parse is an error at its line and column, and nothing is \
            written. A template that parses but does not validate is imported anyway (the \
            findings are printed): people import in order to fix. Files are written under \
            temporary names and renamed into place; an existing file is never overwritten.

            The stack's name is --stack-name (one template only), or the file's base name \
            without its extension, every character a stack name cannot hold replaced by `-`.

            EXAMPLES:
              formation import network.yaml                     # ./NetworkStack.swift
              formation import a.json b.yaml --out Sources/AppStacks --types-module AppTypes
              formation init my-app --from network.yaml         # a whole app around it
            """
    )

    @Argument(help: "Template files to import.")
    var files: [String]

    @Option(help: "The stack's name (with one template; default: the file's base name).")
    var stackName: String?

    @Option(help: ArgumentHelp("Directory to write <Name>Stack.swift files into (created if missing).", valueName: "dir"))
    var out: String = "."

    @Option(help: ArgumentHelp("Module the generated code imports for the registry types it lists (a FormationTypes target).", valueName: "module"))
    var typesModule: String?

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one template file") }
        if stackName != nil && files.count > 1 {
            throw ValidationError("--stack-name names one stack, but \(files.count) templates are given; leave it out to name each stack after its file")
        }
    }

    func run() throws {
        let reporter = Reporter(output)
        let imports = try TemplateImports.read(files, stackName: stackName, typesModule: typesModule, reporter: reporter)
        var transaction = FileTransaction()
        for item in imports {
            let destination = Files.join(out, item.stack.typeName + ".swift")
            if Files.exists(destination) {
                transaction.discard()
                throw CLIError.failure("'\(destination)' exists; formation import never overwrites: move it or choose another --out; nothing was written")
            }
        }
        if !Files.isDirectory(out) { try Files.makeDirectory(out) }
        for item in imports {
            try transaction.stage(item.stack.source, at: Files.join(out, item.stack.typeName + ".swift"))
        }
        _ = try transaction.commit()
        guard !output.quiet else { return }
        for item in imports {
            Console.out("wrote \(Files.join(out, item.stack.typeName + ".swift")): stack \(item.stack.stackName) from \(item.file) "
                        + "(\(item.stack.typedResources) typed, \(item.stack.rawResources) raw resources, \(item.stack.rawProperties) raw property values)\n")
        }
        let types = TemplateImports.typesToGenerate(imports)
        if !types.isEmpty {
            Console.out("these types are typed from the registry: list them in a FormationTypes target's formation-types.txt"
                        + (typesModule.map { " (module \($0))" } ?? "") + ":\n")
            for type in types { Console.out("  \(type)\n") }
        }
    }
}

/// Reading, validating and importing templates, for `import` and `init --from`.
enum TemplateImports {
    struct Item {
        /// The file's path as given, and as shown.
        let path: String
        let file: String
        let stack: ImportedStack
    }

    /// Parses every file (a parse error anywhere: reported at its line and column, and the
    /// command fails with nothing written), prints each template's validation findings and what
    /// its Swift does not express, and returns the imported stacks in file order.
    static func read(_ files: [String], stackName: String?, typesModule: String?, reporter: Reporter) throws -> [Item] {
        var parsed: [(path: String, file: String, template: Template)] = []
        var failed = false
        let app = App()
        for file in files {
            let outcome = ValidateCommand.evaluate(file: file, app: app)
            switch outcome {
            case .unreadable, .unparsable:
                _ = ValidateCommand.report(outcome, reporter: reporter)
                failed = true
                continue
            case .validated(let diagnostics, _, _, _):
                if !diagnostics.filter(\.isError).isEmpty {
                    _ = ValidateCommand.report(outcome, reporter: reporter)
                    reporter.note("\(Files.displayName(file)) does not validate; importing it anyway, so that it can be fixed in Swift")
                }
            }
            do {
                let text = try TemplateInput.text(file, maximumBytes: ParseLimits.cloudFormationMaximumBytes)
                parsed.append((file, Files.displayName(file), try TemplateDocument.parseTemplate(text, file: Files.displayName(file), limits: .cloudFormation)))
            } catch {
                failed = true
            }
        }
        if failed {
            reporter.error("nothing was written")
            throw ExitCode(ExitStatus.failure)
        }
        var importer = try TemplateImporter()
        var items: [Item] = []
        var typeNames: Set<String> = []
        var stackNames: Set<String> = []
        for (path, file, template) in parsed {
            // Two files of one base name (in different directories) get distinct stacks.
            var name = stackName ?? Self.stackName(fromFile: file)
            let stem = name
            var suffix = 2
            while stackNames.contains(name) {
                name = "\(stem)-\(suffix)"
                suffix += 1
            }
            stackNames.insert(name)
            var typeName = Self.typeName(forStack: name)
            let base = typeName
            var counter = 2
            while typeNames.contains(typeName) {
                typeName = base + "\(counter)"
                counter += 1
            }
            typeNames.insert(typeName)
            let stack = importer.importTemplate(template, stackName: name, typeName: typeName, source: file, typesModule: typesModule)
            for finding in stack.findings {
                reporter.warning("\(file): \(finding.path): \(finding.message)")
            }
            items.append(Item(path: path, file: file, stack: stack))
        }
        return items
    }

    /// The types every item needs generated, in first-use order.
    static func typesToGenerate(_ items: [Item]) -> [String] {
        var seen: [String] = []
        for item in items { for type in item.stack.typesToGenerate where !seen.contains(type) { seen.append(type) } }
        return seen
    }

    /// A stack name from a file name: the base name without its extension, every character
    /// but ASCII letters, digits and `-` replaced by `-`, `Stack-` put before one that does not
    /// start with a letter, at most 128 characters.
    static func stackName(fromFile file: String) -> String {
        var base = Files.baseName(of: file)
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
        var name = String(base.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-") ? Character(scalar) : "-"
        })
        if !(name.unicodeScalars.first.map { $0.isASCII && $0.properties.isAlphabetic } ?? false) { name = "Stack-" + name }
        return String(name.prefix(128))
    }

    /// The Swift type for a stack: its name in UpperCamelCase, ending in `Stack`.
    static func typeName(forStack name: String) -> String {
        var type = InitCommand.upperCamelCase(name)
        if type.isEmpty || !(type.unicodeScalars.first.map { $0.properties.isAlphabetic } ?? false) { type = "Imported" + type }
        return type.hasSuffix("Stack") ? type : type + "Stack"
    }
}
