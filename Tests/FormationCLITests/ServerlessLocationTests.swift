import Foundation
import Formation
import Testing
@testable import FormationCLI

/// SAM's Globals findings point at their line in the file.
@Suite struct ServerlessLocationTests {
    @Test func aGlobalsFindingNamesItsLine() throws {
        let dir = try TemporaryDirectory()
        try dir.write("sam.yaml", """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Runtime: python3.13
                Timeout: soon
                FunctionName: shared
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties: {CodeUri: s3://b/k, Handler: app.handler}
            """)
        let file = dir.path + "/sam.yaml"
        let result = try CLI.run(CLI.formation, ["validate", "--template", file])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("\(file):6:5: error FM1132 Globals/Function: Globals.Function: \"FunctionName\" is not a property SAM accepts") }, "\(result)")
        #expect(lines.contains("\(file):5:5: error FM3002 Globals/Function: Globals.Function: Timeout \"soon\" is not an integer (AWS::Serverless::Function)"), "\(result)")
        #expect(lines.last == "error: \(file) failed validation: 2 errors, 0 warnings", "\(result)")
    }
}
