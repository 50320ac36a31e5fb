// formation-codegen: typed Swift for CloudFormation registry resource types, from the schemas in
// Formation's registry bundle.
//
//   formation-codegen [--root DIR] [--out DIR] [--check]
//   formation-codegen --types FILE --out DIR [--one-file NAME] [--check]
//   formation-codegen --type AWS::SQS::Queue [--type …] --out DIR [--one-file NAME] [--check]
//   formation-codegen (--all | --sample) (--out DIR | --list)
//
// Without --types/--type: FormationResources' built-in types (make codegen).
// --root  the package root (default: the current directory)
// --out   where the files go (default: ROOT/Sources/FormationResources/Generated)
// --types a types list: one type per line (AWS::SQS::Queue, or AWS::DynamoDB::* for a whole
//         service), `#` starts a comment (TypesList); one file per line is written to --out, and
//         other .swift files there are removed. A bad line is reported as `FILE:LINE: error: …`.
// --one-file NAME  every line's declarations in the one file --out/NAME instead. The
//         FormationTypes build plugin runs this: SwiftPM plans a plugin's output files only when
//         the package's files are added or removed (swiftlang/swift-package-manager#7891), so
//         they cannot follow the list's lines.
// --check write nothing; exit 1 and name the files that differ when the output is stale
// --all   every registry type (AWS::…, SAM's too) but the built-in ones, one file per type
//         (SQS_Queue.swift) in --out; a type the generator fails on is named on standard error
//         and the exit status is 1 (the others are still written). For `make codegen-all`.
// --sample the same for the fixed sample of types `make codegen-sample` checks
// --list  with --all or --sample: print the type names, one per line, instead of generating
//
//   formation-codegen --compile-tables BUNDLE OUT
//
// Writes the compiled table of every schema of the registry bundle file BUNDLE to OUT, one
// compact JSON line per schema, in order (`make schemas` stores them in the bundle).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormationCodegen
import FormationRegistry
import FormationTemplate

/// Writes a line to standard error.
func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        offset += written
    }
}

func fail(_ message: String) -> Never {
    printError("formation-codegen: \(message)")
    exit(1)
}

var root = "."
var out: String?
var check = false
var typesFile: String?
var typeNames: [String] = []
var oneFile: String?
var everyType = false
var sample = false
var listOnly = false
var arguments = CommandLine.arguments.dropFirst()
if arguments.first == "--compile-tables" {
    let operands = Array(arguments.dropFirst())
    guard operands.count == 2 else { fail("--compile-tables needs BUNDLE and OUT") }
    do {
        let bundle = try RegistryBundle(bytes: try TextFile.readBytes(operands[0]), source: operands[0])
        let schemas = BundledSchemas(bundle: bundle)
        var lines: [String] = []
        lines.reserveCapacity(bundle.schemaCount)
        for index in 0..<bundle.schemaCount {
            let table = try RegistrySchema.table(try schemas.document(index))
            lines.append(try JSONEmitter.emitCompact(table))
        }
        try FileSystem.write(lines.joined(separator: "\n") + "\n", to: operands[1])
        print("formation-codegen: \(lines.count) tables in \(operands[1])")
        exit(0)
    } catch {
        fail("\(error)")
    }
}
while let argument = arguments.popFirst() {
    switch argument {
    case "--root":
        guard let value = arguments.popFirst() else { fail("--root needs a directory") }
        root = value
    case "--out":
        guard let value = arguments.popFirst() else { fail("--out needs a directory") }
        out = value
    case "--check":
        check = true
    case "--types":
        guard let value = arguments.popFirst() else { fail("--types needs a file") }
        typesFile = value
    case "--type":
        guard let value = arguments.popFirst() else { fail("--type needs a type name") }
        typeNames.append(value)
    case "--one-file":
        guard let value = arguments.popFirst(), value.hasSuffix(".swift"), !value.contains("/") else {
            fail("--one-file needs a file name ending in .swift")
        }
        oneFile = value
    case "--all":
        everyType = true
    case "--sample":
        sample = true
    case "--list":
        listOnly = true
    case "-h", "--help":
        print("usage: formation-codegen [--root DIR] [--out DIR] [--check]")
        print("       formation-codegen (--types FILE | --type NAME ...) --out DIR [--one-file NAME] [--check]")
        print("       formation-codegen (--all | --sample) (--out DIR | --list)")
        print("       formation-codegen --compile-tables BUNDLE OUT")
        exit(0)
    default:
        fail("unknown argument \(argument) (try --help)")
    }
}
let userMode = typesFile != nil || !typeNames.isEmpty
if everyType && sample { fail("--all and --sample exclude each other") }
if listOnly && !(everyType || sample) { fail("--list needs --all or --sample") }
if (everyType || sample) && (userMode || check) { fail("--all and --sample take no --types, --type or --check") }
if (everyType || sample) && !listOnly && out == nil { fail("--all and --sample need --out DIR (or --list)") }
if userMode && out == nil { fail("--types and --type need --out DIR") }
if oneFile != nil && !userMode { fail("--one-file needs --types or --type") }
let directory = out ?? root + "/Sources/FormationResources/Generated"

