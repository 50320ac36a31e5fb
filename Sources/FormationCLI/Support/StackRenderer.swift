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
        // Synthesis and rendering run concurrently per stack; reporting stays in stack order.
        let syntheses = Stack.synthesize(stacks)
        let renderings = Parallel.map(syntheses) { synthesis in
            Result { () throws(TemplateError) -> RenderedTemplate in try synthesis.render(format) }
        }
        for (index, stack) in stacks.enumerated() {
            let synthesis = syntheses[index]
            reporter.report(synthesis.diagnostics)
            do {
                let rendered = try renderings[index].get()
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
