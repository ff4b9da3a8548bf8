import Testing
@testable import Jupyter

@Suite struct HistoryTests {
    func sample() -> History {
        var history = History()
        for (i, code) in ["%set seed=1", "%echo a", "%set seed", "%echo a"].enumerated() {
            history.append(line: i + 1, input: code, output: code == "%set seed" ? "1" : nil)
        }
        return history
    }

    @Test func tailRangeSearch() {
        let history = sample()
        #expect(history.tail(2).map(\.line) == [3, 4])
        #expect(history.range(session: 0, start: 2, stop: 4).map(\.line) == [2, 3])
        #expect(history.range(session: 7, start: 1, stop: 0).isEmpty)
        #expect(history.search(pattern: "%echo*", n: nil, unique: false).count == 2)
        #expect(history.search(pattern: "%echo*", n: nil, unique: true).map(\.line) == [4])
        #expect(history.search(pattern: "*seed?1", n: 1, unique: false).map(\.line) == [1])
    }

    @Test(arguments: [("a*c", "abbbc", true), ("a?c", "abc", true), ("a?c", "abbc", false), ("*", "", true), ("x*", "yx", false)])
    func glob(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(History.globMatch(Array(pattern.unicodeScalars), Array(text.unicodeScalars)) == expected)
    }
}
