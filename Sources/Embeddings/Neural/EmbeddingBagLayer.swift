/// The embedding layer of a bag-of-embeddings model: each document (a bag of row ids) becomes
/// the dimension-wise mean of its rows of a |V|×d table (Sakuma & Yoshinaga 2019, §4 "Models").
///
/// Forward: for bag i with ids t₁…tₙ (repeats count), `Xᵢ = (1/n) Σₖ E[tₖ]`; an empty bag gives
/// the zero row. Backward: ∂L/∂E[r] = Σᵢ (count of r in bagᵢ / |bagᵢ|) · Gᵢ — only rows in the
/// batch, as a `RowGradient`, so a step costs O(tokens · d), not O(|V| · d).
/// `trainable == false` freezes the table ("CLWE fixed"); trainers then skip its backward.
///
/// Invariant: every id passed in is in `0..<table.rows`.
public struct EmbeddingBagLayer: Sendable, Equatable {
    /// E, |V| × d: row r is the vector of vocabulary word r.
    public var table: Matrix
    /// Whether training updates `table`.
    public var trainable: Bool

    /// A layer over `table`.
    public init(table: Matrix, trainable: Bool) {
        self.table = table
        self.trainable = trainable
    }

    /// d, the width of a row.
    public var dimension: Int { table.cols }

    /// The n×d matrix of bag means for n bags.
    public func forward(_ bags: [[Int]]) -> Matrix {
        let d = table.cols
        var out = Matrix(rows: bags.count, cols: d)
        table.storage.withUnsafeBufferPointer { e in
            out.storage.withUnsafeMutableBufferPointer { x in
                for (i, bag) in bags.enumerated() where !bag.isEmpty {
                    let base = i * d
                    for id in bag {
                        let row = id * d
                        for j in 0..<d { x[base + j] += e[row + j] }
                    }
                    let scale = 1 / Float(bag.count)
                    for j in 0..<d { x[base + j] *= scale }
                }
            }
        }
        return out
    }

    /// The gradient of the rows the bags touched, from the output gradient `g` (n×d).
    public func backward(_ bags: [[Int]], outputGradient g: Matrix) throws(NeuralError) -> RowGradient {
        let d = table.cols
        guard g.rows == bags.count, g.cols == d else {
            throw NeuralError("embedding backward: \(bags.count) bags of width \(d) but an output gradient of \(g.shapeDescription)")
        }
        let rows = Array(Set(bags.joined())).sorted()
        var slot: [Int: Int] = Dictionary(minimumCapacity: rows.count)
        for (r, row) in rows.enumerated() { slot[row] = r }
        var values = Matrix(rows: rows.count, cols: d)
        for (i, bag) in bags.enumerated() where !bag.isEmpty {
            let scale = 1 / Float(bag.count)
            let base = i * d
            for id in bag {
                guard let r = slot[id] else { continue }
                let out = r * d
                for j in 0..<d { values.storage[out + j] += scale * g.storage[base + j] }
            }
        }
        return try RowGradient(rows: rows, values: values)
    }
}
