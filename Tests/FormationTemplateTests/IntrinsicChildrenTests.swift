import Testing
@testable import FormationTemplate

@Suite struct IntrinsicChildrenTests {
    /// `forEachChild` visits what `children` lists, in the same order.
    @Test func forEachChildVisitsTheChildrenInOrder() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let function = Generate.intrinsic(depth: 2, &rng)
            var visited: [TemplateValue] = []
            function.forEachChild { visited.append($0) }
            #expect(visited == function.children, "\(function)")
        }
    }
}

@Suite struct SubVariableTests {
    @Test func variablesAreTrimmedOfSpacesAndTabsOnly() {
        #expect(Intrinsic.subVariables(in: "${ A }-${\tB.Arn\t}-${!Literal}-${AWS::Region}") == ["A", "B.Arn", "AWS::Region"])
        #expect(Intrinsic.subVariables(in: "${}${ }${\t \t}") == ["", "", ""])
        #expect(Intrinsic.subVariables(in: "é${ é \u{A0}}${x") == ["é \u{A0}"])
        #expect(Intrinsic.subVariables(in: "$${A}$") == ["A"])
    }
}

@Suite struct SplitSubVariableTests {
    /// The split agrees with a character search for `.`, for ASCII and non-ASCII names alike.
    @Test(arguments: ["A", "A.Arn", "A.B.C", ".x", "x.", "", "AWS::Region", "é.Arn", "e\u{301}.x", "a.\u{301}b", "日本.語", "🎉"])
    func splitsAtTheFirstDotCharacter(_ variable: String) {
        let expected = variable.firstIndex(of: ".").map { (String(variable[..<$0]), String(variable[variable.index(after: $0)...])) }
        let split = Intrinsic.splitSubVariable(variable)
        #expect(split?.resource == expected?.0 && split?.attribute == expected?.1)
        #expect((split == nil) == (expected == nil))
    }
}
