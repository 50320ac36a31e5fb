import Testing
@testable import FormationTemplate

@Suite struct StringsContainingTests {
    @Test func findsEveryStringHoldingTheNeedleWithItsPath() {
        let value: TemplateValue = [
            "A": "x-tok", "B": ["no", "é tok é", "to"], "C": .fn(.sub("${X} tok", nil)),
            "D": ["E": "tok"], "F": "tO k", "G": .fn(.join(",", ["tok", "t"])),
        ]
        let found = value.strings(containing: "tok")
        #expect(found.map(\.path) == ["A", "B[1]", "C", "D.E", "G[0]"])
        #expect(found.map(\.text) == ["x-tok", "é tok é", "${X} tok", "tok", "tok"])
        #expect(TemplateValue.string("to").strings(containing: "tok").isEmpty)
        #expect(TemplateValue.string("anything").strings(containing: "").isEmpty)
    }

    @Test func containsBytesComparesUTF8() {
        #expect("a${Token[x]}".containsBytes(of: "${Token["))
        #expect("é→€".containsBytes(of: "→"))
        #expect(!"e\u{301}".containsBytes(of: "é"))   // bytes, not canonical equivalence
        #expect("ab".containsBytes(of: ""))
        #expect(!"ab".containsBytes(of: "abc"))
        #expect(!"aab".containsBytes(of: "abb"))
        #expect("aab".containsBytes(Array("ab".utf8)))
    }
}
