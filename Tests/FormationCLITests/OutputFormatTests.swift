import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Formation
import Testing
@testable import FormationCLI

/// `validate --output-format json|sarif|junit`. (`make report-formats-check` also validates the
/// SARIF against the 2.1.0 JSON schema over the snapshots and cfn-lint's fixtures.)
@Suite struct OutputFormatTests {
    func brokenFile() throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        try dir.write("broken.yaml", LocationTests.broken)
        return (dir, dir.path + "/broken.yaml")
    }

    @Test func sarifHasRulesWithHelpAndLocatedResults() throws {
        let (dir, file) = try brokenFile()
        _ = dir
        let result = try CLI.run(CLI.formation, ["validate", "--template", file, "--output-format", "sarif"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: \(file) failed validation: 10 errors, 2 warnings, 1 info\n", "\(result)")
        let document = try JSONParser.parse(result.stdout)
        #expect(document["version"] == "2.1.0")
        let run = try #require(document["runs"]?[0])
        let rules = try #require(run["tool"]?["driver"]?["rules"]?.listValue)
        let ids = rules.compactMap { $0["id"]?.stringValue }
        #expect(Set(ids).count == ids.count)
        // Every rule of the pack, with its rationale and fix; the validity codes too.
        #expect(ids.prefix(13) == ["FM4001", "FM4002", "FM4003", "FM4004", "FM4005", "FM4006", "FM4901", "FM4902", "FM4903", "FM4801", "FM4502", "FM4503", "FM4201"], "\(ids)")
        #expect(ids.contains("FM1101") && ids.contains("FM3009") && ids.contains("FM1000"))
        let ssh = try #require(rules.first { $0["id"] == "FM4801" })
        #expect(ssh["help"]?["text"]?.stringValue?.contains("Why: SSH, RDP and database ports facing 0.0.0.0/0") == true)
        #expect(ssh["help"]?["text"]?.stringValue?.contains("Fix: admit a known CIDR or a security group") == true)
        #expect(ssh["defaultConfiguration"]?["level"] == "error")
        #expect(rules.first { $0["id"] == "FM4903" }?["defaultConfiguration"]?["level"] == "warning")

        let results = try #require(run["results"]?.listValue)
        #expect(results.count == 13)
        for entry in results {
            let index = try #require(entry["ruleIndex"]?.intValue)
            #expect(ids[Int(index)] == entry["ruleId"]?.stringValue)
            #expect(entry["locations"]?[0]?["physicalLocation"]?["artifactLocation"]?["uri"]?.stringValue?.hasSuffix("broken.yaml") == true)
        }
        let open = try #require(results.first { $0["ruleId"] == "FM4801" })
        #expect(open["level"] == "error")
        #expect(open["message"]?["text"] == "Sg: SecurityGroupIngress[0]: admits 0.0.0.0/0 on 22 (SSH)")
        let location = try #require(open["locations"]?[0])
        #expect(location["physicalLocation"]?["region"] == .map(OrderedMap([("startLine", 11), ("startColumn", 11)])))
        #expect(location["logicalLocations"]?[0]?["name"] == "Sg")
        #expect(location["logicalLocations"]?[0]?["kind"] == "resource")
        #expect(results.first { $0["ruleId"] == "FM4903" }?["level"] == "warning")
        #expect(results.first { $0["ruleId"] == "FM1101" }?["locations"]?[0]?["logicalLocations"]?[0]?["name"] == "O")
    }

    @Test func aFileThatDoesNotParseIsAResultToo() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad.yaml", "Resources:\n  A:\n    Type: [unclosed\n")
        let result = try CLI.run(CLI.formation, ["validate", "--template", dir.path + "/bad.yaml", "--output-format", "sarif"])
        #expect(result.status == 1)
        let results = try #require(JSONParser.parse(result.stdout)["runs"]?[0]?["results"]?.listValue)
        #expect(results.count == 1)
        #expect(results.first?["ruleId"] == "FM1000")
        #expect(results.first?["locations"]?[0]?["physicalLocation"]?["region"]?["startLine"] == 4)
    }

    @Test func stacksPointIntoTheTemplateSynthWrites() throws {
        let result = try CLI.app("validate", "Broken-test", "--output-format", "sarif")
        #expect(result.status == 1)
        let results = try #require(JSONParser.parse(result.stdout)["runs"]?[0]?["results"]?.listValue)
        let dangling = try #require(results.first { $0["ruleId"] == "FM1101" })
        let location = try #require(dangling["locations"]?[0])
        #expect(location["physicalLocation"]?["artifactLocation"]?["uri"] == "Broken-test.template.json")
        #expect(location["logicalLocations"]?[0]?["fullyQualifiedName"] == "Broken-test/Logs")
        #expect(location["physicalLocation"]?["region"]?["startLine"]?.intValue ?? 0 > 1)

        // A valid stack's warning points at the line of the template synth writes.
        let warn = try CLI.app("validate", "Warn-test", "--output-format", "sarif")
        #expect(warn.status == 0)
        let unregistered = try #require(JSONParser.parse(warn.stdout)["runs"]?[0]?["results"]?[0]?["locations"]?[0])
        #expect(unregistered["logicalLocations"]?[0]?["name"] == "Logging")
        let synth = try CLI.app("synth", "Warn-test")
        let line = try #require(unregistered["physicalLocation"]?["region"]?["startLine"]?.intValue)
        let column = try #require(unregistered["physicalLocation"]?["region"]?["startColumn"]?.intValue)
        let lines = synth.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.indices.contains(Int(line) - 1) && lines[Int(line) - 1].dropFirst(Int(column) - 1).hasPrefix("\"Type\": \"AWS::Bedrock::ModelInvocationLoggingConfiguration\""), "\(line): \(synth.stdout)")
    }

    @Test func junitIsOneSuitePerTemplateAndOneCasePerResource() throws {
        let (dir, file) = try brokenFile()
        _ = dir
        let result = try CLI.run(CLI.formation, ["validate", "--template", file, "--output-format", "junit"])
        #expect(result.status == 1)
        let parsed = try JUnitReader(result.stdout)
        #expect(parsed.suites == [file])
        #expect(parsed.cases == ["Sg", "Q", "Data", "Role", "Template"])
        #expect(parsed.failures == ["Sg": "FM1105", "Q": "FM3006", "Role": "FM4004", "Template": "FM1111"])
        #expect(parsed.attributes["testsuite"]?["failures"] == "4")
        #expect(parsed.text.contains("\(file):19:3: warning FM4903 Data: no bucket policy"))
    }

    @Test func jsonCarriesEveryDiagnosticWithItsPlace() throws {
        let (dir, file) = try brokenFile()
        _ = dir
        let result = try CLI.run(CLI.formation, ["validate", "--template", file, "--output-format", "json"])
        let document = try JSONParser.parse(result.stdout)
        #expect(document["errors"] == 10 && document["warnings"] == 2 && document["failed"] == true)
        let diagnostics = try #require(document["units"]?[0]?["diagnostics"]?.listValue)
        let open = try #require(diagnostics.first { $0["code"] == "FM4801" })
        #expect(open["line"] == 11 && open["column"] == 11 && open["logicalId"] == "Sg" && open["finding"] == true)
        #expect(diagnostics.first { $0["code"] == "FM4903" }?["fails"] == false)
    }

    /// Every character a message may hold survives XML escaping, read back by Foundation's
    /// XMLParser; the ones XML 1.0 cannot carry become U+FFFD.
    @Test func xmlEscapingRoundTrips() throws {
        let hostile = ["a & b < c > d \"q\" 'a'", "]]>", "tab\there\nline\r\nend", "\u{1}\u{8}\u{B}\u{1F}", "é 日本 🎉", "\u{FFFE}\u{FFFF}", "&amp;"]
        for text in hostile {
            let xml = "<r a=\"\(XMLText.attribute(text))\">\(XMLText.content(text))</r>"
            let parsed = try JUnitReader(xml)
            let expected = String(String.UnicodeScalarView(text.unicodeScalars.map { XMLText.isAllowed($0) ? $0 : "\u{FFFD}" }))
            #expect(parsed.attributes["r"]?["a"] == expected, "\(xml)")
            #expect(parsed.text == expected, "\(xml)")
        }
    }

    @Test func artifactURIsAreRelativeAndEncoded() {
        #expect(ArtifactURI.reference(forPath: "./templates/app.yaml", currentDirectory: "/repo") == "templates/app.yaml")
        #expect(ArtifactURI.reference(forPath: "/repo/t/my app#1.yaml", currentDirectory: "/repo") == "t/my%20app%231.yaml")
        #expect(ArtifactURI.reference(forPath: "/elsewhere/é.json", currentDirectory: "/repo") == "file:///elsewhere/%C3%A9.json")
    }
}

/// Reads a JUnit document (or any XML) with Foundation's XMLParser: suites, cases, the first
/// failure type per case, attributes of the last element of each name, and all text.
final class JUnitReader: NSObject, XMLParserDelegate {
    var suites: [String] = []
    var cases: [String] = []
    var failures: [String: String] = [:]
    var attributes: [String: [String: String]] = [:]
    var text = ""
    private var currentCase = ""
    private var error: Error?

    init(_ xml: String) throws {
        super.init()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? error ?? CocoaError(.fileReadCorruptFile) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        self.attributes[name] = attributes
        switch name {
        case "testsuite": suites.append(attributes["name"] ?? "")
        case "testcase":
            currentCase = attributes["name"] ?? ""
            cases.append(currentCase)
        case "failure": failures[currentCase] = attributes["type"] ?? ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        error = parseError
    }
}
