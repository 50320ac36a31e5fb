import FormationTemplate
import Testing
@testable import FormationTesting

/// Each matcher on its own: where it passes, where it fails, and what it says.
@Suite struct MatchTests {
    /// The failure lines of matching `value` against `pattern` at path `X`.
    func failures(_ pattern: Match, _ value: TemplateValue?) -> [String] {
        pattern.evaluate(value, path: "X").failures.map(\.description)
    }

    @Test func exactMatchesEqualValuesIgnoringKeyOrder() {
        #expect(failures(.exact(["A": 1, "B": [true, "x"]]), ["B": [true, "x"], "A": 1]) == [])
        #expect(failures(443, 443) == [])
        #expect(failures("tcp", "tcp") == [])
        #expect(failures(.null, .null) == [])
        #expect(failures(.exact(.fn(.sub("a-${B}", ["B": "c", "D": "e"]))), .fn(.sub("a-${B}", ["D": "e", "B": "c"]))) == [])
    }

    @Test func exactReportsTheDeepestDifferingPaths() {
        #expect(failures(443, 80) == ["X: expected 443, got 80"])
        #expect(failures(443, "443") == [#"X: expected 443, got "443""#])
        #expect(failures(443, .double(443)) == ["X: expected 443, got 443.0"])
        #expect(failures(443, nil) == ["X: expected 443, got no value"])
        #expect(failures(.exact(["A": 1, "B": ["x", "y"]]), ["A": 2, "B": ["x", "z"], "C": true]) == [
            "X.A: expected 1, got 2",
            #"X.B[1]: expected "y", got "z""#,
            "X.C: expected no value, got true",
        ])
        #expect(failures(.exact(["A": 1]), [:]) == ["X.A: expected 1, got no value"])
        #expect(failures(.exact([1, 2]), [1, 2, 3]) == ["X: expected [1, 2], got [1, 2, 3]"])
        #expect(failures(.exact(["A": 1]), "A") == [#"X: expected {"A": 1}, got "A""#])
    }

    @Test func intrinsicsMatchByFunctionAndArguments() {
        let arn = TemplateValue.fn(.getAtt("Key", "Arn"))
        #expect(failures(.fn(.getAtt("Key", "Arn")), arn) == [])
        #expect(failures(.getAtt("Key", "Arn"), arn) == [])
        #expect(failures(.ref("Key"), .fn(.ref("Key"))) == [])
        #expect(failures(.getAtt("Key", "Arn"), .fn(.getAtt("OtherKey", "Arn"))) == [
            #"X: expected {"Fn::GetAtt": ["Key", "Arn"]}, got {"Fn::GetAtt": ["OtherKey", "Arn"]}"#,
        ])
        #expect(failures(.ref("Key"), arn) == [#"X: expected {"Ref": "Key"}, got {"Fn::GetAtt": ["Key", "Arn"]}"#])
        #expect(failures(.ref("Key"), "Key") == [#"X: expected {"Ref": "Key"}, got "Key""#])
        // A dictionary pattern in long form matches the function, with paths inside it.
        #expect(failures(["Fn::GetAtt": ["Key", "Arn"]], arn) == [])
        #expect(failures(["Fn::GetAtt": ["Key", "Id"]], arn) == [#"X.Fn::GetAtt[1]: expected "Id", got "Arn""#])
        // Same function with nested values: the difference is located inside.
        #expect(failures(.fn(.join(",", ["a", .fn(.ref("B"))])), .fn(.join(",", ["a", .fn(.ref("C"))]))) == [
            #"X.Fn::Join[1][1]: expected {"Ref": "B"}, got {"Ref": "C"}"#,
        ])
    }

    @Test func intrinsicMatchesTheArgumentWithAPattern() {
        let sub = TemplateValue.fn(.sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Logs}:*", nil))
        #expect(failures(.intrinsic("Fn::Sub", .stringMatching("arn:.*:log-group:\\$\\{Logs\\}:\\*")), sub) == [])
        #expect(failures(.intrinsic("Fn::Sub"), sub) == [])
        #expect(failures(.intrinsic("Fn::Sub", .stringMatching(".*:function:.*")), sub) == [
            #"X.Fn::Sub: expected a string wholly matching /.*:function:.*/, got "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Logs}:*""#,
        ])
        #expect(failures(.intrinsic("Fn::Join"), sub) == [
            #"X: expected {"Fn::Join": any value}, got {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Logs}:*"}"#,
        ])
    }

    @Test func objectLikeChecksListedKeysOnly() {
        let rule: TemplateValue = ["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"]
        #expect(failures(["IpProtocol": "tcp", "FromPort": 443], rule) == [])
        #expect(failures(.objectLike(["ToPort": 443]), rule) == [])
        #expect(failures(["FromPort": 80, "ToPort": 80, "Description": "https"], rule) == [
            "X.FromPort: expected 80, got 443",
            "X.ToPort: expected 80, got 443",
            #"X.Description: expected "https", got no value"#,
        ])
        #expect(failures(["FromPort": 443], "tcp") == [#"X: expected {"FromPort": 443, …}, got "tcp""#])
        #expect(failures(["FromPort": 443], nil) == [#"X: expected {"FromPort": 443, …}, got no value"#])
    }

    @Test func nestedDictionaryLiteralsAreObjectLikeToo() {
        let role: TemplateValue = ["Statement": [["Effect": "Allow", "Principal": ["Service": "lambda.amazonaws.com"], "Action": "sts:AssumeRole"]]]
        #expect(failures(["Statement": [["Principal": ["Service": "lambda.amazonaws.com"]]]], role) == [])
        #expect(failures(["Statement": [["Principal": ["Service": "bedrock.amazonaws.com"]]]], role) == [
            #"X.Statement[0].Principal.Service: expected "bedrock.amazonaws.com", got "lambda.amazonaws.com""#,
        ])
    }

    @Test func objectExactlyRejectsExtraKeys() {
        #expect(failures(.objectExactly(["A": 1, "B": .anyValue]), ["B": "x", "A": 1]) == [])
        #expect(failures(.objectExactly(["A": 1]), ["A": 1, "B": 2]) == ["X.B: expected no value, got 2"])
        #expect(failures(.objectExactly(["A": 1]), [1]) == [#"X: expected {"A": 1}, got [1]"#])
    }

    @Test func absentRequiresTheKeyToBeMissing() {
        let group: TemplateValue = ["GroupDescription": "agent"]
        #expect(failures(["SecurityGroupIngress": .absent], group) == [])
        #expect(failures(["GroupDescription": .absent], group) == [#"X.GroupDescription: expected no value, got "agent""#])
        #expect(failures(.absent, .null) == ["X: expected no value, got null"])
    }

    @Test func anyValueRequiresAPresentNonNullValue() {
        #expect(failures(["A": .anyValue], ["A": 0]) == [])
        #expect(failures(["A": .anyValue], ["A": []]) == [])
        #expect(failures(["A": .anyValue], [:]) == ["X.A: expected any value, got no value"])
        #expect(failures(["A": .anyValue], ["A": .null]) == ["X.A: expected any value, got null"])
    }

    @Test func stringMatchingMatchesTheWholeString() {
        let rule = "^[a-zA-Z][a-zA-Z0-9_]{0,47}$"
        #expect(failures(.stringMatching(rule), "customerServiceAgent_dev") == [])
        #expect(failures(.stringMatching(rule), "customer-service-agent-dev") == [
            #"X: expected a string wholly matching /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/, got "customer-service-agent-dev""#,
        ])
        // No anchors written, still the whole value (as AgentCore checks names; seed gotcha 1).
        #expect(failures(.stringMatching("[a-zA-Z][a-zA-Z0-9_]{0,47}"), "customer-service-agent-dev") == [
            #"X: expected a string wholly matching /[a-zA-Z][a-zA-Z0-9_]{0,47}/, got "customer-service-agent-dev""#,
        ])
        #expect(failures(.stringMatching(".*agent.*"), "customer-service-agent-dev") == [])
        #expect(failures(.stringMatching("4.*"), 443) == ["X: expected a string wholly matching /4.*/, got 443"])
        #expect(failures(.stringMatching("a"), nil) == ["X: expected a string wholly matching /a/, got no value"])
    }

    @Test func anInvalidRegularExpressionFailsWithoutCrashing() {
        let lines = failures(.stringMatching("(unclosed"), "x")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("X: invalid regular expression /(unclosed/: ") == true)
    }

    @Test func arrayExactlyNeedsSameLengthAndOrder() {
        #expect(failures([1, "two", ["k": true]], [1, "two", ["k": true, "extra": 1]]) == [])
        #expect(failures(.arrayExactly([1, 2]), [2, 1]) == ["X[0]: expected 1, got 2", "X[1]: expected 2, got 1"])
        #expect(failures([1, 2], [1]) == ["X: expected [1, 2], got [1]"])
        #expect(failures([1], ["a": 1]) == [#"X: expected [1], got {"a": 1}"#])
    }

    /// Seed gotcha 9: the same elements in another order.
    @Test func gotcha9OrderedSubsequenceFailsWhereUnorderedContainmentPasses() {
        let filters = TemplateValue.list(Fixtures.filterTypes.map { ["Type": .string($0), "InputStrength": "HIGH"] })
        let templateOrder: [Match] = [["Type": "PROMPT_ATTACK"], ["Type": "HATE"]]
        let otherOrder: [Match] = [["Type": "HATE"], ["Type": "PROMPT_ATTACK"]]

        #expect(failures(.arrayContainingInOrder(templateOrder), filters) == [])
        #expect(failures(.arrayContainingInAnyOrder(templateOrder), filters) == [])
        #expect(failures(.arrayContainingInAnyOrder(otherOrder), filters) == [])
        #expect(failures(.arrayContainingInOrder(otherOrder), filters) == [
            #"X: pattern element 1 ({"Type": "PROMPT_ATTACK", …}) matches only [0], which is not after [1] (matched by pattern element 0); "#
                + "arrayContainingInOrder is order-sensitive: use arrayContainingInAnyOrder if the order does not matter",
        ])
    }

    @Test func orderedSubsequenceAllowsGapsAndChecksFullOrder() {
        let list: TemplateValue = ["a", "b", "c", "d"]
        #expect(failures(.arrayContainingInOrder(["a", "c", "d"]), list) == [])
        #expect(failures(.arrayContainingInOrder([]), list) == [])
        #expect(failures(.arrayContainingInOrder([]), []) == [])
        #expect(failures(.arrayContainingInOrder(["a", "a"]), list) == [
            #"X: pattern element 1 ("a") matches only [0], which is not after [0] (matched by pattern element 0); "#
                + "arrayContainingInOrder is order-sensitive: use arrayContainingInAnyOrder if the order does not matter",
        ])
        #expect(failures(.arrayContainingInOrder(["a"]), []) == [#"X: expected a list containing, in this order, ["a"], got []"#])
        #expect(failures(.arrayContainingInOrder(["a"]), "a") == [#"X: expected a list containing, in this order, ["a"], got "a""#])
    }

    @Test func containmentShowsTheClosestElementWhenNothingMatches() {
        let egress: TemplateValue = [
            ["IpProtocol": "udp", "FromPort": 53, "ToPort": 53],
            ["IpProtocol": "tcp", "FromPort": 80, "ToPort": 80],
        ]
        let https: Match = ["IpProtocol": "tcp", "FromPort": 443, "ToPort": 443]
        let expected = [
            "X[1].FromPort: expected 443, got 80",
            "X[1].ToPort: expected 443, got 80",
            #"X: no element matches pattern element 0 ({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, …}); closest is [1], differences above"#,
        ]
        #expect(failures(.arrayContainingInAnyOrder([https]), egress) == expected)
        #expect(failures(.arrayContainingInOrder([https]), egress) == expected)
    }

    @Test func unorderedContainmentNeedsOneElementPerPattern() {
        #expect(failures(.arrayContainingInAnyOrder(["b", "a"]), ["a", "b", "c"]) == [])
        #expect(failures(.arrayContainingInAnyOrder([.anyValue, "a"]), ["a", "b"]) == [])  // needs reassignment
        #expect(failures(.arrayContainingInAnyOrder([]), []) == [])
        #expect(failures(.arrayContainingInAnyOrder(["a", "a"]), ["a", "b"]) == [
            #"X: pattern element 1 ("a") matches only [0], which other pattern elements use; each pattern element needs an element of its own"#,
        ])
        #expect(failures(.arrayContainingInAnyOrder(["a"]), []) == [#"X: expected a list containing, in any order, ["a"], got []"#])
        #expect(failures(.arrayContainingInAnyOrder(["a"]), nil) == [#"X: expected a list containing, in any order, ["a"], got no value"#])
    }

    @Test func serializedJSONParsesTheStringAndMatchesInside() {
        let definition: TemplateValue = #"{"StartAt": "Analyze", "States": {"Analyze": {"Type": "Task", "Resource": "${AnalyzerArn}"}}}"#
        #expect(failures(.serializedJSON(["StartAt": "Analyze"]), definition) == [])
        #expect(failures(.serializedJSON(["States": ["Analyze": ["Type": "Pass"]]]), definition) == [
            #"X(json).States.Analyze.Type: expected "Pass", got "Task""#,
        ])
        let sub = TemplateValue.fn(.sub(definition.stringValue ?? "", ["AnalyzerArn": .fn(.getAtt("Analyzer", "Arn"))]))
        #expect(failures(.serializedJSON(["States": ["Analyze": ["Resource": "${AnalyzerArn}"]]]), sub) == [])
        #expect(failures(.serializedJSON(["StartAt": "Notify"]), sub) == [#"X.Fn::Sub(json).StartAt: expected "Notify", got "Analyze""#])
        #expect(failures(.serializedJSON(["A": 1]), ["A": 1]) == [#"X: expected a JSON string encoding {"A": 1, …}, got {"A": 1}"#])
        // The parser's own wording after the prefix is json-c's, and varies by version.
        let notJSON = failures(.serializedJSON(["A": 1]), "{not json")
        #expect(notJSON.count == 1)
        #expect(notJSON.first?.hasPrefix(#"X: expected a JSON string encoding {"A": 1, …}, but the string is not JSON: <input>:1:"#) == true)
    }

    @Test func notInvertsAPattern() {
        #expect(failures(.not("*"), "s3:GetObject") == [])
        #expect(failures(.not("*"), "*") == [#"X: expected anything but "*", got "*""#])
        #expect(failures(["Action": .not(.stringMatching(".*\\*.*"))], ["Action": "s3:*"]) == [
            #"X.Action: expected anything but a string wholly matching /.*\*.*/, got "s3:*""#,
        ])
        #expect(failures(.not(.absent), nil) == ["X: expected anything but no value, got no value"])
        #expect(failures(.not(.absent), 1) == [])
    }

    @Test func distanceRanksCandidatesByFailedLeaves() {
        let pattern: Match = ["A": 1, "B": 2, "C": ["D": 3, "E": 4]]
        #expect(pattern.evaluate(["A": 1, "B": 2, "C": ["D": 3, "E": 4]]).distance == 0)
        #expect(pattern.evaluate(["A": 1, "B": 2, "C": ["D": 3, "E": 5]]).distance == 1)
        #expect(pattern.evaluate(["A": 1, "B": 2]).distance == 2)  // a missing object counts its leaves
        #expect(pattern.evaluate("x").distance == 4)
    }

    @Test func descriptionsRenderPatternsCompactly() {
        let pattern: Match = [
            "A": .arrayContainingInOrder([1, .anyValue]),
            "B": .arrayContainingInAnyOrder([.absent]),
            "C": .objectExactly(["D": .not(.null)]),
            "E": .serializedJSON([true]),
            "F": .capture(Capture(), .ref("G")),
        ]
        #expect(pattern.description == #"{"A": a list containing, in this order, [1, any value], "B": a list containing, in any order, [no value], "#
            + #""C": {"D": anything but null}, "E": a JSON string encoding [true], "F": {"Ref": "G"}, …}"#)
    }
}

@Suite struct RuntimeEntryMatchTests {
    @Test func objectPatternsFromRuntimeEntries() {
        let entries: [(String, Match)] = [("A", 1), ("B", .anyValue)]
        #expect(Match.objectExactly(entries).evaluate(["B": "x", "A": 1]).isMatch)
        #expect(!Match.objectExactly(entries).evaluate(["A": 1, "B": 2, "C": 3]).isMatch)
        #expect(Match.objectLike(entries).evaluate(["A": 1, "B": 2, "C": 3]).isMatch)
        #expect(!Match.objectLike(entries).evaluate(["A": 2, "B": 2]).isMatch)
    }
}
