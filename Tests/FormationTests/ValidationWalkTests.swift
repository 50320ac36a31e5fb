import Testing
@testable import Formation
import TestSupport

/// The reference check's walk over each resource's Properties also gathers what the structure
/// check (stringified tokens) and the cycle check (referenced names) need. These tests hold the
/// gathered results to the standalone definitions they replace, `strings(containing:)` and
/// `referencedNames`, on generated resources full of references, markers and malformed shapes.
@Suite struct ValidationWalkTests {
    static let names = ["A", "B", "C", "Missing", "AWS::Region", "P"]
    static let marked = TokenMarker.prefix + "{\"Ref\": \"A\"}]}"

    static func text(_ rng: inout SplitMix64) -> String {
        ["plain", marked, "x-" + marked, "${A}-${B.Arn}", "${!Literal}", "${P}/${Missing.Out}", "",
         "[0]", "Properties"].randomElement(using: &rng) ?? ""
    }

    static func key(_ rng: inout SplitMix64) -> String {
        ["K", "Ref", "Fn::GetAtt", "Fn::Sub", "[x", "", "Properties", "V\(Int.random(in: 0..<3, using: &rng))"]
            .randomElement(using: &rng) ?? "K"
    }

    static func value(_ depth: Int, _ rng: inout SplitMix64) -> TemplateValue {
        let name = names.randomElement(using: &rng) ?? "A"
        if depth <= 0 { return Bool.random(using: &rng) ? .string(text(&rng)) : .int(1) }
        switch Int.random(in: 0..<9, using: &rng) {
        case 0: return .list((0..<Int.random(in: 0..<3, using: &rng)).map { _ in value(depth - 1, &rng) })
        case 1, 2:
            // Includes one-key maps whose key is an intrinsic name (malformed intrinsics).
            return .map(OrderedMap((0..<Int.random(in: 1..<3, using: &rng)).map { _ in (key(&rng), value(depth - 1, &rng)) }))
        case 3: return .fn(.ref(name))
        case 4: return .fn(.getAtt(name, "Arn"))
        case 5: return .fn(.sub(text(&rng), Bool.random(using: &rng) ? nil : OrderedMap([("A", value(depth - 1, &rng))])))
        case 6: return .fn(.join(",", .list([value(depth - 1, &rng), value(depth - 1, &rng)])))
        case 7: return .fn(.if("Cond", value(depth - 1, &rng), value(depth - 1, &rng)))
        default: return .string(text(&rng))
        }
    }

    static func template(_ rng: inout SplitMix64) -> Template {
        var resources = OrderedMap()
        for name in ["A", "B", "C"] {
            var body: OrderedMap = ["Type": "AWS::SNS::Topic"]
            if Int.random(in: 0..<4, using: &rng) > 0 { body["Properties"] = value(4, &rng) }
            if Bool.random(using: &rng) { body["Metadata"] = value(2, &rng) }
            if Bool.random(using: &rng) { body["DependsOn"] = .list([.string(names.randomElement(using: &rng) ?? "A")]) }
            resources[name] = Int.random(in: 0..<12, using: &rng) == 0 ? value(2, &rng) : .map(body)
        }
        return Template.canonical(parameters: ["P": ["Type": "String"]], resources: resources)
    }

    @Test func gatheredNamesAndMarkersEqualTheStandaloneWalks() {
        var rng = SplitMix64(seed: 42)
        var markersSeen = 0
        for _ in 0..<3_000 {
            let template = Self.template(&rng)
            let context = ValidationContext(stackPath: "S")
            let result = ReferenceCheck.run(template, context)
            for (position, entry) in template.resources.entries.enumerated() {
                guard let properties = entry.value.mapValue?["Properties"] else {
                    #expect(result.scans[position] == nil)
                    continue
                }
                let scan = result.scans[position]
                let resourceNames = template.resources.keys
                #expect(scan?.referencedResources.map { resourceNames[$0] } == properties.referencedNames.filter(resourceNames.contains),
                        "\(properties)")
                let gathered = scan?.markedStrings.map { "\(PathStep.render($0.steps))=\($0.text)" }
                let standalone = properties.strings(containing: TokenMarker.prefix).map { "\($0.path)=\($0.text)" }
                #expect(gathered == standalone, "\(properties)")
                markersSeen += standalone.count
            }

            // The structure check's findings are what the whole-entry scan it used to run gives.
            let expected = template.resources.entries.flatMap { entry in
                entry.value.strings(containing: TokenMarker.prefix).map { hit in
                    let property = hit.path.hasPrefix("Properties.") ? String(hit.path.dropFirst("Properties.".count)) : hit.path
                    return "\(context.path(ofResource: entry.key)) \(property)"
                }
            }
            let found = StructureCheck.run(template, context, propertyScans: result.scans)
                .filter { $0.code == DiagnosticCode.stringifiedToken }.map { "\($0.path) \($0.property ?? "")" }
            #expect(found == expected)
        }
        #expect(markersSeen > 1_000)
    }
}
