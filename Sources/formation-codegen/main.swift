// formation-codegen: writes Sources/FormationResources/Generated/ from data/schemas/.
//
//   formation-codegen [--root DIR] [--out DIR] [--check]
//
// --root  the package root (default: the current directory)
// --out   where the files go (default: ROOT/Sources/FormationResources/Generated)
// --check write nothing; exit 1 and name the files that differ when the output is stale
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FormationCodegen

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
var arguments = CommandLine.arguments.dropFirst()
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
    case "-h", "--help":
        print("usage: formation-codegen [--root DIR] [--out DIR] [--check]")
        exit(0)
    default:
        fail("unknown argument \(argument) (try --help)")
    }
}
let directory = out ?? root + "/Sources/FormationResources/Generated"

do {
    let files = try Generator(root: root).generate()
    let wanted = Set(files.map(\.fileName))
    let existing = FileSystem.isDirectory(directory) ? try FileSystem.list(directory).filter { $0.hasSuffix(".swift") } : []
    var stale: [String] = []
    for file in files {
        let path = directory + "/" + file.fileName
        let current = try? FileSystem.read(path)
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
