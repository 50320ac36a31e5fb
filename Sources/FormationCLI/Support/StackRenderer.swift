import Formation

/// Synthesizes, validates and renders stacks for the commands, reporting every diagnostic.
enum StackRenderer {
    /// One stack's template text, when it passed.
    struct Output {
        let stack: Stack
        let synthesis: Synthesis
        let rendered: RenderedTemplate
    }

    /// Renders every stack in `format`, printing its diagnostics through `reporter`. Returns the
    /// outputs of the stacks that passed and the names of those that failed (errors, an
    /// unrepresentable value, or warnings under `--strict`).
    static func render(_ stacks: [Stack], format: TemplateFormat, reporter: Reporter) -> (passed: [Output], failed: [String]) {
        var passed: [Output] = []
        var failed: [String] = []
        for stack in stacks {
            let synthesis = stack.synthesize()
            reporter.report(synthesis.diagnostics)
            do {
                let rendered = try synthesis.render(format)
                reporter.report(rendered.diagnostics)
                if reporter.fails(synthesis.diagnostics + rendered.diagnostics) {
                    failed.append(stack.name)
                } else {
                    passed.append(Output(stack: stack, synthesis: synthesis, rendered: rendered))
                }
            } catch {
                reporter.error("\(stack.name): cannot render the template as \(format.rawValue.uppercased()): \(error)")
                failed.append(stack.name)
            }
        }
        return (passed, failed)
    }

    /// `A, B and C`.
    static func list(_ names: [String]) -> String {
        switch names.count {
        case 0: return ""
        case 1: return names[0]
        default: return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
        }
    }
}
