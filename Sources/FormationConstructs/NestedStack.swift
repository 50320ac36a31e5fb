import Formation
import FormationAssets
import FormationTemplate

/// A nested stack: an `AWS::CloudFormation::Stack` resource of the parent whose template is built
/// with the same DSL, written beside the parent's as an asset (`<sha256>.template.json`) and
/// uploaded like code assets (`formation deploy-args` prints the `aws s3 cp`).
///
/// ```swift
/// let network = NestedStack(stack, "Network")
/// let cidr = network.parameter("Cidr", value: "10.0.0.0/16")
/// let vpc = network.template.add("Vpc", RawResource(type: "AWS::EC2::VPC", properties: ["CidrBlock": .fn(.ref("Cidr"))],
///                                                    tokens: [cidr.tokenValue].compactMap { $0 }))
/// network.template.output("VpcId", vpc.ref)
/// stack.output("Vpc", network.output("VpcId"))   // Fn::GetAtt [Network, Outputs.VpcId]
/// ```
///
/// The nested template is validated with the parent: its diagnostics are the parent's, under the
/// path `<Parent>/<id>/…`. A resource of the nested template that refers to the parent's
/// resources directly, not through a parameter, is an error (FM1108). The resources of a nested
/// stack count toward its own template's 500, not the parent's.
public final class NestedStack {
    /// The construct in the parent (`<id>`), holding the `AWS::CloudFormation::Stack` resource.
    public let node: Construct
    /// The nested template: add resources, parameters and outputs to it as to any stack.
    public let template: Stack
    /// The `AWS::CloudFormation::Stack` resource in the parent.
    public let resource: Resource<RawResource>
    private var parameterValues: [(name: String, value: Value<String>)] = []
    private var lastDiagnostics: [Diagnostic] = []

    public init(_ scope: Construct, _ id: String, description: String? = nil, timeoutInMinutes: Int? = nil) {
        node = Construct(scope, id)
        let parent = scope.stack
        template = (parent.app ?? App(schemas: parent.schemas)).nestedTemplate(node.path, in: parent, description: description)
        var properties: OrderedMap = ["TemplateURL": ""]
        if let timeoutInMinutes { properties["TimeoutInMinutes"] = .int(Int64(timeoutInMinutes)) }
        resource = node.add("Default", RawResource(type: "AWS::CloudFormation::Stack", properties: properties))
        // The nested template is synthesized after the parent's constructs are complete: its
        // text names the asset, and its findings join the parent's.
        // The parent's hooks keep this object alive (it holds nothing of the parent strongly).
        parent.onPrepare { [weak parent] in
            if let parent { self.prepare(in: parent) }
        }
        parent.onSynthesis { self.lastDiagnostics }
    }

    /// Declares a String parameter of the nested template and passes `value` (a literal or a
    /// token of the parent) to it; returns the parameter's value for use inside the template.
    @discardableResult
    public func parameter(_ name: String, value: Value<String>, description: String? = nil) -> Value<String> {
        let declared = template.parameter(name, type: .string, description: description)
        parameterValues.append((name, value))
        return declared.ref
    }

    /// The nested template's output `name`, read in the parent (`Fn::GetAtt [<id>, Outputs.<name>]`).
    public func output(_ name: String) -> Value<String> {
        resource.getAtt("Outputs.\(name)")
    }

    /// The name of the asset the nested template is written to.
    public private(set) var templateFileName = ""

    private func prepare(in parent: Stack) {
        let synthesis = template.synthesize()
        lastDiagnostics = synthesis.diagnostics
        let text = (try? synthesis.render(.json).text) ?? ""
        let bytes = Array(text.utf8)
        let name = "\(SHA256.hexDigest(bytes)).template.json"
        templateFileName = name
        if !synthesis.hasErrors {
            parent.addAsset(StackAsset(fileName: name, bytes: bytes))
            parent.addNestedTemplate(NestedTemplate(path: template.path, template: synthesis.template))
            lastDiagnostics += synthesis.assets.map { asset in
                .error(DiagnosticCode.unencodableValue, path: template.path,
                       "the nested template has a code asset (\(asset.fileName)); give the nested stack's functions inline code or an S3 location passed as a parameter")
            }
        }
        let bucket = PythonFunction.bucket(in: parent, description: "S3 bucket holding this stack's assets (the nested templates and code .zip files synth writes beside the template)")
        var properties = resource.properties.properties
        properties["TemplateURL"] = .fn(.sub("https://${\(StackAsset.bucketParameter)}.s3.${AWS::Region}.${AWS::URLSuffix}/\(name)", nil))
        var tokens: [Token] = bucket.tokenValue.map { [$0] } ?? []
        if !parameterValues.isEmpty {
            var parameters = OrderedMap()
            for (key, value) in parameterValues {
                let context = EncodingContext(stackName: parent.name)
                parameters[key] = value.encode(context)
                if let token = value.tokenValue { tokens.append(token) }
            }
            properties["Parameters"] = .map(parameters)
        }
        resource.properties = RawResource(type: "AWS::CloudFormation::Stack", properties: properties, tokens: tokens)
    }
}
