/// The multi-step framework of Artetxe, Labaka & Agirre (AAAI 2018), VecMap's final step in its
/// recommended modes: whitening → orthogonal mapping → re-weighting → de-whitening, fitted on a
/// dictionary (X = source rows, Z = target rows of the pairs, n × d each):
///
/// 1. W_x1 = (XᵀX)^{-1/2}, W_z1 = (ZᵀZ)^{-1/2} (from the SVD of X and Z: V·S⁻¹·Vᵀ);
/// 2. U·Σ·Vᵀ = SVD((X W_x1)ᵀ (Z W_z1)); W_x2 = U, W_z2 = V;
/// 3. both sides scaled by Σ^α (α = `reweight`, VecMap 0.5);
/// 4. de-whitening, each side with its own whitening: W_x2ᵀ W_x1⁻¹ W_x2 and W_z2ᵀ W_z1⁻¹ W_z2.
///
/// The result maps **both** spaces (d × d each): x ↦ x·W_x1·W_x2·Σ^α·W_x2ᵀ·W_x1⁻¹·W_x2, and the
/// same with z. The maps are not orthogonal. Needs n ≥ d pairs spanning the space (else the
/// whitening is undefined: `MappingError.invalidParameter`).
public enum WhitenedMapping {
    /// Fits both maps on the pairs.
    /// - Parameters:
    ///   - x: n × d source rows of the pairs; `z`: n × d target rows.
    ///   - reweight: α, the exponent of the singular values in step 3.
    public static func fit(x: Matrix, z: Matrix, reweight: Float = 0.5) throws -> BilingualMapping {
        try requireAlignedPairs(x, z, method: "whitened mapping")
        guard x.cols == z.cols else {
            throw ShapeError("whitened mapping: source has \(x.cols) dimensions, target \(z.cols)")
        }
        let (wx1, wx1Inverse) = try whitening(x, side: "source")
        let (wz1, wz1Inverse) = try whitening(z, side: "target")
        let xw = try Matrix.product(x, wx1), zw = try Matrix.product(z, wz1)
        let svd = try SVD(Matrix.product(xw, zw, transposeA: true))
        let wx2 = svd.u, wz2 = svd.vt.transposed()
        let scale = svd.singularValues.map { powf($0, reweight) }
        func chain(_ w1: Matrix, _ w1Inverse: Matrix, _ w2: Matrix) throws -> Matrix {
            let mapped = try Matrix.product(w1, w2).scalingColumns(by: scale)
            let dewhiten = try Matrix.product(Matrix.product(w2, w1Inverse, transposeA: true), w2)
            return try Matrix.product(mapped, dewhiten)
        }
        let parameters = ["pairs": "\(x.rows)", "reweight": "\(reweight)"]
        return BilingualMapping(
            source: try LinearMap(weights: chain(wx1, wx1Inverse, wx2), method: "vecmap-whitened", parameters: parameters),
            target: try LinearMap(weights: chain(wz1, wz1Inverse, wz2), method: "vecmap-whitened", parameters: parameters),
            singularValues: svd.singularValues)
    }

    /// (MᵀM)^{-1/2} and its inverse (MᵀM)^{1/2}, from the SVD of M (n × d).
    static func whitening(_ m: Matrix, side: String) throws -> (Matrix, Matrix) {
        let svd = try SVD(m)
        let top = svd.singularValues.first ?? 0
        guard svd.singularValues.count == m.cols, let low = svd.singularValues.last, low > top * 1e-6 else {
            throw MappingError.invalidParameter(
                name: "dictionary",
                reason: "the \(m.rows) \(side) vectors of the dictionary do not span the \(m.cols) dimensions, so they cannot be whitened")
        }
        let v = svd.vt.transposed()
        let inverse = try Matrix.product(v.scalingColumns(by: svd.singularValues.map { 1 / $0 }), svd.vt)
        let forward = try Matrix.product(v.scalingColumns(by: svd.singularValues), svd.vt)
        return (inverse, forward)
    }
}

#if canImport(Glibc)
import Glibc
#endif
