import Formation
import FormationRegistry
import FormationTemplate

/// The parameters a template passes to a nested template it names by a local path
/// (`AWS::CloudFormation::Stack`'s `TemplateURL: child.yaml`, `AWS::Serverless::Application`'s
/// `Location: ./app.yaml`, written for `aws cloudformation package`), against the parameters that
/// file declares: a parameter the child does not declare, or a child parameter without a Default
/// that is not passed, is an error (FM1123; cfn-lint's E3043). CloudFormation refuses both when it
/// creates the nested stack. Only `validate --template` knows the file, so the check lives here.
enum NestedTemplateParameters {
    /// The property naming the nested template, per type.
    static let locationProperty = ["AWS::CloudFormation::Stack": "TemplateURL", "AWS::Serverless::Application": "Location"]

    /// The findings for `template`, read from `file`; nested files are read within `maximumBytes`.
    static func check(_ template: Template, file: String, context: ValidationContext, maximumBytes: Int) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var children: [String: Result<Template, TemplateError>] = [:]
        for entry in template.resources.entries {
            guard let type = entry.value["Type"]?.stringValue, let property = locationProperty[type],
                  let properties = entry.value["Properties"], let location = properties[property]?.stringValue,
                  isLocalPath(location) else { continue }
            let path = context.path(ofResource: entry.key)
            let childPath = location.hasPrefix("/") ? location : Files.join(Files.directory(of: file), location)
            let child: Template
            let read = children[childPath] ?? readTemplate(childPath, maximumBytes: maximumBytes)
            children[childPath] = read
            switch read {
            case .success(let template): child = template
            case .failure(let error):
                let reason: String
                if case .io(_, let message) = error { reason = message } else { reason = "\(error)" }
                diagnostics.append(.warning(DiagnosticCode.nestedStackParameters, path: path, property: property,
                                            "\(property) \(TemplateValue.string(location)): the nested template cannot be read (\(reason)); its parameters were not checked"))
                continue
            }
            let passed: TemplateValue
            if let given = properties["Parameters"] {
                passed = given
            } else if child.parameters.isEmpty {
                continue
            } else {
                passed = .map(OrderedMap())
            }
            // Each map an Fn::If may choose; what two branches share is said once.
            var said: Set<String> = []
            for branch in branches(passed) {
                for diagnostic in compare(branch, child: child, location: location, path: path) where said.insert(diagnostic.description).inserted {
                    diagnostics.append(diagnostic)
                }
            }
        }
        return diagnostics
    }

    /// Whether `location` is a file path rather than a URL (`https://`, `s3://`) the stack reads.
    static func isLocalPath(_ location: String) -> Bool {
        !location.isEmpty && !location.contains("://")
    }

    /// The maps an `Fn::If` may choose for Parameters (each branch; `AWS::NoValue` is none), or
    /// the map itself; nothing for other functions, whose value is known at deploy time only.
    static func branches(_ value: TemplateValue) -> [OrderedMap] {
        switch value {
        case .map(let map): return [map]
        case .fn(.if(_, let whenTrue, let whenFalse)): return branches(whenTrue) + branches(whenFalse)
        default: return []
        }
    }

    private static func compare(_ passed: OrderedMap, child: Template, location: String, path: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let declared = child.parameters
        for key in passed.keys where declared[key] == nil {
            let names = declared.keys.isEmpty ? "none" : declared.keys.joined(separator: ", ")
            var message = "\(key) is passed to the nested template \(location), which declares no such parameter (it declares \(names))"
            if let close = Suggestion.closest(to: key, among: Array(declared.keys)) { message += "; did you mean \(close)?" }
            diagnostics.append(.error(DiagnosticCode.nestedStackParameters, path: path, property: "Parameters.\(key)", message))
        }
        for entry in declared.entries where entry.value["Default"] == nil && passed[entry.key] == nil {
            diagnostics.append(.error(DiagnosticCode.nestedStackParameters, path: path, property: "Parameters",
                                      "the nested template \(location) requires parameter \(entry.key) (it has no Default), which is not passed"))
        }
        return diagnostics
    }

    private static func readTemplate(_ path: String, maximumBytes: Int) -> Result<Template, TemplateError> {
        do {
            let text = try TemplateInput.text(path, maximumBytes: maximumBytes)
            return .success(try TemplateDocument.parseTemplate(text, file: path, limits: .cloudFormation))
        } catch let failure as TemplateInput.Failure {
            switch failure {
            case .unreadable(let messages): return .failure(.io(path: path, message: messages.joined(separator: "; ")))
            case .invalid(let error): return .failure(error)
            }
        } catch let error as TemplateError {
            return .failure(error)
        } catch {
            return .failure(.io(path: path, message: "\(error)"))
        }
    }
}
