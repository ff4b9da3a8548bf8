/// A raw buffer handed to worker threads (`WorkerThreads.run` takes `@Sendable` closures).
/// Unchecked: the t-SNE stages that use it give every thread a disjoint range to write, and
/// read shared ranges only while no thread writes them.
struct SharedBuffer<Element>: @unchecked Sendable {
    /// The first element.
    let base: UnsafeMutablePointer<Element>

    /// Wraps `base`.
    init(_ base: UnsafeMutablePointer<Element>) { self.base = base }

    /// Wraps a read-only pointer (the stages never write through it).
    init(reading base: UnsafePointer<Element>) { self.base = UnsafeMutablePointer(mutating: base) }

    /// Element `i`.
    subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}
