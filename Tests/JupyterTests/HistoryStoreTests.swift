import Testing

@testable import Jupyter

#if canImport(Glibc)
import Glibc
#endif

@Suite struct HistoryStoreTests {
    /// A fresh folder under /tmp for one test's history file.
    func folder() -> String {
        var template = Array("/tmp/xling-history-test-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer -> String in
            guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return "/tmp" }
            return String(cString: made)
        }
    }

    @Test func sessionsSurviveARestart() {
        let path = folder() + "/nested/history.jsonl"
        var first = History(store: HistoryStore(path: path))
        #expect(first.session == 1 && first.entries.isEmpty)
        first.append(line: 1, input: "%set seed=1", output: nil)
        first.append(line: 2, input: "%set seed", output: "1")
        #expect(first.store?.flush(timeout: 5) == true)

        var second = History(store: HistoryStore(path: path))
        #expect(second.session == 2)
        #expect(second.entries.map(\.input) == ["%set seed=1", "%set seed"])
        second.append(line: 1, input: "%echo again", output: nil)
        #expect(second.tail(2).map(\.session) == [1, 2])
        #expect(second.range(session: -1, start: 1, stop: 0).map(\.line) == [1, 2])
        #expect(second.range(session: 1, start: 2, stop: 0).map(\.output) == ["1"])
        #expect(second.range(session: 0, start: 1, stop: 0).map(\.input) == ["%echo again"])
        #expect(second.search(pattern: "%set*", n: nil, unique: false).count == 2)
        #expect(second.store?.flush(timeout: 5) == true)
        #expect(History(store: HistoryStore(path: path)).session == 3)
    }

    @Test func damagedLinesAreSkipped() {
        let path = folder() + "/history.jsonl"
        let text = """
            {"session": 4, "started": "x"}
            {"session": 4, "line": 1, "input": "%echo kept", "output": null}
            {"session": 4, "line": 2, "inp
            not json at all
            {"session": 4, "line": 3, "input": "%echo also kept", "output": "o"}

            """
        #expect((try? AtomicFileForTests.write(text, to: path)) != nil)
        let history = History(store: HistoryStore(path: path))
        #expect(history.session == 5)
        #expect(history.entries.map(\.input) == ["%echo kept", "%echo also kept"])
    }

    @Test func aTornLastLineDoesNotSwallowTheNextRecord() {
        let path = folder() + "/history.jsonl"
        #expect(
            (try? AtomicFileForTests.write("{\"session\": 1, \"line\": 1, \"input\": \"%echo a\", \"output\": null}\n{\"sess", to: path))
                != nil)
        var history = History(store: HistoryStore(path: path))
        history.append(line: 1, input: "%echo b", output: nil)
        #expect(history.store?.flush(timeout: 5) == true)
        #expect(History(store: HistoryStore(path: path)).entries.map(\.input) == ["%echo a", "%echo b"])
    }

    @Test func theFileIsCompactedToItsLimits() {
        let path = folder() + "/history.jsonl"
        let limits = History.Limits(maxEntries: 3, maxBytes: 1 << 20)
        var history = History(store: HistoryStore(path: path, limits: limits), limits: limits)
        for line in 1...20 { history.append(line: line, input: "%set n=\(line)", output: nil) }
        #expect(history.store?.flush(timeout: 5) == true)
        let records = HistoryStore.records(in: FileBytes.read(path) ?? [])
        #expect(records.count <= 2 * limits.maxEntries + 1)
        let next = History(store: HistoryStore(path: path, limits: limits), limits: limits)
        #expect(next.session == 2)
        #expect(next.entries.map(\.line) == [18, 19, 20])
    }

    @Test func anUnwritableLocationIsLoggedOnceAndIgnored() {
        final class Lines: @unchecked Sendable {
            let lock = Lock()
            var lines: [String] = []
        }
        let logged = Lines()
        let store = HistoryStore(path: "/proc/xling-cannot-exist/history.jsonl") { line in
            logged.lock.withLock { logged.lines.append(line) }
        }
        var history = History(store: store)
        #expect(history.session == 1)
        for line in 1...5 { history.append(line: line, input: "%echo \(line)", output: nil) }
        #expect(store.flush(timeout: 5))
        #expect(history.entries.count == 5)
        let lines = logged.lock.withLock { logged.lines }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("kept in memory only") == true)
    }

    @Test func aFullDiskIsLoggedOnceAndIgnored() {
        final class Lines: @unchecked Sendable {
            let lock = Lock()
            var lines: [String] = []
        }
        let path = folder() + "/history.jsonl"
        #expect(symlink("/dev/full", path) == 0) // every write fails with ENOSPC
        let logged = Lines()
        let store = HistoryStore(path: path) { line in logged.lock.withLock { logged.lines.append(line) } }
        var history = History(store: store)
        for line in 1...5 { history.append(line: line, input: "%echo \(line)", output: nil) }
        #expect(store.flush(timeout: 5))
        #expect(history.tail(10).count == 5)
        let lines = logged.lock.withLock { logged.lines }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("No space left") == true)
    }

    @Test func locationFromTheEnvironment() {
        #expect(HistoryStore.defaultPath { ["XDG_DATA_HOME": "/data", "HOME": "/home/u"][$0] } == "/data/xling/history.jsonl")
        #expect(HistoryStore.defaultPath { ["HOME": "/home/u"][$0] } == "/home/u/.local/share/xling/history.jsonl")
        #expect(HistoryStore.defaultPath { _ in nil } == nil)
    }
}

/// Writes test fixtures without the Notebook target's `AtomicFile`.
enum AtomicFileForTests {
    struct Failed: Error {}
    static func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "wb") else { throw Failed() }
        defer { fclose(file) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw Failed() }
    }
}
