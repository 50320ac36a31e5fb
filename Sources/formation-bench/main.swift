// formation-bench: synth speed and scale, measured (`make bench`; see BENCHMARKS.md).
//
// formation-bench                       the whole report
// formation-bench --generated N [RUNS]  child mode: one generated app size, prints one JSON line
// formation-bench --template N STACK    one stack of the generated app of N resources, as JSON on
//                                       stdout, its diagnostics on stderr (bench/check_equivalence.py)
import Foundation
import FormationConstructs
import Stacks

/// Wall-clock seconds of `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

struct Stats {
    let samples: [Double]
    var median: Double {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
    var min: Double { samples.min() ?? 0 }
    var max: Double { samples.max() ?? 0 }

    func ms(_ value: Double) -> String { String(format: "%.1f", value * 1000) }
    var row: String { "\(ms(median)) | \(ms(min)) | \(ms(max))" }
}

func repeated(_ runs: Int, _ body: () throws -> Void) rethrows -> Stats {
    var samples: [Double] = []
    for _ in 0..<runs { samples.append(try seconds(body)) }
    return Stats(samples: samples)
}

/// Peak resident set size of this process, in MB.
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

enum BenchError: Error, CustomStringConvertible {
    case failed(String)
    var description: String { if case .failed(let m) = self { return m }; return "" }
}

/// The peak resident set size of the last process `run` waited for, in kilobytes.
nonisolated(unsafe) var lastChildPeakRSSKilobytes = 0

/// Runs a process to completion with posix_spawn and wait4 (Foundation's `Process` polls for
/// exit and adds tens of milliseconds); output discarded, or captured through a file when asked.
/// An exit status outside `accepting` (or a signal) throws.
@discardableResult
func run(_ executable: String, _ arguments: [String], capture: Bool = false, accepting: Set<Int32> = [0]) throws -> String {
    let captureFile = FileManager.default.temporaryDirectory.appendingPathComponent("formation-bench-out-\(getpid())").path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, capture ? captureFile : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw BenchError.failed("cannot start \(executable): \(String(cString: strerror(spawned)))") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
    lastChildPeakRSSKilobytes = usage.ru_maxrss
    let exited = (status & 0x7f) == 0
    let code = (status >> 8) & 0xff
    guard exited && accepting.contains(code) else {
        throw BenchError.failed("\(executable) \(arguments.joined(separator: " ")) exited \(exited ? code : -1)")
    }
    guard capture else { return "" }
    defer { try? FileManager.default.removeItem(atPath: captureFile) }
    return (try? String(contentsOfFile: captureFile, encoding: .utf8)) ?? ""
}

// MARK: - Child mode: one generated app size.

/// Builds, synthesizes, validates and emits JSON for a generated app `runs` times; prints
/// {"resources", "build", "synth", "emit", "total" (medians, seconds), "totals" (every run),
/// "rssMB", "errors"}.
///
/// With FORMATION_BENCH_WARM=1 a 100-resource app is synthesized first, untimed, so every
/// schema the app uses is compiled before the runs (for instruction counts under callgrind,
/// where the first run's count depends on how the threads interleave).
func generatedChild(resources: Int, runs: Int) throws {
    if ProcessInfo.processInfo.environment["FORMATION_BENCH_WARM"] == "1" {
        _ = GeneratedApp.make(resources: GeneratedApp.perUnit).synthesize()
    }
    var build: [Double] = [], synth: [Double] = [], emit: [Double] = [], total: [Double] = []
    var errors = 0
    var bytes = 0
    for _ in 0..<runs {
        var app: App?
        var syntheses: [Synthesis] = []
        let b = seconds { app = GeneratedApp.make(resources: resources) }
        let s = seconds { syntheses = app?.synthesize() ?? [] }
        var written = 0
        let e = try seconds {
            for rendered in Parallel.map(syntheses, { synthesis in Result { () throws(TemplateError) in try synthesis.render(.json) } }) {
                written += try rendered.get().byteCount
            }
        }
        errors = syntheses.reduce(0) { $0 + $1.diagnostics.errors.count }
        bytes = written
        build.append(b); synth.append(s); emit.append(e); total.append(b + s + e)
    }
    let line: [String: Any] = [
        "resources": resources, "runs": runs, "build": Stats(samples: build).median, "synth": Stats(samples: synth).median,
        "emit": Stats(samples: emit).median, "total": Stats(samples: total).median, "totalMin": Stats(samples: total).min,
        "totalMax": Stats(samples: total).max, "totals": total, "rssMB": peakRSSMegabytes(), "errors": errors, "bytes": bytes,
    ]
    let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

// MARK: - The report.

func report() throws {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let formation = here.appendingPathComponent("formation").path
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let snapshots = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("snapshots").path)
        .filter { $0.hasSuffix(".json") || $0.hasSuffix(".yaml") }.sorted().map { "snapshots/" + $0 }
    let venvPython = root.appendingPathComponent(".venv-bench/bin/python").path
    let venvLint = root.appendingPathComponent(".venv-bench/bin/cfn-lint").path
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("formation-bench-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: out) }

    print("# formation-bench\n")
    print("median | min | max, in milliseconds unless stated; release build\n")

    // 1. Whole process: every stack, every environment, written as JSON and as YAML.
    let app = FormationApp.make()
    let stackCount = app.stacks.count
    _ = try run(formation, ["synth", "--out", out, "--format", "json", "--quiet"])  // warm the page cache
    // Each run writes into an empty directory (removed before the clock starts), so every file
    // is really written (synth leaves identical files untouched).
    func synthRuns(_ formats: [String]) throws -> Stats {
        var samples: [Double] = []
        for _ in 0..<20 {
            try? FileManager.default.removeItem(atPath: out)
            samples.append(try seconds {
                for format in formats { try run(formation, ["synth", "--out", out, "--format", format, "--quiet"]) }
            })
        }
        return Stats(samples: samples)
    }
    let json = try synthRuns(["json"])
    let yaml = try synthRuns(["yaml"])
    let bothOne = try synthRuns(["both"])
    let both = try synthRuns(["json", "yaml"])
    let version = try repeated(20) { try run(formation, ["--version"]) }
    print("## Whole process: `formation synth --out DIR` of all \(stackCount) stack instances (validation on)\n")
    print("| run | median | min | max |\n|---|---|---|---|")
    print("| --format json | \(json.row) |")
    print("| --format yaml | \(yaml.row) |")
    print("| --format both (JSON and YAML, one process) | \(bothOne.row) |")
    print("| json then yaml (two processes) | \(both.row) |")
    print("| `formation --version` (process start-up alone) | \(version.row) |\n")

    // 2. In process, per stack: synth + validate + emit JSON and YAML.
    print("## In process, per stack: synthesize + validate + emit JSON + emit YAML\n")
    print("| stack | resources | median | min | max |\n|---|---|---|---|---|")
    for stack in app.stacks {
        let stats = try repeated(30) {
            let synthesis = stack.synthesize()
            _ = try synthesis.render(.json)
            _ = try synthesis.render(.yaml)
        }
        print("| \(stack.name) | \(stack.synthesize().template.resources.count) | \(stats.row) |")
    }
    print()

    // 3. Generated apps, each size in its own process (peak RSS per size).
    print("## Generated apps (units of 100 resources of 67 registry types, 20 typed and 47 raw; stacks of ≤ 500): build + synth + validate + emit JSON\n")
    print("| resources | runs | median (ms) | min | max | per resource (µs) | build / synth+validate / emit (ms) | peak RSS (MB) | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    var perResource: [Int: Double] = [:]
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    for (size, runs) in [(100, 30), (1_000, 15), (10_000, 7)] {
        let line = try run(me, ["--generated", String(size), String(runs)], capture: true)
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let total = object["total"] as? Double else { throw BenchError.failed("child printed \(line)") }
        let ms = { (key: String) in String(format: "%.1f", ((object[key] as? Double) ?? 0) * 1000) }
        perResource[size] = total / Double(size) * 1e6
        print("| \(size) | \(runs) | \(ms("total")) | \(ms("totalMin")) | \(ms("totalMax")) | \(String(format: "%.1f", total / Double(size) * 1e6)) | \(ms("build")) / \(ms("synth")) / \(ms("emit")) | \(String(format: "%.0f", (object["rssMB"] as? Double) ?? 0)) | \(object["errors"] ?? "?") |")
    }
    if let small = perResource[1_000], let large = perResource[10_000] {
        print("\ntime per resource at 10,000 / at 1,000: \(String(format: "%.2f", large / small))×")
    }
    print()

    // 4. Validation of template files, whole process.
    let validate = try repeated(10) { try run(formation, ["validate", "--quiet", "--template"] + snapshots) }
    print("## `formation validate --template` over the \(snapshots.count) snapshots (whole process)\n")
    print("| median | min | max |\n|---|---|---|\n| \(validate.row) |\n")

    // 4b. One resource, the smallest file a user validates.
    let one = FileManager.default.temporaryDirectory.appendingPathComponent("formation-bench-one-\(getpid()).yaml").path
    defer { try? FileManager.default.removeItem(atPath: one) }
    try Data("""
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Queue:
            Type: AWS::SQS::Queue
            Properties:
              MessageRetentionPeriod: 345600
              VisibilityTimeout: 30

        """.utf8).write(to: URL(fileURLWithPath: one))
    let validateOne = try repeated(20) { try run(formation, ["validate", "--quiet", "--template", one]) }
    print("## `formation validate --template` of a one-resource file (whole process)\n")
    print("| median | min | max |\n|---|---|---|\n| \(validateOne.row) |\n")

    // 4b'. A template of nearly 1 MB, CloudFormation's limit (issue 17): time and peak memory.
    let large = FileManager.default.temporaryDirectory.appendingPathComponent("formation-bench-large-\(getpid()).json").path
    defer { try? FileManager.default.removeItem(atPath: large) }
    let largeText = largeTemplate()
    try Data(largeText.utf8).write(to: URL(fileURLWithPath: large))
    var largePeak = 0
    let validateLarge = try repeated(10) {
        try run(formation, ["validate", "--quiet", "--template", large])
        largePeak = max(largePeak, lastChildPeakRSSKilobytes)
    }
    print("## `formation validate --template` of a template of \(largeText.utf8.count) bytes (whole process)\n")
    print("240 SSM parameters with 4,000-character values; peak RSS \(largePeak / 1024) MB.\n")
    print("| median | min | max |\n|---|---|---|\n| \(validateLarge.row) |\n")

    // 4c. A corpus of real templates: cfn-lint's good fixtures and its public templates
    // (`make cfn-lint-fixtures`), every file, in one process each.
    let corpus = corpusTemplates(root.appendingPathComponent(".cache/cfn-lint-\(cfnLintVersion)/test/fixtures/templates"))
    var corpusFormation: Stats?
    if corpus.isEmpty {
        print("corpus: skipped (no .cache/cfn-lint-\(cfnLintVersion)/test/fixtures/templates; `make cfn-lint-fixtures` fetches it)\n")
    } else {
        // validate exits 1 when a template has errors (some fixtures need a transform's output);
        // a crash or any other status stops the report.
        let stats = try repeated(10) { try run(formation, ["validate", "--quiet", "--template"] + corpus, accepting: [0, 1]) }
        corpusFormation = stats
        print("## `formation validate --template` over a corpus of \(corpus.count) real templates, one process\n")
        print("cfn-lint \(cfnLintVersion)'s test/fixtures/templates/good/ (every file) and public/.\n")
        print("| median | min | max |\n|---|---|---|\n| \(stats.row) |\n")
    }

    // 5. Side by side.
    print("## Side by side\n")
    if FileManager.default.isExecutableFile(atPath: venvPython) {
        // The two tools take turns (Formation 5 runs, troposphere 2, five rounds), so a change in
        // the machine's speed during the run (a shared VM's steal) falls on both alike.
        let rounds = 5
        print("Measured in turns: \(rounds) rounds of Formation (5 runs, one process) then troposphere (2 runs, one process); medians over all runs.\n")
        print("| generated app | troposphere median (ms) | Formation median (ms) | Formation faster by |\n|---|---|---|---|")
        for size in [1_000, 10_000] {
            var ours: [Double] = [], theirs: [Double] = []
            for _ in 0..<rounds {
                let mine = try run(me, ["--generated", String(size), "5"], capture: true)
                guard let object = try JSONSerialization.jsonObject(with: Data(mine.utf8)) as? [String: Any],
                      let totals = object["totals"] as? [Double] else { throw BenchError.failed("child printed \(mine)") }
                ours += totals
                let line = try run(venvPython, [root.appendingPathComponent("bench/troposphere_app.py").path, String(size), "2"], capture: true)
                guard let other = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let samples = other["runs"] as? [Double] else { throw BenchError.failed("troposphere printed \(line)") }
                theirs += samples
            }
            let oursMedian = Stats(samples: ours).median, theirsMedian = Stats(samples: theirs).median
            print("| \(size) resources | \(String(format: "%.1f", theirsMedian * 1000)) | \(String(format: "%.1f", oursMedian * 1000)) | \(String(format: "%.1f", theirsMedian / oursMedian))× |")
        }
    } else {
        print("troposphere: skipped (\(venvPython) not found; `make bench` installs troposphere==4.11.1 there)")
    }
    print()
    if FileManager.default.isExecutableFile(atPath: venvLint) {
        let lint = repeated(3) {
            // cfn-lint exits non-zero for warnings too; its result is not the point here.
            _ = try? run(venvLint, snapshots)
        }
        print("| validating the \(snapshots.count) snapshots | cfn-lint median (ms) | formation validate median (ms) | Formation faster by |\n|---|---|---|---|")
        print("| whole process | \(String(format: "%.0f", lint.median * 1000)) | \(String(format: "%.1f", validate.median * 1000)) | \(String(format: "%.0f", lint.median / validate.median))× |")
        if let corpusFormation {
            // cfn-lint's exit status is a bit mask of the levels it found (2 errors, 4 warnings, 8 informational).
            let lintCorpus = try repeated(2) { try run(venvLint, corpus, accepting: Set(0...15)) }
            print("| the corpus of \(corpus.count) templates, one process each | \(String(format: "%.0f", lintCorpus.median * 1000)) | \(String(format: "%.1f", corpusFormation.median * 1000)) | \(String(format: "%.0f", lintCorpus.median / corpusFormation.median))× |")
        }
    } else {
        print("cfn-lint: skipped (\(venvLint) not found; `make bench` installs cfn-lint==1.58.0 there)")
    }
}

/// A valid template just under 1 MB: 240 SSM parameters, each with a 4,000-character value.
func largeTemplate() -> String {
    var resources = OrderedMap()
    for index in 0..<240 {
        let value = String(repeating: "abcdefghij", count: 400)
        resources["Parameter\(index)"] = ["Type": "AWS::SSM::Parameter", "Properties": ["Type": "String", "Value": .string(value)]]
    }
    let template: TemplateValue = ["AWSTemplateFormatVersion": "2010-09-09", "Resources": .map(resources)]
    return (try? JSONEmitter.emit(template)) ?? ""
}

/// The pinned cfn-lint (the Makefile's CFN_LINT_VERSION, passed by `make bench`).
let cfnLintVersion = ProcessInfo.processInfo.environment["CFN_LINT_VERSION"] ?? "1.58.0"

/// Every template file under `fixtures`/good and `fixtures`/public, sorted by path.
func corpusTemplates(_ fixtures: URL) -> [String] {
    var files: [String] = []
    for directory in ["good", "public"] {
        let base = fixtures.appendingPathComponent(directory)
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
        for case let relative as String in walker
        where [".json", ".yaml", ".yml", ".template"].contains(where: relative.hasSuffix) {
            files.append(base.appendingPathComponent(relative).path)
        }
    }
    return files.sorted()
}

/// Prints stack `index` of the generated app of `resources` resources as JSON, its diagnostics on
/// standard error; fails when any is an error.
func generatedTemplate(resources: Int, index: Int) throws {
    let syntheses = GeneratedApp.make(resources: resources).synthesize()
    guard syntheses.indices.contains(index) else { throw BenchError.failed("the app has \(syntheses.count) stacks") }
    let synthesis = syntheses[index]
    for diagnostic in synthesis.diagnostics {
        FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
    }
    if synthesis.hasErrors { throw BenchError.failed("\(synthesis.diagnostics.errors.count) errors") }
    print(try synthesis.render(.json).text)
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "--template", arguments.count == 3, let size = Int(arguments[1]), let index = Int(arguments[2]) {
        try generatedTemplate(resources: size, index: index)
    } else if arguments.first == "--generated", arguments.count >= 2, let size = Int(arguments[1]) {
        try generatedChild(resources: size, runs: arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5)
    } else {
        try report()
    }
} catch {
    FileHandle.standardError.write(Data("formation-bench: \(error)\n".utf8))
    exit(1)
}
