import Foundation
import Testing
@testable import FormationTemplate

/// Where keys and list items start (`SourcePositions`), for `validate --template`'s locations.
@Suite struct SourcePositionsTests {
    static let yaml = """
        Resources:
          Sg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              SecurityGroupIngress:
                - {IpProtocol: tcp, FromPort: 22}
                - IpProtocol: udp
          "Q": {Type: !Ref X, Tags: [a, "é", 3]}
        """

    @Test func yamlKeysAndItemsHaveTheirLineAndColumn() throws {
        let parsed = try TemplateDocument.parseWithPositions(Self.yaml)
        let p = parsed.positions
        #expect(p.position(of: ["Resources"]) == .init(line: 1, column: 1))
        #expect(p.position(of: ["Resources", "Sg"]) == .init(line: 2, column: 3))
        #expect(p.position(of: ["Resources", "Sg", "Type"]) == .init(line: 3, column: 5))
        #expect(p.position(of: ["Resources", "Sg", "Properties", "SecurityGroupIngress", "0"]) == .init(line: 6, column: 11))
        #expect(p.position(of: ["Resources", "Sg", "Properties", "SecurityGroupIngress", "0", "FromPort"]) == .init(line: 6, column: 29))
        #expect(p.position(of: ["Resources", "Sg", "Properties", "SecurityGroupIngress", "1"]) == .init(line: 7, column: 11))
        #expect(p.position(of: ["Resources", "Q"]) == .init(line: 8, column: 3))
        #expect(p.position(of: ["Resources", "Q", "Type"]) == .init(line: 8, column: 9))
        #expect(p.position(of: ["Resources", "Q", "Tags", "2"]) == .init(line: 8, column: 38))
        #expect(p.count == 16)
        // The value is what the plain parser reads.
        #expect(parsed.value == (try YAMLParser.parse(Self.yaml)))
    }

    @Test func nearestFindsTheLongestPrefix() throws {
        let p = try TemplateDocument.parseWithPositions(Self.yaml).positions
        let missing = p.nearest(["Resources", "Sg", "Properties", "GroupDescription"])
        #expect(missing?.position == .init(line: 4, column: 5) && missing?.matched == 3)
        #expect(p.nearest(["Outputs", "X"]) == nil)
        #expect(p.nearest(["Resources", "Nope"], minimum: 2) == nil)
    }

    @Test func jsonKeysAndItemsHaveTheirLineAndColumnEvenMinified() throws {
        let json = "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"Tags\": [{\"Key\": \"é\\\"\", \"Value\": 1}, true]}},\n \"a\\u0062\\n\": [null, -1.5e3, {}]}}"
        let parsed = try TemplateDocument.parseWithPositions(json)
        let p = parsed.positions
        #expect(p.position(of: ["Resources"]) == .init(line: 1, column: 2))
        #expect(p.position(of: ["Resources", "Q", "Type"]) == .init(line: 1, column: 22))
        #expect(p.position(of: ["Resources", "Q", "Properties", "Tags", "0"]) == .init(line: 1, column: 73))
        // "é\"" is 5 characters: the column counts characters, not bytes.
        #expect(p.position(of: ["Resources", "Q", "Properties", "Tags", "0", "Value"]) == .init(line: 1, column: 88))
        #expect(p.position(of: ["Resources", "Q", "Properties", "Tags", "1"]) == .init(line: 1, column: 101))
        // An escaped key is found by its decoded text.
        #expect(p.position(of: ["Resources", "ab\n"]) == .init(line: 2, column: 2))
        #expect(p.position(of: ["Resources", "ab\n", "1"]) == .init(line: 2, column: 22))
        #expect(p.position(of: ["Resources", "ab\n", "2"]) == .init(line: 2, column: 30))
        #expect(p.count == 13)
    }