/// The requests to generate, each with where it came from (`LIST:LINE` or `--type`), from the
/// `--type` names and the `--types` list (read by TypesList). A line that is not a request ends
/// the run naming `LIST:LINE`.
func userRequests(typeNames: [String], typesFile: String?) -> [(location: String, request: String)] {
    var requests: [(location: String, request: String)] = []
    var problems: [String] = []
    let named = TypesList(requests: typeNames)
    for problem in named.problems { problems.append("--type \(typeNames[problem.line - 1]): error: \(problem.message)") }
    for entry in named.entries { requests.append(("--type \(entry.request)", entry.request)) }
    if let typesFile {
        let text: String
        do {
            text = try TextFile.read(typesFile)
        } catch {
            fail("\(typesFile): \(error.description)")
        }
        let list = TypesList(text: text)
        for problem in list.problems { problems.append("\(typesFile):\(problem.line): error: \(problem.message)") }
        for entry in list.entries { requests.append(("\(typesFile):\(entry.line)", entry.request)) }
    }
    var seen: Set<String> = []
    for (location, request) in requests where !seen.insert(request).inserted {
        problems.append("\(location): error: \(request) is listed twice")
    }
    if !problems.isEmpty {
        for problem in problems { printError(problem) }
        fail("\(problems.count) bad line(s) in the types list")
    }
    return requests
}

/// `--all`/`--sample`: every type's file into an empty (or new) directory; failures named.
@MainActor func generateEach(_ generator: Generator, names: [String], into directory: String) throws -> Never {
    if listOnly {
        for name in names { print(name) }
        exit(0)
    }
    let (files, failures) = generator.eachType(names)
    try FileSystem.makeDirectory(directory)
    let existing = try FileSystem.list(directory).filter { $0.hasSuffix(".swift") }
    let wanted = Set(files.map(\.fileName))
    for name in existing where !wanted.contains(name) { try FileSystem.remove(directory + "/" + name) }
    for file in files { try FileSystem.write(file.contents, to: directory + "/" + file.fileName) }
    for failure in failures { printError("formation-codegen: \(failure.typeName): \(failure.error.description)") }
    print("formation-codegen: \(files.count) types in \(directory), \(failures.count) failed")
    exit(failures.isEmpty ? 0 : 1)
}

do {
    let generator = try Generator()
    if everyType { try generateEach(generator, names: generator.registryTypeNames, into: directory) }
    if sample { try generateEach(generator, names: generator.sampleTypeNames(), into: directory) }
    let files: [(fileName: String, contents: String)]
    if userMode {
        // One request at a time, so that an unknown type is reported at its line.
        var generated: [(fileName: String, contents: String)] = []
        for (location, request) in userRequests(typeNames: typeNames, typesFile: typesFile) {
            do {
                generated += try generator.types([request])
            } catch {
                // `FILE:LINE: error: …`, the compiler's form, which editors and CI annotate.
                printError("\(location): error: \(error.message)")
                exit(1)
            }
        }
        if let oneFile {
            // Swift allows the same import again further down a file, so the files concatenate.
            let header = "// Generated by formation-codegen: the declarations of every line of a types list (\(generated.count)),\n"
                + "// one file per line below. Do not edit: it is generated again from the list.\n"
            files = [(oneFile, header + generated.map { "\n" + $0.contents }.joined())]
        } else {
            files = generated
        }
    } else {
        files = try generator.builtIn()
    }
    let wanted = Set(files.map(\.fileName))
    let existing = FileSystem.isDirectory(directory) ? try FileSystem.list(directory).filter { $0.hasSuffix(".swift") } : []
    var stale: [String] = []
    for file in files {
        let path = directory + "/" + file.fileName
        let current = try? TextFile.read(path)
        if current != file.contents { stale.append(file.fileName) }
    }
    let extra = existing.filter { !wanted.contains($0) }
    if check {
        if stale.isEmpty && extra.isEmpty {
            print("formation-codegen: \(files.count) files up to date in \(directory)")
            exit(0)
        }
        for name in stale { printError("stale: \(directory)/\(name)") }
        for name in extra { printError("not generated: \(directory)/\(name)") }
        fail("generated code is stale; run `make codegen` and commit the result")
    }
    try FileSystem.makeDirectory(directory)
    for file in files where stale.contains(file.fileName) {
        try FileSystem.write(file.contents, to: directory + "/" + file.fileName)
    }
    for name in extra { try FileSystem.remove(directory + "/" + name) }
    print("formation-codegen: \(files.count) files in \(directory) (\(stale.count) written, \(extra.count) removed)")
} catch let error as GeneratorError {
    fail(error.description)
} catch {
    fail("\(error)")
}
