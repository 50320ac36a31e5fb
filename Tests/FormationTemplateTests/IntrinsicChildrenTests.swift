import Testing
@testable import FormationTemplate

@Suite struct IntrinsicChildrenTests {
    /// `forEachChild` visits what `children` lists, in the same order.
    @Test func forEachChildVisitsTheChildrenInOrder() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let function = Generate.intrinsic(depth: 2, &rng)
            var visited: [TemplateValue] = []
            function.forEachChild { visited.append($0) }
            #expect(visited == function.children, "\(function)")
        }
    }
}
