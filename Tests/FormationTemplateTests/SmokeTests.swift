import Testing
@testable import FormationTemplate

@Test func smoke() throws {
    let v: TemplateValue = ["Resources": ["Key": ["Type": "AWS::KMS::Key", "Properties": ["A": "yes", "B": 443, "C": 0.9, "D": "2012-10-17", "E": "line1\nline2\n", "F": .fn(.getAtt("Key", "Arn")), "G": .fn(.base64(.fn(.sub("x${AWS::Region}", nil)))), "H": [], "I": [:], "J": .fn(.join("", [.fn(.ref("X")), "a: b", " lead", "#x", "a #b", "*star", ""])), "K": .fn(.getAZs("")), "L": "é ü 日本", "M": "\u{1}\u{0}tab\t"]]]]
    let y = try YAMLEmitter.emit(v)
    let j = try JSONEmitter.emit(v)
    #expect(try YAMLParser.parse(y) == v)
    #expect(try JSONParser.parse(j) == v)
}
