import ArgumentParser
import Formation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `formation init DIR`: a new Swift package that is a complete Formation app.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new Formation app: a Swift package with an example stack, tests and snapshots.",
        discussion: """
            DIR must not exist, or be an empty directory; nothing is ever overwritten. The \
            package is written into a temporary directory beside DIR and renamed into place, so \
            DIR appears complete or not at all.

            The app's name (--name, else DIR's base name in UpperCamelCase: my-app → MyApp) \
            names the package, the executable, the <NAME>Stacks library and the stacks \
            (<NAME>-dev, <NAME>-prd). It is 1 to 50 ASCII letters and digits, starting with a letter.

            What is written: Package.swift (Formation by its URL and version, or by path with \
            --formation-path), Sources/<NAME>/main.swift (the command line), \
            Sources/<NAME>Stacks/ (two environments and an example stack), \
            Tests/<NAME>StacksTests/ (snapshot tests and template assertions), snapshots/ (the \
            example's templates, which the tests compare), README.md, .gitignore and .ci/run. \
            It builds, synthesizes and passes its tests with no edit.

            With --from FILE…, the app holds one stack per template instead of the example \
            (imported as `formation import` does; the stack is named by --stack-name or after \
            the file), the templates are copied to imported/, and the test checks that each \
            stack synthesizes its template again, as data; registry types FormationResources \
            does not type are listed in Sources/<NAME>Types/formation-types.txt.

            EXAMPLES:
              formation init my-app
              cd my-app && swift run MyApp synth --out out --format both && swift test
              formation init infra --name Infra --formation-path ../formation
              formation init infra --from network.yaml data.json

            EXIT STATUS:
              0  the project was written
              1  DIR exists and is not an empty directory, or a write failed (nothing is left)
              2  usage error (an invalid name)
            """
    )

    @Argument(help: "The directory to create (must not exist, or be empty).")
    var directory: String

    @Option(help: "The app's name (default: DIR's base name in UpperCamelCase).")
    var name: String?

    @Option(help: ArgumentHelp("Depend on a local checkout of Formation at PATH instead of its URL.", valueName: "path"))
    var formationPath: String?

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("Import these templates: one stack each (see `formation import`), instead of the example.", valueName: "file"))
    var from: [String] = []

    @Option(help: "With one --from template: the stack's name (default: the file's base name).")
    var stackName: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if stackName != nil && from.count != 1 {
            throw ValidationError("--stack-name names the stack of one --from template")
        }
    }

    func run() throws {
        if !from.isEmpty {
            try runImport()
            return
        }
        let appName = try Self.appName(explicit: name, directory: directory)
        let dependency: ProjectFiles.Dependency
        if let formationPath {
            guard Files.exists(Files.join(formationPath, "Package.swift")) else {
                throw CLIError.usage("--formation-path \(formationPath) is not a Formation checkout: it has no Package.swift")
            }
            dependency = .path(Self.absolute(formationPath))
        } else {
            dependency = .url(FormationVersion.repositoryURL, from: FormationVersion.current)
        }
        let project = ProjectFiles(name: appName, dependency: dependency)
        var files = project.files
        files += try Self.snapshots(name: appName)
        try Self.write(files, into: directory)
        guard !output.quiet else { return }
        Console.out("""
            created \(directory): the Formation app \(appName) (stacks \(appName)-dev and \(appName)-prd)
              cd \(ShellQuoting.quote(directory))
              swift run \(appName) synth --out out --format both
              swift test

            """)
    }

    /// `init DIR --from FILE…`: the project around the imported stacks.
    func runImport() throws {
        let appName = try Self.appName(explicit: name, directory: directory)
        let dependency = try Self.dependency(formationPath)
        // Refuse a non-empty directory before importing anything.
        try Self.checkTarget(directory)
        let reporter = Reporter(output)
        let items = try TemplateImports.read(from, stackName: stackName, typesModule: appName + "Types", reporter: reporter)
        var originals: [(name: String, bytes: [UInt8])] = []
        var taken: Set<String> = []
        for item in items {
            var fileName = Files.baseName(of: item.path)
            let (stem, suffix) = fileName.lastIndex(of: ".").map { (String(fileName[..<$0]), String(fileName[$0...])) } ?? (fileName, "")
            var counter = 2
            while taken.contains(fileName) {
                fileName = "\(stem)-\(counter)\(suffix)"
                counter += 1
            }
            taken.insert(fileName)
            originals.append((fileName, try TemplateInput.bytes(item.path, limit: ParseLimits.cloudFormationMaximumBytes)))
        }
        let project = ImportProject(project: ProjectFiles(name: appName, dependency: dependency), items: items, originals: originals)
        var files = project.files
        for original in originals {
            files.append(("imported/" + original.name, String(decoding: original.bytes, as: UTF8.self)))
        }
        try Self.write(files, into: directory)
        guard !output.quiet else { return }
        var summary = "created \(directory): the Formation app \(appName) with \(plural(items.count, "imported stack"))\n"
        for item in items {
            summary += "  \(item.stack.stackName) from \(item.file): \(item.stack.typedResources) typed, \(item.stack.rawResources) raw resources, \(item.stack.rawProperties) raw property values\n"
        }
        summary += "  cd \(ShellQuoting.quote(directory))\n  swift build && swift test\n"
        Console.out(summary)
    }

    static func dependency(_ formationPath: String?) throws(CLIError) -> ProjectFiles.Dependency {
        guard let formationPath else { return .url(FormationVersion.repositoryURL, from: FormationVersion.current) }
        guard Files.exists(Files.join(formationPath, "Package.swift")) else {
            throw CLIError.usage("--formation-path \(formationPath) is not a Formation checkout: it has no Package.swift")
        }
        return .path(Self.absolute(formationPath))
    }

    /// Fails when `directory` exists and is not an empty directory.
    static func checkTarget(_ directory: String) throws(CLIError) {
        let target = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        guard Files.exists(target) else { return }
        guard Files.isDirectory(target), let entries = directoryEntries(target), entries.isEmpty else {
            throw .failure("'\(target)' exists and is not an empty directory; formation init never overwrites: choose a new directory; nothing was written")
        }
    }

    /// The name the app gets: `explicit`, else the directory's base name in UpperCamelCase.
    static func appName(explicit: String?, directory: String) throws(CLIError) -> String {
        let rule = "1 to 50 ASCII letters and digits, starting with a letter (MyApp, Infra2)"
        if let explicit {
            guard isValidName(explicit) else {
                throw .usage("--name \"\(explicit)\" is not a valid app name: it must be \(rule); it names the package, the executable, the \(explicit)Stacks module and the stacks")
            }
            return explicit
        }
        let base = Files.baseName(of: directory.hasSuffix("/") ? String(directory.dropLast()) : directory)
        let derived = upperCamelCase(base)
        guard isValidName(derived) else {
            throw .usage("cannot make an app name from the directory name \"\(base)\": an app name is \(rule); give one with --name")
        }
        return derived
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 50, first.isASCII, first.properties.isAlphabetic else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    /// `my-app` → `MyApp`, `infra` → `Infra`, `orders_service` → `OrdersService`: words split at
    /// anything but ASCII letters and digits, each word's first letter capitalized.
    static func upperCamelCase(_ text: String) -> String {
        var result = ""
        var startOfWord = true
        for scalar in text.unicodeScalars {
            let isWordScalar = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
            guard isWordScalar else {
                startOfWord = true
                continue
            }
            result += startOfWord ? String(scalar).uppercased() : String(scalar)
            startOfWord = false
        }
        return result
    }

    /// `path` made absolute against the working directory (Package.swift is read from the new
    /// project's directory, so a relative path would mean something else there).
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let found = buffer.withUnsafeMutableBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { getcwd($0.baseAddress, $0.count) != nil }
        }
        guard found else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        var components = cwd.split(separator: "/").map(String.init)
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(String(part))
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// The example's snapshot files, synthesized here from `InitExample` (the same stacks the
    /// project's source builds).
    static func snapshots(name: String) throws(CLIError) -> [(path: String, contents: String)] {
        let app = InitExample.make(name: name)
        var files: [(path: String, contents: String)] = []
        for stack in app.stacks {
            let synthesis = stack.synthesize()
            guard !synthesis.hasErrors else {
                throw .failure(["the example stack \(stack.name) does not validate:"] + synthesis.diagnostics.errors.map { "  \($0)" })
            }
            for format in [TemplateFormat.json, .yaml] {
                do {
                    files.append(("snapshots/\(stack.name).\(format.fileExtension)", try synthesis.render(format).text))
                } catch {
                    throw .failure("the example stack \(stack.name) cannot be written as \(format.rawValue): \(error)")
                }
            }
        }
        return files
    }

    /// Writes `files` into a new directory `directory`: into a hidden sibling first, renamed into
    /// place at the end; on any failure the sibling is removed and `directory` is untouched.
    static func write(_ files: [(path: String, contents: String)], into directory: String) throws(CLIError) {
        let target = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        if Files.exists(target) {
            guard Files.isDirectory(target) else {
                throw .failure("cannot create the app in '\(target)': it exists and is not a directory; nothing was written")
            }
            guard let entries = directoryEntries(target) else {
                throw .failure("cannot read '\(target)': \(Files.lastError()); nothing was written")
            }
            guard entries.isEmpty else {
                let shown = entries.sorted().prefix(3).joined(separator: ", ") + (entries.count > 3 ? ", …" : "")
                throw .failure("'\(target)' is not empty (\(shown)); formation init never overwrites: choose a new directory; nothing was written")
            }
        }
        let parent = Files.directory(of: target)
        if !Files.isDirectory(parent) {
            try Files.makeDirectory(parent)
        }
        let staging = Files.sibling(of: target, tag: "init")
        removeTree(staging)
        do throws(CLIError) {
            try Files.makeDirectory(staging)
            for (path, contents) in files {
                let destination = Files.join(staging, path)
                try Files.makeDirectory(Files.directory(of: destination))
                guard let file = fopen(destination, "wb") else {
                    throw .failure("cannot write '\(Files.join(target, path))': \(Files.lastError()); nothing was written")
                }
                let bytes = Array(contents.utf8)
                let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
                let closed = fclose(file) == 0
                guard written == bytes.count, closed else {
                    throw .failure("cannot write '\(Files.join(target, path))': \(Files.lastError()); nothing was written")
                }
                if path == ".ci/run" { chmod(destination, 0o755) }
            }
            // rename(2) replaces an empty directory, and fails on a non-empty one (a directory
            // filled since the check above is not overwritten).
            guard rename(staging, target) == 0 else {
                throw .failure("cannot create '\(target)': \(Files.lastError()); nothing was written")
            }
        } catch {
            removeTree(staging)
            throw error
        }
    }

    /// The names in `path` besides `.` and `..`; nil when it cannot be read.
    static func directoryEntries(_ path: String) -> [String]? {
        guard let stream = opendir(path) else { return nil }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes `path` and everything below it (the staging directory this command made).
    static func removeTree(_ path: String) {
        guard Files.isDirectory(path) else {
            unlink(path)
            return
        }
        for name in directoryEntries(path) ?? [] {
            removeTree(Files.join(path, name))
        }
        rmdir(path)
    }
}
