extension EmbeddingSpace {
    /// Applies `steps` in order (e.g. `[.unit, .center, .unit]`, VecMap's order) to the
    /// vectors and appends each to `normalizations`.
    public mutating func normalize(_ steps: [Normalization]) {
        for step in steps {
            switch step {
            case .unit: vectors.normalizeRows()
            case .center: vectors.centerColumns()
            case .unitdim: vectors.scaleColumnsToUnitVariance()
            }
            normalizations.append(step)
        }
    }

    /// A copy with `steps` applied (see `normalize(_:)`).
    public func normalized(_ steps: [Normalization]) -> EmbeddingSpace {
        var copy = self
        copy.normalize(steps)
        return copy
    }
}

extension EmbeddingSpace.Normalization {
    /// Parses a chain such as `unit,center,unit` (commas or blanks); nil names the bad step.
    public static func chain(_ text: String) -> Result<[EmbeddingSpace.Normalization], NormalizationChainError> {
        var steps: [EmbeddingSpace.Normalization] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            guard let step = EmbeddingSpace.Normalization(rawValue: part.lowercased()) else {
                return .failure(NormalizationChainError(step: String(part)))
            }
            steps.append(step)
        }
        return .success(steps)
    }
}

/// An unknown step in a normalisation chain; the message lists the known ones.
public struct NormalizationChainError: EngineError, Equatable, Sendable {
    /// The step that is not `unit`, `center` or `unitdim`.
    public let step: String
    /// `unknown normalization 'X'`.
    public var problem: String { "unknown normalization '\(step)'" }
    /// The known steps.
    public var fix: String? { "use unit, center or unitdim (e.g. unit,center,unit)" }
}

extension Matrix {
    /// Scales every row to unit L2 norm; all-zero rows stay zero.
    public mutating func normalizeRows() {
        let cols = self.cols
        guard cols > 0 else { return }
        storage.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows { Self.normalizeRow(values.baseAddress! + row * cols, count: cols) }
        }
    }

    /// Scales `row[0 ..< count]` to unit L2 norm (the sum of squares in Double, `SIMDDot.sumOfSquares`);
    /// an all-zero row stays zero.
    @inline(__always)
    static func normalizeRow(_ row: UnsafeMutablePointer<Float>, count: Int) {
        let sum = SIMDDot.sumOfSquares(row, count: count)
        guard sum > 0 else { return }
        let scale = Float(1 / sum.squareRoot())
        for j in 0..<count { row[j] *= scale }
    }

    /// The column means (Double accumulation); zeros for a matrix without rows.
    func normalizationColumnMeans() -> [Double] {
        var sums = [Double](repeating: 0, count: cols)
        guard rows > 0 else { return sums }
        let cols = self.cols
        storage.withUnsafeBufferPointer { values in
            sums.withUnsafeMutableBufferPointer { acc in
                for row in 0..<rows {
                    let base = row * cols
                    for j in 0..<cols { acc[j] += Double(values[base + j]) }
                }
            }
        }
        let n = Double(rows)
        return sums.map { $0 / n }
    }

    /// Subtracts each column's mean from it, so every column has mean 0.
    public mutating func centerColumns() {
        guard rows > 0 else { return }
        let means = normalizationColumnMeans().map { Float($0) }
        let cols = self.cols
        storage.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows {
                let base = row * cols
                for j in 0..<cols { values[base + j] -= means[j] }
            }
        }
    }

    /// Divides each column by its population standard deviation (Double accumulation), so
    /// every column has variance 1; zero-variance columns are left as they are.
    ///
    /// Note: VecMap's `unitdim` divides by the column's L2 norm instead; after centring the
    /// two differ only by the constant factor √rows.
    public mutating func scaleColumnsToUnitVariance() {
        guard rows > 0 else { return }
        let means = normalizationColumnMeans()
        let cols = self.cols
        var squares = [Double](repeating: 0, count: cols)
        storage.withUnsafeBufferPointer { values in
            squares.withUnsafeMutableBufferPointer { acc in
                for row in 0..<rows {
                    let base = row * cols
                    for j in 0..<cols {
                        let d = Double(values[base + j]) - means[j]
                        acc[j] += d * d
                    }
                }
            }
        }
        let n = Double(rows)
        let scales = squares.map { sum -> Float in
            let std = (sum / n).squareRoot()
            return std > 0 ? Float(1 / std) : 1
        }
        storage.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows {
                let base = row * cols
                for j in 0..<cols { values[base + j] *= scales[j] }
            }
        }
    }
}
