/// One sampled non-zero element of the co-factorization (Shi et al. 2015 eq. 1): which term it
/// belongs to, its two rows, its target and its weight (ω times f(X) or sim). 16 bytes + kind.
struct CofactorRecord: Sendable, Equatable {
    /// The term of eq. 1 an element belongs to.
    enum Kind: UInt8, Sendable {
        /// X^l1_jk: a = word j, b = context k of language 1.
        case first
        /// X^l2_jk: a = word j, b = context k of language 2.
        case second
        /// X^bi_jk (CLC, `.words`): a = l1 word j, b = l2 word k; w^l1_j · w^l2_k.
        case cross
        /// X^bi_jk (CLC, `.wordsWithContexts`): a = l1 word j, b = l2 context k; w^l1_j · c^l2_k.
        case crossFirstWord
        /// X^bi_jk (CLC, `.wordsWithContexts`): a = l2 word k, b = l1 context j; w^l2_k · c^l1_j.
        case crossSecondWord
        /// sim(j, k) (CLSim): a = l1 word j, b = l2 word k.
        case similarity
    }
    /// Row of the first factor.
    var a: Int32
    /// Row of the second factor.
    var b: Int32
    /// The PMI target M_jk (unused by `.similarity`).
    var target: Float
    /// ω · f(X_jk), or ω_c · sim(j, k).
    var weight: Float
    /// The term.
    var kind: Kind
}

/// The three matrix biases b^l1, b^l2, b^× (eq. 2) and their AdaGrad sums, as one worker
/// sees them during a pass (lanes 0, 1, 2; lane 3 unused).
struct MatrixBiases: Sendable, Equatable {
    /// b^l1, b^l2, b^×.
    var values = SIMD4<Float>.zero
    /// Their squared-gradient sums (AdaGrad), starting at 1.
    var gradsq = SIMD4<Float>(repeating: 1)
}

/// How a gradient g moves a parameter p: SGD or glove.c-style AdaGrad (G starts at 1, the step
/// uses G before adding g²). Static, so each pass is specialised for one rule.
protocol CofactorRule: Sendable {
    /// Whether the rule reads and writes the squared-gradient sums.
    static var usesGradsq: Bool { get }
    /// Whether the rule takes implicit (proximal) steps: SGD's step on one element's squared
    /// residual divided by 1 + η·(the residual's curvature), which never overshoots.
    static var implicit: Bool { get }
    /// The new value of `p` (8 lanes) for gradient `g`; updates `gradsq`.
    static func step(_ p: SIMD8<Float>, _ g: SIMD8<Float>, _ gradsq: inout SIMD8<Float>, _ eta: Float) -> SIMD8<Float>
    /// The new value of scalar `p` for gradient `g`; updates `gradsq`.
    static func step(_ p: Float, _ g: Float, _ gradsq: inout Float, _ eta: Float) -> Float
}

/// p −= η·g.
enum SGDRule: CofactorRule {
    static var usesGradsq: Bool { false }
    static var implicit: Bool { true }
    @inline(__always) static func step(_ p: SIMD8<Float>, _ g: SIMD8<Float>, _ gradsq: inout SIMD8<Float>, _ eta: Float) -> SIMD8<Float> {
        p - eta * g
    }
    @inline(__always) static func step(_ p: Float, _ g: Float, _ gradsq: inout Float, _ eta: Float) -> Float { p - eta * g }
}

/// p −= η·g/√G; G += g² (vectors through `FastMath.reciprocalSquareRoot`).
enum AdaGradRule: CofactorRule {
    static var usesGradsq: Bool { true }
    static var implicit: Bool { false }
    @inline(__always) static func step(_ p: SIMD8<Float>, _ g: SIMD8<Float>, _ gradsq: inout SIMD8<Float>, _ eta: Float) -> SIMD8<Float> {
        let next = p - eta * g * FastMath.reciprocalSquareRoot(gradsq)
        gradsq += g * g
        return next
    }
    @inline(__always) static func step(_ p: Float, _ g: Float, _ gradsq: inout Float, _ eta: Float) -> Float {
        let next = p - eta * g / gradsq.squareRoot()
        gradsq += g * g
        return next
    }
}

