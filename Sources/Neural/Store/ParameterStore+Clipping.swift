import XlingCore

extension ParameterStore {
    /// ‖g‖₂ over every gradient of `subset` (all parameters when nil), summed in Double.
    public func gradientNorm(_ subset: [Parameter]? = nil) -> Double {
        var sum = 0.0
        for p in subset ?? parameters where isTrainable(p) {
            for g in gradients[p.index].storage { sum += Double(g) * Double(g) }
        }
        return sum.squareRoot()
    }

    /// Global-norm clipping (Pascanu et al. 2013; PyTorch's `clip_grad_norm_`): when
    /// n = ‖g‖₂ over `subset` exceeds `maxNorm`, every gradient is scaled by maxNorm / (n + 1e-6).
    /// Returns n, the norm before clipping.
    @discardableResult
    public mutating func clipGlobalNorm(_ maxNorm: Double, _ subset: [Parameter]? = nil) -> Double {
        let norm = gradientNorm(subset)
        guard norm > maxNorm else { return norm }
        let scale = Float(maxNorm / (norm + 1e-6))
        for p in subset ?? parameters where isTrainable(p) {
            withGradient(p) { g in for k in g.storage.indices { g.storage[k] *= scale } }
        }
        return norm
    }
}
