import Formation

/// Synthesizes, validates and renders stacks for the commands, reporting every diagnostic.
enum StackRenderer {
    /// One stack's template text, when it passed.
    struct Output {
        let stack: Stack
        let synthesis: Synthesis
        /// The template in each format asked for, in that order.
        let renderings: [RenderedTemplate]
        /// The template in the first format asked for.
        var rendered: RenderedTemplate { renderings[0] }
    }

    /// Renders every stack in `format`, printing its diagnostics through `reporter`. Returns the
    /// outputs of the stacks that passed and the names of those that failed (errors, an
    /// unrepresentable value, or warnings under `--strict`).
    static func render(_ stacks: [Stack], format: TemplateFormat, reporter: Reporter) -> (passed: [Output], failed: [String]) {
        render(stacks, formats: [format], reporter: reporter)
    }

    /// Renders every stack in each of `formats` (at least one) from one synthesis, as
    /// ``render(_:format:reporter:)`` does for one format.
    static func render(_ stacks: [Stack], formats: [TemplateFormat], reporter: Reporter) -> (passed: [Output], failed: [String]) {
        var passed: [Output] = []
        var failed: [String] = []
        let (syntheses, renderings) = synthesizeAndRender(stacks, formats: formats)
        for (index, stack) in stacks.enumerated() {
            let synthesis = syntheses[index]
            reporter.report(synthesis.diagnostics)
            reporter.suppressedCount += synthesis.suppressed.count
            var diagnostics = synthesis.diagnostics
            var rendered: [RenderedTemplate] = []
            for (format, result) in zip(formats, renderings[index]) {
                do {
                    let template = try result.get()
                    reporter.report(template.diagnostics.filter { !diagnostics.contains($0) })
                    diagnostics += template.diagnostics
                    rendered.append(template)
                } catch {
                    reporter.error("\(stack.name): cannot render the template as \(format.rawValue.uppercased()): \(error)")
                }
            }
            if rendered.count < formats.count || reporter.fails(diagnostics) {
                failed.append(stack.name)
            } else {
                passed.append(Output(stack: stack, synthesis: synthesis, renderings: rendered))
            }
        }
        return (passed, failed)
    }

    /// Every stack synthesized and rendered in each of `formats`, concurrently per stack; the
    /// results in stack order, each rendering as a result (an unrepresentable value fails it).
    static func synthesizeAndRender(_ stacks: [Stack], formats: [TemplateFormat])
        -> (syntheses: [Synthesis], renderings: [[Result<RenderedTemplate, TemplateError>]]) {
        let syntheses = Stack.synthesize(stacks)
        let renderings = Parallel.map(syntheses) { synthesis in
            formats.map { format in Result { () throws(TemplateError) -> RenderedTemplate in try synthesis.render(format) } }
        }
        return (syntheses, renderings)
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