/// The update of one co-factorization element, shared by the trainer and the gradient tests.
///
/// Factor terms (eq. 2; CLC reuses it with w^l1_j·w^l2_k, or w^l1_j·c^l2_k and w^l2_k·c^l1_j, and
/// the cross bias lane of each row):
///     diff = x·y + b_x + b_y + b − M,  loss = weight·diff²,
///     ∂/∂x = 2·weight·diff·y,  ∂/∂y = 2·weight·diff·x,  ∂/∂b_x = ∂/∂b_y = ∂/∂b = 2·weight·diff.
/// Similarity term (eq. 7): loss = weight·‖x − y‖²,  ∂/∂x = 2·weight·(x − y) = −∂/∂y.
/// Gradients are taken at the parameters before the element; `apply` returns the loss there.
///
/// With SGD the step is the implicit (proximal) one of the element (Toulis & Airoldi 2017): for a
/// factor term g = 2·weight·diff / (1 + 2·η·weight·(‖x‖² + ‖y‖² + 3)) — the exact minimiser of
/// the element's residual linearised at (x, y, b_x, b_y, b) plus ‖Δ‖²/(2η), so no step overshoots
/// however large ‖x‖, ‖y‖ or the weight grow; for the similarity term x, y move towards each other
/// by t·(x − y) with t = 2·η·weight / (1 + 4·η·weight), the exact proximal step. Both equal plain
/// SGD to first order in η (plain constant-rate SGD diverged after 17–29 iterations on one thread
/// on Europarl en–de/fr/es, issue 17). AdaGrad steps are plain.
struct CofactorStep<Rule: CofactorRule>: Sendable {
    /// η.
    var learningRate: Float

    /// Applies element `r`. `first` holds W^l1 (rows 0..<n1) and C^l1 (rows n1..<2·n1),
    /// `second` likewise for language 2; both have the same layout.
    @inline(__always)
    func apply(
        _ r: CofactorRecord, first: ParameterTable, second: ParameterTable, n1: Int, n2: Int,
        biases: inout MatrixBiases
    ) -> Double {
        let a = Int(r.a), b = Int(r.b)
        switch r.kind {
        case .first:
            return factor(
                r, first.row(a), first.row(n1 &+ b), lane: ParameterTable.ownBias, matrix: 0,
                layout: first, biases: &biases)
        case .second:
            return factor(
                r, second.row(a), second.row(n2 &+ b), lane: ParameterTable.ownBias, matrix: 1,
                layout: first, biases: &biases)
        case .cross:
            return factor(
                r, first.row(a), second.row(b), lane: ParameterTable.crossBias, matrix: 2,
                layout: first, biases: &biases)
        case .crossFirstWord:
            return factor(
                r, first.row(a), second.row(n2 &+ b), lane: ParameterTable.crossBias, matrix: 2,
                layout: first, biases: &biases)
        case .crossSecondWord:
            return factor(
                r, second.row(a), first.row(n1 &+ b), lane: ParameterTable.crossBias, matrix: 2,
                layout: first, biases: &biases)
        case .similarity:
            return attract(r, first.row(a), second.row(b), layout: first)
        }
    }

