import Formation
import FormationTemplate
import Testing
import XCTest
@testable import FormationTesting

/// Failures land in the running framework, at the caller's file and line.
@Suite struct SwiftTestingReportingTests {
    let template = Fixtures.assertions()

    @Test func swiftTestingIsDetected() {
        #expect(FailureReporter.framework == .swiftTesting)
    }

    @Test func aFailedAssertionIsAnIssueAtTheCallersLine() {
        let line = #line + 2
        withKnownIssue {
            template.resourceCount("AWS::KMS::Key", is: 2)
        } matching: { issue in
            issue.comments.map(\.rawValue) == ["expected 2 AWS::KMS::Key resources in Demo-dev, found 1: Key"]
                && issue.sourceLocation?.line == line
                && issue.sourceLocation?.fileID == "FormationTestingTests/ReportingTests.swift"
        }
    }

    @Test func everyReportingAssertionReportsItsChecksMessage() {
        // One failing call per reporting method, with the pure check it must report.
        let check = template.check
        let calls: [(AssertionResult, () -> AssertionResult)] = [
            (check.resourceCount("AWS::SQS::Queue", is: 1), { template.resourceCount("AWS::SQS::Queue", is: 1) }),
            (check.hasResourceProperties("AWS::KMS::Key", ["EnableKeyRotation": false]),
             { template.hasResourceProperties("AWS::KMS::Key", ["EnableKeyRotation": false]) }),
            (check.hasResource("AWS::KMS::Key", ["DeletionPolicy": "Delete"]), { template.hasResource("AWS::KMS::Key", ["DeletionPolicy": "Delete"]) }),
            (check.allResourcesHaveProperties("AWS::SQS::Queue", [:]), { template.allResourcesHaveProperties("AWS::SQS::Queue", [:]) }),
            (check.hasOutput("Nope"), { template.hasOutput("Nope") }),
            (check.hasOutput(matching: ["Value": "x"]), { template.hasOutput(matching: ["Value": "x"]) }),
            (check.hasParameter("Nope"), { template.hasParameter("Nope") }),
            (check.hasParameter(matching: ["Type": "Number"]), { template.hasParameter(matching: ["Type": "Number"]) }),
            (check.templateMatches(["Rules": .anyValue]), { template.templateMatches(["Rules": .anyValue]) }),
        ]
        for (expected, call) in calls {
            #expect(!expected.passed && !expected.message.isEmpty)
            withKnownIssue {
                #expect(call() == expected)
            } matching: { issue in
                issue.comments.map(\.rawValue) == [expected.message]
                    && issue.sourceLocation?.fileID == "FormationTestingTests/ReportingTests.swift"
            }
        }
    }

    @Test func passingAssertionsReportNothing() {
        // Any recorded issue would fail this test.
        template.resourceCount("AWS::KMS::Key", is: 1)
        template.hasResourceProperties("AWS::KMS::Key", ["EnableKeyRotation": true])
        template.hasResource("AWS::KMS::Key", ["DeletionPolicy": "Retain"])
        template.allResourcesHaveProperties("AWS::KMS::Key", [:])
        template.hasOutput("KeyArn")
        template.hasOutput(matching: ["Value": .ref("Topic")])
        template.hasParameter("VpcCidr")
        template.hasParameter(matching: ["Type": "String"])
        template.templateMatches(["Resources": .anyValue])
        template.hasNoErrors()
        #expect(AssertionResult.pass.report() == .pass)
    }

    @Test func unusualCallSitesAreSanitizedForSwiftTesting() {
        let location = FailureReporter.sourceLocation(CallSite(fileID: "NoModule.swift", filePath: "/x/NoModule.swift", line: 0, column: 0))
        #expect(location.fileID == "Unknown/NoModule.swift")
        #expect(location.line == 1)
        #expect(location.column == 1)
        let empty = FailureReporter.sourceLocation(CallSite(fileID: "", filePath: "", line: 7, column: 3))
        #expect(empty.fileID == "Unknown/Unknown.swift")
        #expect(empty.line == 7)
    }
}

/// Under XCTest, failures go to `XCTFail` with the caller's file and line.
final class XCTestReportingTests: XCTestCase {
    private var recorded: [(description: String, file: String, line: Int)] = []
    private var intercepting = false

    override func recordFailure(withDescription description: String, inFile filePath: String, atLine lineNumber: Int, expected: Bool) {
        if intercepting {
            recorded.append((description, filePath, lineNumber))
        } else {
            super.recordFailure(withDescription: description, inFile: filePath, atLine: lineNumber, expected: expected)
        }
    }

    func testXCTestIsDetected() {
        XCTAssertEqual(FailureReporter.framework, .xcTest)
    }

    func testAFailedAssertionIsAnXCTFailAtTheCallersLine() {
        let template = Fixtures.assertions(egressPort: 80)
        intercepting = true
        let line = #line + 1
        let result = template.hasResourceProperties("AWS::EC2::SecurityGroup", ["SecurityGroupEgress": [["FromPort": 443]]])
        intercepting = false
        XCTAssertFalse(result.passed)
        XCTAssertEqual(recorded.count, 1)
        XCTAssertEqual(recorded.first?.line, line)
        XCTAssertEqual(recorded.first?.file, #filePath)
        XCTAssertEqual(recorded.first?.description.hasSuffix("""
            the only AWS::EC2::SecurityGroup, AgentSg, does not match:
              Resources.AgentSg.Properties.SecurityGroupEgress[0].FromPort: expected 443, got 80
            """), true, recorded.first?.description ?? "nothing recorded")
    }

    func testPassingAssertionsReportNothing() {
        let template = Fixtures.assertions()
        intercepting = true
        template.hasResourceProperties("AWS::EC2::SecurityGroup", ["SecurityGroupEgress": [["FromPort": 443]]])
        template.resourceCount("AWS::SNS::Topic", is: 1)
        intercepting = false
        XCTAssertEqual(recorded.count, 0)
    }
}
