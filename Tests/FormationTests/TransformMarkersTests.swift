import Testing
@testable import Formation
import FormationTemplate
import TestSupport

/// `TransformMarkers` walks a template once to decide whether the macro and language-extension
/// passes need to walk it. These tests hold its answers to the walks it spares, on generated
/// templates full of loop keys, `Fn::Transform` keys and functions, policy functions, near misses
/// (`Fn::ForEach` without the colons, a combining mark after the prefix, `Fn::Transformer`) and
/// malformed shapes (sections and resources that are not maps, a key written twice).
@Suite struct TransformMarkersTests {
    static func key(_ rng: inout SplitMix64) -> String {
        ["K", "Name", "Fn::ForEach::Loop", "Fn::ForEach::\u{301}Mark", "Fn::ForEach", "Fn::Transform", "Fn::Transformer",
         "Fn::Transfor", "Fn::If", "F", "Properties", "DeletionPolicy", "V\(Int.random(in: 0..<3, using: &rng))"]
            .randomElement(using: &rng) ?? "K"
    }

    static func value(_ depth: Int, _ rng: inout SplitMix64) -> TemplateValue {
        if depth <= 0 { return Bool.random(using: &rng) ? .string("s") : .int(1) }
        switch Int.random(in: 0..<14, using: &rng) {
        case 0, 1: return .list((0..<Int.random(in: 0..<3, using: &rng)).map { _ in value(depth - 1, &rng) })
        case 2, 3, 4: return .map(OrderedMap((0..<Int.random(in: 1..<3, using: &rng)).map { _ in (key(&rng), value(depth - 1, &rng)) }))
        case 5: return .fn(.ref("A"))
        case 6: return .fn(.sub("${A}", Bool.random(using: &rng) ? nil : OrderedMap([("A", value(depth - 1, &rng))])))
        case 7: return .fn(.if("Cond", value(depth - 1, &rng), value(depth - 1, &rng)))
        case 8: return .fn(.join(",", value(depth - 1, &rng)))
        case 9: return Int.random(in: 0..<3, using: &rng) == 0 ? .fn(.transform("Macro", OrderedMap([("P", value(depth - 1, &rng))]))) : .int(2)
        case 10: return Int.random(in: 0..<3, using: &rng) == 0 ? .fn(.transformList([value(depth - 1, &rng)])) : .int(3)
        case 11: return .fn(.getStackOutput(OrderedMap([("StackName", value(depth - 1, &rng))])))
        default: return .string("text")
        }
    }

    static func section(_ name: String, _ rng: inout SplitMix64) -> TemplateValue {
        if Int.random(in: 0..<15, using: &rng) == 0 { return value(2, &rng) }
        var entries = OrderedMap()
        for index in 0..<Int.random(in: 0..<4, using: &rng) {
            let entryKey = Int.random(in: 0..<8, using: &rng) == 0 ? key(&rng) : "\(name)\(index)"
            guard name == "Resources", Int.random(in: 0..<10, using: &rng) > 0 else {
                entries[entryKey] = value(3, &rng)
                continue
            }
            var body = OrderedMap()
            body.appendDistinct("Type", "AWS::SNS::Topic")
            if Bool.random(using: &rng) { body.appendDistinct("Properties", value(3, &rng)) }
            for attribute in ["DeletionPolicy", "UpdateReplacePolicy"] where Int.random(in: 0..<4, using: &rng) == 0 {
                let policy: TemplateValue = Bool.random(using: &rng) ? .fn(.ref("Policy")) : "Retain"
                body.appendDistinct(attribute, policy)
                // A key written twice: the lookup answers one of them.
                if Int.random(in: 0..<3, using: &rng) == 0 { body.appendDistinct(attribute, Bool.random(using: &rng) ? "Delete" : .fn(.ref("P"))) }
            }
            if Int.random(in: 0..<4, using: &rng) == 0 { body.appendDistinct(key(&rng), value(2, &rng)) }
            entries.appendIfAbsent(entryKey, .map(body))
        }
        return .map(entries)
    }

    static func template(_ rng: inout SplitMix64) -> Template {
        var root = OrderedMap()
        for name in ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"] where Int.random(in: 0..<5, using: &rng) > 0 {
            root[name] = section(name, &rng)
        }
        if Int.random(in: 0..<6, using: &rng) == 0 { root["Transform"] = .list(["MyMacro", "AWS::Serverless-2016-10-31"]) }
        return Template(root: root)
    }

    static func describe(_ reach: MacroReach?) -> [String] {
        reach?.macros.map { "\($0.name)|\($0.site)|\($0.paths ?? ["*"])|\($0.scope)|\($0.addsEntries)" } ?? []
    }

    @Test func answersWhatTheSparedWalksFind() {
        var rng = SplitMix64(seed: 7)
        var seen = (loops: 0, policies: 0, transforms: 0, macros: 0, none: 0)
        for _ in 0..<4_000 {
            let template = Self.template(&rng)
            let context = ValidationContext(stackPath: "S")
            let markers = TransformMarkers(template)

            let loops = LanguageExtensions.hasSectionLoops(template)
                || LanguageExtensions.loopSections.contains { template.root[$0]?.containsLoop == true }
            #expect(markers.loops == loops, "\(template.root)")
            #expect(markers.intrinsicPolicies == TemplatePreparation.hasIntrinsicPolicy(template), "\(template.root)")

            let walked = Self.describe(MacroReach.find(template, context))
            #expect(Self.describe(MacroReach.find(template, context, markers: markers)) == walked, "\(template.root)")
            // Without a transform in the sections, the sections' walk finds none.
            if !markers.transforms { #expect(walked.allSatisfy { !$0.contains("Fn::Transform") }, "\(template.root)") }

            if markers.loops { seen.loops += 1 }
            if markers.intrinsicPolicies { seen.policies += 1 }
            if markers.transforms { seen.transforms += 1 }
            if walked.contains(where: { $0.contains("Fn::Transform") }) { seen.macros += 1 }
            if !markers.loops && !markers.intrinsicPolicies && !markers.transforms { seen.none += 1 }
        }
        // Each answer was both true and false often enough to mean something.
        #expect(seen.loops > 300 && seen.loops < 3_700)
        #expect(seen.policies > 300 && seen.policies < 3_700)
        #expect(seen.transforms > 300 && seen.transforms < 3_700)
        #expect(seen.macros > 300)
        #expect(seen.none > 100)
    }

    @Test func aCombiningMarkAfterThePrefixIsNoLoop() {
        // `Fn::ForEach::` then U+0301: the last colon and the mark are one Character, so the key
        // does not start with the loop prefix for `containsLoop`, and not for the markers either.
        let template = Template(root: ["Resources": ["Fn::ForEach::\u{301}X": ["Type": "AWS::SNS::Topic"]]])
        #expect(!TransformMarkers(template).loops)
        #expect(template.root["Resources"]?.containsLoop == false)
        let looped = Template(root: ["Outputs": ["O": ["Value": ["Fn::ForEach::L": .list([])]]]])
        #expect(TransformMarkers(looped).loops)
        let elsewhere = Template(root: ["Parameters": ["P": ["Fn::ForEach::L": .list([])]]])
        #expect(!TransformMarkers(elsewhere).loops)
    }
}