    @inline(__always)
    private func factor(
        _ r: CofactorRecord, _ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        lane: Int, matrix: Int, layout: ParameterTable, biases: inout MatrixBiases
    ) -> Double {
        let padded = layout.paddedDimension, g = layout.gradsqOffset
        let xr = UnsafeMutableRawPointer(x), yr = UnsafeMutableRawPointer(y)
        var dot = SIMD8<Float>.zero, norms = SIMD8<Float>.zero
        var k = 0
        while k < padded {
            let xk = xr.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
            let yk = yr.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
            dot += xk * yk
            if Rule.implicit { norms += xk * xk + yk * yk }
            k &+= 8
        }
        let bx = layout.biasOffset &+ lane, gbx = layout.biasGradsqOffset &+ lane
        let diff = dot.sum() + x[bx] + y[bx] + biases.values[matrix] - r.target
        let lossValue = Double(r.weight) * Double(diff) * Double(diff)
        var grad = 2 * r.weight * diff
        if Rule.implicit { grad /= 1 + 2 * learningRate * r.weight * (norms.sum() + 3) }
        let g8 = SIMD8<Float>(repeating: grad)
        k = 0
        while k < padded {
            let at = k &* 4, gat = (k &+ g) &* 4
            let xk = xr.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self)
            let yk = yr.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self)
            var sx = SIMD8<Float>.zero, sy = SIMD8<Float>.zero
            if Rule.usesGradsq {
                sx = xr.loadUnaligned(fromByteOffset: gat, as: SIMD8<Float>.self)
                sy = yr.loadUnaligned(fromByteOffset: gat, as: SIMD8<Float>.self)
            }
            xr.storeBytes(of: Rule.step(xk, g8 * yk, &sx, learningRate), toByteOffset: at, as: SIMD8<Float>.self)
            yr.storeBytes(of: Rule.step(yk, g8 * xk, &sy, learningRate), toByteOffset: at, as: SIMD8<Float>.self)
            if Rule.usesGradsq {
                xr.storeBytes(of: sx, toByteOffset: gat, as: SIMD8<Float>.self)
                yr.storeBytes(of: sy, toByteOffset: gat, as: SIMD8<Float>.self)
            }
            k &+= 8
        }
        x[bx] = Rule.step(x[bx], grad, &x[gbx], learningRate)
        y[bx] = Rule.step(y[bx], grad, &y[gbx], learningRate)
        biases.values[matrix] = Rule.step(biases.values[matrix], grad, &biases.gradsq[matrix], learningRate)
        return lossValue
    }

    @inline(__always)
    private func attract(
        _ r: CofactorRecord, _ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        layout: ParameterTable
    ) -> Double {
        let padded = layout.paddedDimension, g = layout.gradsqOffset
        let xr = UnsafeMutableRawPointer(x), yr = UnsafeMutableRawPointer(y)
        let w2 = 2 * r.weight
        let two = SIMD8<Float>(repeating: Rule.implicit ? w2 / (1 + 2 * learningRate * w2) : w2)
        var squares = SIMD8<Float>.zero
        var k = 0
        while k < padded {
            let at = k &* 4, gat = (k &+ g) &* 4
            let xk = xr.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self)
            let yk = yr.loadUnaligned(fromByteOffset: at, as: SIMD8<Float>.self)
            let delta = xk - yk
            squares += delta * delta
            var sx = SIMD8<Float>.zero, sy = SIMD8<Float>.zero
            if Rule.usesGradsq {
                sx = xr.loadUnaligned(fromByteOffset: gat, as: SIMD8<Float>.self)
                sy = yr.loadUnaligned(fromByteOffset: gat, as: SIMD8<Float>.self)
            }
            xr.storeBytes(of: Rule.step(xk, two * delta, &sx, learningRate), toByteOffset: at, as: SIMD8<Float>.self)
            yr.storeBytes(of: Rule.step(yk, -(two * delta), &sy, learningRate), toByteOffset: at, as: SIMD8<Float>.self)
            if Rule.usesGradsq {
                xr.storeBytes(of: sx, toByteOffset: gat, as: SIMD8<Float>.self)
                yr.storeBytes(of: sy, toByteOffset: gat, as: SIMD8<Float>.self)
            }
            k &+= 8
        }
        return Double(r.weight) * Double(squares.sum())
    }
}
