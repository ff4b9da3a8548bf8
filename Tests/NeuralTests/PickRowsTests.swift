import Testing
import XlingCore

@testable import Neural

/// `pickRows` (the regrouping of a hierarchical network's sentence vectors): its values and its
/// pullback against finite differences, with a repeated row and padding.
struct PickRowsTests {
    @Test func picksRowsWithPaddingAndRepeats() throws {
        var store = ParameterStore()
        let x = store.add("x", try Matrix(rows: 3, cols: 2, values: [1, 2, 3, 4, 5, 6]))
        var tape = Tape(store)
        let y = tape.pickRows(tape.parameter(x), ids: [2, -1, 0, 2])
        #expect(tape[y].storage == [5, 6, 0, 0, 1, 2, 5, 6])
        tape.backward(from: y, seed: try Matrix(rows: 4, cols: 2, values: [1, 1, 9, 9, 2, 3, 4, 5]), into: &store)
        #expect(store.gradient(x).storage == [2, 3, 0, 0, 5, 6])
    }

    @Test func pullbackMatchesFiniteDifferences() {
        var g = SplitMix64(seed: 3)
        var store = ParameterStore()
        let x = store.add("x", GradientCheck.random(4, 3, &g))
        let w = store.add("w", GradientCheck.random(3, 2, &g))
        GradientCheck.check(store) { tape, _ in
            let picked = tape.pickRows(tape.tanh(tape.parameter(x)), ids: [3, -1, 1, 3, 0])
            return tape.linear(picked, tape.parameter(w))
        }
    }
}
