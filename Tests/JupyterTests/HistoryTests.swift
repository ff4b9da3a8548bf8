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

@Suite struct HistoryLimitTests {
    @Test func countBoundKeepsTheNewestCells() {
        var history = History(limits: History.Limits(maxEntries: 3, maxBytes: 1 << 20))
        for line in 1...10 { history.append(line: line, input: "%echo \(line)", output: nil) }
        #expect(history.entries.map(\.line) == [8, 9, 10])
        #expect(history.tail(100).map(\.line) == [8, 9, 10])
        #expect(history.range(session: 0, start: 1, stop: 9).map(\.line) == [8])
        #expect(history.byteCount == history.entries.reduce(0) { $0 + $1.input.utf8.count })
    }

    @Test func byteBoundEvictsOldestAndCutsHugeCells() {
        var history = History(limits: History.Limits(maxEntries: 1000, maxBytes: 4096))
        for line in 1...100 { history.append(line: line, input: String(repeating: "a", count: 100), output: "x") }
        #expect(history.byteCount <= 4096)
        #expect(history.entries.last?.line == 100)
        #expect(history.entries.count == 4096 / 101)
        let huge = String(repeating: "é", count: 10_000) // 20,000 bytes
        history.append(line: 101, input: huge, output: nil)
        let kept = history.entries.last?.input ?? ""
        #expect(kept.utf8.count <= 1024 && kept.hasSuffix(HistoryTruncation.marker) && kept.hasPrefix("éé"))
        #expect(history.byteCount <= 4096)
    }

    @Test func cutNeverSplitsAScalar() {
        let text = String(repeating: "𝔘", count: 100) // four bytes each
        for limit in 60...70 {
            let cut = HistoryTruncation.cut(text, toBytes: limit)
            #expect(cut.utf8.count <= limit)
            #expect(cut.hasSuffix(HistoryTruncation.marker))
            #expect(cut.dropLast(HistoryTruncation.marker.count).allSatisfy { $0 == "𝔘" })
        }
        #expect(HistoryTruncation.cut("short", toBytes: 60) == "short")
    }
}
