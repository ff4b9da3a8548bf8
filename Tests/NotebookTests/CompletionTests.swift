import Testing

@testable import Notebook

#if canImport(Glibc)
import Glibc
#endif

/// A session object with a vocabulary, as loaded spaces will have.
final class WordList: SessionObject {
    let words: [String]
    init(_ words: [String]) { self.words = words }
    var kind: String { "vectors" }
    var languages: [String] { ["en"] }
    var sizeDescription: String { "\(words.count) words" }
    func vocabularyWords(prefix: String, limit: Int) -> [String] { Array(words.filter { $0.hasPrefix(prefix) }.prefix(limit)) }
}

@Suite struct CompletionTests {
    @Test func vocabularyWordsOfStoredObjects() {
        let session = Session()
        session.store(WordList(["house", "household", "cat"]), as: "en", madeBy: "test", cell: 1)
        let completer = MagicCompleter(session: session)
        #expect(completer.values(of: .word, prefix: "hou") == ["house", "household"])
        #expect(completer.values(of: .object, prefix: "e") == ["en"])
        #expect(completer.values(of: .bool, prefix: "") == ["true", "false"])
    }

    @Test func pathsListFilesAndDirectories() throws {
        var template = Array("/tmp/xling-complete-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        let dir = try #require(made.map { String(cString: $0) })
        defer {
            _ = rmdir(dir + "/vectors")
            _ = unlink(dir + "/vocab.tsv")
            _ = unlink(dir + "/.hidden")
            _ = rmdir(dir)
        }
        mkdir(dir + "/vectors", 0o755)
        for name in ["vocab.tsv", ".hidden"] { fclose(fopen(dir + "/" + name, "w")) }
        let completer = MagicCompleter(session: Session())
        #expect(completer.paths(prefix: dir + "/vo") == [dir + "/vocab.tsv"])
        #expect(completer.paths(prefix: dir + "/") == [dir + "/vectors/", dir + "/vocab.tsv"])
        #expect(completer.paths(prefix: dir + "/.h") == [dir + "/.hidden"])
        #expect(completer.paths(prefix: "/definitely/not/here/x").isEmpty)
    }

    @Test func cursorInsideAMagicNameInspectsIt() {
        let line = CursorLine(code: "%echo a\n%sleep 2", cursor: 10)
        #expect(line.magicName == "sleep" && line.isOnMagicName && line.tokenStart == 8)
    }
}
