// FormationTypes: typed Swift for the CloudFormation registry types a target lists in its
// `formation-types.txt`, generated at build time by `formation-codegen` into the plugin's work
// directory and compiled into the target. Only what is listed is generated and compiled.
//
//   .executableTarget(
//       name: "App",
//       dependencies: [.product(name: "Formation", package: "formation"),
//                      .product(name: "FormationResources", package: "formation"),
//                      .product(name: "FormationCLI", package: "formation")],
//       plugins: [.plugin(name: "FormationTypes", package: "formation")])
//
// The list is read by the generator, not here, and the output is one file whatever the list
// says: SwiftPM runs a build-tool plugin only when it plans the build, and it plans again only
// when files are added or removed or a manifest changes, not when a file's contents change
// (swiftlang/swift-package-manager#7891). Outputs read from the list would go stale when a line
// is added; one declared file, rewritten by a command whose input is the list, cannot. The
// generator checks every line each time the list changes and fails the build naming FILE:LINE.
import Foundation
import PackagePlugin

@main
struct FormationTypes: BuildToolPlugin {
    /// The list's file name, in the target's source directory.
    static let listName = "formation-types.txt"
    /// The one file the generator writes and the target compiles.
    static let outputName = "FormationTypes.generated.swift"

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else {
            throw PluginFailure("FormationTypes applies to source targets; \(target.name) is not one")
        }
        let list = target.directoryURL.appending(path: Self.listName)
        let listPath = list.path(percentEncoded: false)
        guard FileManager.default.fileExists(atPath: listPath) else {
            throw PluginFailure("target \(target.name) uses the FormationTypes plugin but has no \(listPath); add one with a registry type a line (AWS::SQS::Queue, or AWS::DynamoDB::* for every type of a service)")
        }
        let directory = context.pluginWorkDirectoryURL.appending(path: "Generated", directoryHint: .isDirectory)
        return [
            .buildCommand(
                displayName: "Generating typed Swift for \(target.name)/\(Self.listName)",
                executable: try context.tool(named: "formation-codegen").url,
                arguments: ["--types", listPath, "--out", directory.path(percentEncoded: false), "--one-file", Self.outputName],
                inputFiles: [list],
                outputFiles: [directory.appending(path: Self.outputName)]
            ),
        ]
    }
}

/// An error that fails the build with its message.
struct PluginFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
