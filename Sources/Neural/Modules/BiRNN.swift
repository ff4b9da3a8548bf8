import XlingCore

/// A bidirectional recurrent layer over a padded, length-masked, time-major batch: the forward
/// cell reads steps 0…len−1, the backward cell len−1…0, both from a zero state; output step t is
/// [→h_t ; ←h_t] (B × 2h), zero past each example's length (PyTorch's packed-sequence semantics:
/// an example's state never sees its padding).
///
/// Each direction projects all steps' inputs in one GEMM (`projectInputs` over the stacked
/// steps), then steps; an example past its length keeps its state (`selectRows`).
public struct BiRNN<Cell: RecurrentCell>: Sendable {
    /// The two directions (`<name>.fw`, `<name>.bw`).
    public let forward: Cell, backward: Cell

    /// A layer from two cells of the same sizes.
    public init(forward: Cell, backward: Cell) {
        precondition(forward.inputSize == backward.inputSize && forward.hiddenSize == backward.hiddenSize, "BiRNN: cells differ")
        self.forward = forward
        self.backward = backward
    }

    /// The output width 2h.
    public var outputSize: Int { 2 * forward.hiddenSize }

    /// The outputs of `steps` (T steps of B × in) with `lengths` (B values in 0…T): T steps of B × 2h.
    public func callAsFunction(_ steps: [Var], lengths: [Int], on tape: inout Tape) -> [Var] {
        let fw = Self.run(forward, steps, lengths: lengths, reversed: false, on: &tape)
        let bw = Self.run(backward, steps, lengths: lengths, reversed: true, on: &tape)
        return zip(fw, bw).map { tape.concatColumns([$0, $1]) }
    }

    /// One direction: the output h of every step (zero at padding), in time order.
    static func run(_ cell: Cell, _ steps: [Var], lengths: [Int], reversed: Bool, on tape: inout Tape) -> [Var] {
        let b = lengths.count, h = cell.hiddenSize, t = steps.count
        precondition(t >= 1 && lengths.allSatisfy { $0 >= 0 && $0 <= t }, "BiRNN: lengths must be in 0...\(t)")
        let projected = cell.projectInputs(tape.concatRows(steps), on: &tape)
        let zero = tape.constant(Matrix(rows: b, cols: h))
        var state = [Var](repeating: zero, count: cell.stateCount)
        var outputs = [Var](repeating: zero, count: t)
        for s in reversed ? Array((0..<t).reversed()) : Array(0..<t) {
            let real = lengths.map { s < $0 }
            guard real.contains(true) else { continue }
            let next = cell.step(tape.rows(projected, s * b..<(s + 1) * b), state, on: &tape)
            state = zip(next, state).map { tape.selectRows(real, $0, $1) }
            outputs[s] = tape.selectRows(real, state[0], zero)
        }
        return outputs
    }
}
