import Foundation
import FormationConstructs
import FormationTesting
import Stacks
import Testing

/// Builds one stack of this repository's app, with the app's rules and bundled schemas.
func synthesize(_ add: (App) -> Stack) -> Synthesis {
    let app = App(schemas: .bundled, rules: FormationApp.rules)
    return add(app).synthesize()
}

/// The environments by name, for parameterized tests.
let environmentNames = Environment.all.map(\.name)

func environment(_ name: String) -> Environment {
    Environment.all.first { $0.name == name } ?? .dev
}

/// The inline policy statements of a role (empty when it has none).
func statements(ofRole logicalID: String, in template: Template) -> [TemplateValue] {
    let policies = template.resource(logicalID)?.properties["Policies"]?.listValue ?? []
    return policies.flatMap { $0["PolicyDocument"]?["Statement"]?.listValue ?? [] }
}

/// Strings of a value that is one string or a list of them.
func strings(_ value: TemplateValue?) -> [String] {
    switch value {
    case .string(let one)?: [one]
    case .list(let items)?: items.compactMap(\.stringValue)
    default: []
    }
}

/// Every action a role's inline policy allows.
func actions(ofRole logicalID: String, in template: Template) -> Set<String> {
    Set(statements(ofRole: logicalID, in: template).flatMap { strings($0["Action"]) })
}

/// The role a function runs with, from the function's `Role: !GetAtt <Role>.Arn`.
func roleOfFunction(_ logicalID: String, in template: Template) -> String? {
    if case .fn(.getAtt(let role, "Arn"))? = template.resource(logicalID)?.properties["Role"] { return role }
    return nil
}

/// The statements of the Lambda trust + log-writing shape every function role starts with.
func logStatement(for logGroup: String) -> Match {
    ["Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": .getAtt(logGroup, "Arn")]
}

/// Replaces every `${…}` of an `Fn::Sub` text with a plausible value, so the text can be read
/// (and linted) as what CloudFormation would deploy.
func resolveSubstitutions(_ text: String) -> String {
    var result = ""
    var rest = text[...]
    while let start = rest.range(of: "${") {
        result += rest[..<start.lowerBound]
        guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
        let name = rest[start.upperBound..<end]
        switch name {
        case "AWS::Partition": result += "aws"
        case "AWS::Region": result += "us-east-1"
        case "AWS::AccountId": result += "123456789012"
        default: result += "arn:aws:lambda:us-east-1:123456789012:function:\(name.split(separator: ".").first ?? "")"
        }
        rest = rest[rest.index(after: end)...]
    }
    return result + rest
}

/// Runs `executable` (looked up on PATH) with `arguments`; its status and combined output.
func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A fresh directory under the system's temporary directory, removed on deinit.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("formation-stacktests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
