import Dispatch

/// Runs independent work on every core, results in input order (so output stays deterministic).
public enum Parallel {
    /// `transform` applied to every element, concurrently; the results in the elements' order.
    ///
    /// `transform` must not touch state another element's work writes. Formation uses it for
    /// per-stack synthesis and rendering, which read only their own stack's tree once the
    /// prepare hooks (the only writers) have run.
    public static func map<Element, Result>(_ elements: [Element], _ transform: (Element) -> Result) -> [Result] {
        if elements.count < 2 { return elements.map(transform) }
        return withoutActuallyEscaping(transform) { transform in
            let slots = Slots<Element, Result>(elements: elements, transform: transform)
            defer { slots.release() }
            DispatchQueue.concurrentPerform(iterations: elements.count) { index in
                slots.fill(index)
            }
            return slots.collect()
        }
    }

    /// The work and one result slot per element. Each slot is written by exactly one iteration,
    /// through raw memory (no shared Swift array, so no exclusivity conflict), and read only after
    /// `concurrentPerform` has returned.
    private final class Slots<Element, Result>: @unchecked Sendable {
        let elements: [Element]
        let transform: (Element) -> Result
        let results: UnsafeMutablePointer<Result>

        init(elements: [Element], transform: @escaping (Element) -> Result) {
            self.elements = elements
            self.transform = transform
            results = UnsafeMutablePointer<Result>.allocate(capacity: elements.count)
        }

        func fill(_ index: Int) {
            (results + index).initialize(to: transform(elements[index]))
        }

        func collect() -> [Result] {
            Array(UnsafeBufferPointer(start: results, count: elements.count))
        }

        func release() {
            results.deinitialize(count: elements.count)
            results.deallocate()
        }
    }
}
