import XlingCore

#if canImport(Glibc)
import Glibc
#endif

/// A bidirectional recurrent layer over a padded, length-masked, time-major batch: the forward
/// cell reads steps 0…len−1, the backward cell len−1…0, both from a zero state; output step t is
/// [→h_t ; ←h_t] (B × 2h), zero past each example's length (PyTorch's packed-sequence semantics:
/// an example's state never sees its padding).
///
/// Each direction projects all steps' inputs in one GEMM (`projectInputs` over the stacked
/// steps), then steps; an example past its length keeps its state (`selectRows`). Cells with a
/// fused pair (`bidirectionalSequence`: the PyTorch-form GRU) run both directions as one primitive;
/// on two threads only when the environment sets `XLING_BIRNN_THREADS=2` (measured on the shared
/// 2-core machine, the second thread cost more than it saved: OpenBLAS's pool threads spin for the
/// core; `Tests/bench/README.md`). The numbers do not depend on it.
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
        let y = stacked(tape.concatRows(steps), lengths: lengths, on: &tape), b = lengths.count
        return (0..<steps.count).map { tape.rows(y, $0 * b..<($0 + 1) * b) }
    }

    /// The outputs of a stacked time-major input X ((T·B) × in, row t·B + b) with `lengths`:
    /// (T·B) × 2h, row t·B + b = [→h_t ; ←h_t] of example b, zero past its length. The input
    /// projections and the recurrences run over the packed real steps only (`PackedSteps`).
    public func stacked(_ x: Var, lengths: [Int], on tape: inout Tape) -> Var {
        let b = lengths.count
        precondition(b > 0 && tape[x].rows % b == 0, "BiRNN: \(tape[x].rows) input rows are not steps × \(b)")
        let t = tape[x].rows / b
        precondition(t >= 1 && lengths.allSatisfy { $0 >= 0 && $0 <= t }, "BiRNN: lengths must be in 0...\(t)")
        let packing = PackedSteps(lengths: lengths, steps: t)
        let packed = tape.rows(x, at: packing.rows)
        let fwIn = forward.projectInputs(packed, on: &tape), bwIn = backward.projectInputs(packed, on: &tape)
        let both =
            forward.bidirectionalSequence(fwIn, backward: backward, bwIn, packing: packing, threads: birnnDirectionThreads, on: &tape)
            ?? tape.concatColumns([
                Self.run(forward, fwIn, packing: packing, lengths: lengths, reversed: false, on: &tape),
                Self.run(backward, bwIn, packing: packing, lengths: lengths, reversed: true, on: &tape),
            ])
        return tape.scatterRows(both, to: packing.rows, count: t * b)
    }

    /// One direction over its projected packed input: the packed outputs h (N × h). A cell without
    /// a fused `sequence` steps over the padded stack (its state held where an example has no step).
    static func run(
        _ cell: Cell, _ projectedPacked: Var, packing: PackedSteps, lengths: [Int], reversed: Bool, on tape: inout Tape
    ) -> Var {
        let b = packing.batch, h = cell.hiddenSize, t = packing.steps
        if let fused = cell.sequence(projectedPacked, packing: packing, reversed: reversed, on: &tape) { return fused }
        let projected = tape.scatterRows(projectedPacked, to: packing.rows, count: t * b)
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
        return tape.rows(tape.concatRows(outputs), at: packing.rows)
    }
}

/// Threads for the two directions of a fused pair: `XLING_BIRNN_THREADS` (1 or 2), else 1.
let birnnDirectionThreads: Int = getenv("XLING_BIRNN_THREADS").flatMap { Int(String(cString: $0)) }.map { min(2, max(1, $0)) } ?? 1