    /// Every key and item of a large generated document, JSON as json-c writes it: the recorded
    /// paths are exactly the document's, in document order, and the text at each key's position
    /// is that key, quoted.
    @Test func jsonPositionsPointAtEveryKeyOfAGeneratedDocument() throws {
        var rng = SplitMix64(seed: 20_261_201)
        let document = TemplateValue.map(OrderedMap((0..<300).map { ("K\($0)", Generate.value(depth: 4, &rng)) }))
        for json in [try JSONEmitter.emit(document), try JSONEmitter.emit(document).replacingOccurrences(of: "\n", with: " ")] {
            let positions = SourcePositions.scanJSON(json)
            var expected: [[String]] = []
            Self.paths(of: document, under: [], into: &expected)
            let entries = positions.entries
            #expect(entries.map(\.path) == expected)
            let lines = json.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
            for (path, position) in entries {
                let rest = String(String.UnicodeScalarView(lines[position.line - 1][(position.column - 1)...]))
                if let last = path.last, case .map = Self.value(at: path.dropLast(), in: document) {
                    let quoted = try JSONEmitter.emit(.string(last)).trimmingCharacters(in: .newlines)
                    #expect(rest.hasPrefix(quoted), "\(path) at \(position)")
                } else {
                    #expect(rest.first.map { !$0.isWhitespace && $0 != "," } ?? false, "\(path) at \(position)")
                }
            }
        }
    }

    /// PyYAML's composer, an independent reader, puts every key and item of the YAML Formation
    /// writes where libyaml's marks do.
    @Test func yamlPositionsMatchPyYAMLs() throws {
        var rng = SplitMix64(seed: 20_261_202)
        var values: [TemplateValue] = (0..<600).map { _ in Generate.value(depth: 4, &rng) }
        values += hostileStrings.map { .map(OrderedMap([($0, .list([.string($0)]))])) }
        let yaml = try YAMLEmitter.emit(.list(values))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("formation-positions-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("values.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("pyyaml_positions.py")
        let (status, output) = try runPython([script.path, file.path])
        #expect(status == 0, "\(output.prefix(2000))")
        guard status == 0, case .list(let theirs) = try JSONParser.parse(output) else { return }
        let ours = try YAMLParser.parseWithPositions(yaml).positions
        #expect(ours.count == theirs.count)
        var mismatches: [String] = []
        for entry in theirs {
            guard case .list(let parts)? = entry[0], case .int(let line)? = entry[1], case .int(let column)? = entry[2] else {
                Issue.record("unexpected entry \(entry)")
                continue
            }
            let path = parts.map { part in
                String(String.UnicodeScalarView((part.listValue ?? []).compactMap { $0.intValue.flatMap { Unicode.Scalar(UInt32($0)) } }))
            }
            let mine = ours.position(of: path)
            if mine != .init(line: Int(line), column: Int(column)) { mismatches.append("\(path): PyYAML \(line):\(column), ours \(mine.map(String.init(describing:)) ?? "none")") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// Long-form paths of every key and item of `value`, in document order.
    static func paths(of value: TemplateValue, under path: [String], into result: inout [[String]]) {
        switch value {
        case .map(let map):
            for entry in map.entries {
                result.append(path + [entry.key])
                paths(of: entry.value, under: path + [entry.key], into: &result)
            }
        case .list(let items):
            for (index, item) in items.enumerated() {
                result.append(path + [String(index)])
                paths(of: item, under: path + [String(index)], into: &result)
            }
        case .fn(let function):
            paths(of: .map(function.longForm), under: path, into: &result)
        default:
            break
        }
    }

    static func value(at path: ArraySlice<String>, in value: TemplateValue) -> TemplateValue? {
        var current: TemplateValue? = value
        for component in path {
            switch current {
            case .map(let map)?: current = map[component]
            case .list(let items)?: current = Int(component).flatMap { items.indices.contains($0) ? items[$0] : nil }
            case .fn(let function)?: current = TemplateValue.map(function.longForm)[component]
            default: return nil
            }
        }
        if case .fn(let function)? = current { return .map(function.longForm) }
        return current
    }
}
