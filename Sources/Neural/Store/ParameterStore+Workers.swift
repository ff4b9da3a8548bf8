import XlingCore

extension ParameterStore {
    /// A store for one data-parallel worker: the same names, flags and shapes, values shared (not
    /// copied) with `self`, and zero gradients of its own, so a worker's tape can accumulate its
    /// share of a batch's gradients without touching `self` (`Trainer`'s data-parallel step).
    func workerStore() -> ParameterStore {
        var copy = self
        for i in copy.gradients.indices where !copy.flags[i].frozen {
            copy.replace(Parameter(index: i), with: values[i])
        }
        return copy
    }

    /// Points this worker store's values at `source`'s (shared, no copy); `releaseValues` drops them
    /// again before the source's optimizer step, so updating in place copies nothing.
    mutating func shareValues(of source: ParameterStore) {
        precondition(source.count == count, "a worker store has its source's parameters")
        values = source.values
    }

    /// Drops the shared values (the gradients stay); `shareValues(of:)` restores them.
    mutating func releaseValues() { values = values.map { _ in Matrix(rows: 0, cols: 0) } }

    /// gradient(p) += other's gradient(p) for every trainable parameter, in registration order:
    /// dense parameters element by element, `sparseRows` ones over the rows `other` touched (in the
    /// order it touched them), which then count as touched here. `other` has this store's
    /// parameters (a `workerStore()`). With `subset`, only those parameters (the others' gradients
    /// are left alone).
    mutating func addGradients(of other: ParameterStore, only subset: [Parameter]? = nil) {
        precondition(other.count == count, "gradients of a store with other parameters")
        for i in subset?.map(\.index) ?? Array(gradients.indices) where !flags[i].frozen {
            let p = Parameter(index: i)
            if flags[i].sparseRows {
                let rows = other.touchedRows[i]
                guard !rows.isEmpty else { continue }
                let d = gradients[i].cols
                withGradient(p, touching: rows) { g in
                    g.storage.withUnsafeMutableBufferPointer { out in
                        other.gradients[i].storage.withUnsafeBufferPointer { src in
                            for r in rows { for j in 0..<d { out[r * d + j] += src[r * d + j] } }
                        }
                    }
                }
            } else {
                withGradient(p) { g in
                    g.storage.withUnsafeMutableBufferPointer { out in
                        other.gradients[i].storage.withUnsafeBufferPointer { src in for k in src.indices { out[k] += src[k] } }
                    }
                }
            }
        }
    }
}
