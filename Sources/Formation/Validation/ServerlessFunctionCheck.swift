import FormationTemplate

/// What SAM's translator requires of an `AWS::Serverless::Function` beyond its specification,
/// after Globals are merged (model/sam_resources.py, `SamFunction._validate_package_type`): a zip
/// function (`PackageType` absent or `Zip`) needs `Runtime` and `Handler`, and an image function
/// (`PackageType: Image`) takes neither (nor `Layers`) and needs an `ImageUri`, unless its
/// `Metadata` names a `DockerContext`, from which `sam build` fills the image in.
///
/// And `AutoPublishAlias` must be known when SAM translates: not a resource's `Ref` or `Fn::GetAtt`.
///
/// A function with an `ImageUri` and no `PackageType` is left alone (the SAM CLI treats it as an
/// image function), and so is a `PackageType` that is not a literal.
enum ServerlessFunctionCheck {
    static let type = "AWS::Serverless::Function"

    static func run(_ template: Template, _ context: ValidationContext, globals: [String: OrderedMap]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for entry in template.resources.entries {
            guard let body = entry.value.mapValue, body["Type"]?.stringValue == type else { continue }
            let own: OrderedMap
            switch body["Properties"] {
            case nil: own = [:]
            case .map(let map)?: own = map
            default: continue  // Fn::If between maps, a macro's: not judged here
            }
            let properties = ServerlessGlobals.resolved(own, type: type, resource: body, globals: globals).properties
            let path = context.path(ofResource: entry.key)
            func present(_ name: String) -> Bool { properties[name] != nil }
            let packageType: String
            switch properties["PackageType"] {
            case nil: packageType = present("ImageUri") ? "" : "Zip"
            case .string(let text)?: packageType = text
            default: packageType = ""
            }
            // The alias name is needed at translation: a literal, or what SAM resolves then
            // (a parameter's Ref, a Sub of parameters); never a resource's Ref or GetAtt
            // (`_get_resolved_alias_name`).
            if let alias = properties["AutoPublishAlias"], case .fn(let function) = alias {
                var deployTime: String?
                switch function {
                case .getAtt, .getAttComputed: deployTime = "Fn::GetAtt"
                case .importValue: deployTime = "Fn::ImportValue"
                case .ref(let target) where template.resources[target] != nil: deployTime = "a Ref to resource \(target)"
                default: break
                }
                if let deployTime {
                    diagnostics.append(.error(SchemaDiagnosticCode.type, path: path, property: "AutoPublishAlias",
                                              "AutoPublishAlias: \(deployTime) is known only at deploy time; SAM names the alias when it translates, from a string or a Ref to a template parameter (\(type))"))
                }
            }
            switch packageType {
            case "Zip":
                let missing = ["Runtime", "Handler"].filter { !present($0) }
                if !missing.isEmpty {
                    diagnostics.append(.error(SchemaDiagnosticCode.required, path: path, property: missing[0],
                                              "\(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") required for a function whose PackageType is Zip\(properties["PackageType"] == nil ? " (the default)" : ""); SAM's translator refuses it without (\(type))"))
                }
                for name in ["ImageUri", "ImageConfig"] where present(name) && properties["PackageType"] != nil {
                    diagnostics.append(.error(SchemaDiagnosticCode.dependency, path: path, property: name,
                                              "\(name) cannot be set when PackageType is Zip; SAM's translator refuses it (\(type))"))
                }
            case "Image":
                for name in ["Runtime", "Handler", "Layers"] where present(name) {
                    diagnostics.append(.error(SchemaDiagnosticCode.dependency, path: path, property: name,
                                              "\(name) cannot be set when PackageType is Image; SAM's translator refuses it (\(type))"))
                }
                let built = body["Metadata"]?.mapValue?["DockerContext"] != nil
                if !present("ImageUri") && !built {
                    diagnostics.append(.error(SchemaDiagnosticCode.required, path: path, property: "ImageUri",
                                              "ImageUri is required when PackageType is Image (or Metadata.DockerContext, for sam build to fill it in); SAM's translator refuses it without (\(type))"))
                }
            default:
                break
            }
        }
        return diagnostics
    }
}
