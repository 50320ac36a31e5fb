import Formation
import FormationResources
import FormationTemplate
import Testing

/// The README's `forEach` example with a typed resource, over literal items and over a list
/// parameter (validated once with a placeholder).
@Suite struct ForEachTypedTests {
    func synthesis(_ collection: ForEachCollection, dependsOn: [String] = []) throws -> Synthesis {
        let app = App(schemas: .bundled)
        let stack = app.stack("Topics-dev")
        _ = stack.parameter("Names", type: .commaDelimitedList)
        _ = stack.condition("IsProd", Fn.equals(AWS.region, Value<String>("us-east-1")))
        stack.forEach("Topics", "Name", in: collection) { loop in
            [("Topic\(loop.key)", ForEachResource(SNS.Topic(topicName: "shop-\(loop.item)"), dependsOn: dependsOn,
                                                  deletionPolicy: .fn(.if("IsProd", "Retain", "Delete"))))]
        }
        stack.forEachOutput("Arns", "Name", in: collection) { loop in
            [("Topic\(loop.key)Arn", Value<String>(.getAtt("Topic" + loop.key, "TopicArn")))]
        }
        return try #require(app.synthesize().first)
    }

    @Test func readmeExampleSynthesizesCleanly() throws {
        for collection in [ForEachCollection.items(["Orders", "Refunds"]), .parameter("Names")] {
            let result = try synthesis(collection)
            #expect(result.diagnostics.filter(\.isError).isEmpty, "\(collection): \(result.diagnostics)")
            #expect(result.template.root["Resources"]?["Fn::ForEach::Topics"]?[2]?["Topic${Name}"]?["Properties"]?["TopicName"]
                    == .fn(.sub("shop-${Name}", nil)))
        }
    }

    @Test func placeholderExpansionIsValidated() throws {
        // A DependsOn naming nothing: found once, under the placeholder's logical ID; with
        // literal items, once per expansion.
        let once = try synthesis(.parameter("Names"), dependsOn: ["Missing"]).diagnostics.filter(\.isError)
        #expect(once.map(\.path) == ["Topics-dev/Fn::ForEach::Topics/TopicName"], "\(once)")
        #expect(once.map(\.code) == [DiagnosticCode.danglingDependsOn])
        let each = try synthesis(.items(["A", "B"]), dependsOn: ["Missing"]).diagnostics.filter(\.isError)
        #expect(each.map(\.path) == ["Topics-dev/Fn::ForEach::Topics/TopicA", "Topics-dev/Fn::ForEach::Topics/TopicB"], "\(each)")
    }
}
