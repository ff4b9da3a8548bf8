import Testing

@testable import Notebook

@Suite struct MagicParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let cell: String
        let name: String
        let words: [String]
        let keys: [String]
        let values: [String]
        let help: Bool
        var testDescription: String { cell }
    }

    @Test(arguments: [
        Case(cell: "%sleep 2", name: "sleep", words: ["2"], keys: [], values: [], help: false),
        Case(cell: "  %echo hello, world  ", name: "echo", words: ["hello,", "world"], keys: [], values: [], help: false),
        Case(cell: "%set seed=42 threads=2", name: "set", words: [], keys: ["seed", "threads"], values: ["42", "2"], help: false),
        Case(
            cell: #"%echo stream=stderr "a \"quoted\" text""#, name: "echo", words: [#"a "quoted" text"#], keys: ["stream"],
            values: ["stderr"], help: false),
        Case(
            cell: #"%load vectors en path="my file.vec" langs=en,de"#, name: "load", words: ["vectors", "en"], keys: ["path", "langs"],
            values: ["my file.vec", "en,de"], help: false),
        Case(cell: "%sleep?", name: "sleep", words: [], keys: [], values: [], help: true),
        Case(cell: "%sleep ?", name: "sleep", words: [], keys: [], values: [], help: true),
        Case(cell: "%train glove \\\n  dim=50", name: "train", words: ["glove"], keys: ["dim"], values: ["50"], help: false),
        Case(cell: "%echo a=b=c", name: "echo", words: [], keys: ["a"], values: ["b=c"], help: false),
        Case(cell: "%echo 3=x", name: "echo", words: ["3=x"], keys: [], values: [], help: false),
    ])
    func lineMagics(_ c: Case) throws {
        let invocations = try MagicParser.parse(c.cell)
        #expect(invocations.count == 1)
        let i = invocations[0]
        #expect(i.name == c.name && i.words == c.words && i.wantsHelp == c.help)
        #expect(i.keyValues.map(\.key) == c.keys && i.keyValues.map(\.value) == c.values)
    }

    @Test func commentsBlankLinesAndSeveralMagics() throws {
        let invocations = try MagicParser.parse("# a tutorial\n\n%set seed=1\n   # more\n%echo done\n")
        #expect(invocations.map(\.name) == ["set", "echo"])
        #expect(invocations.map(\.sourceLine) == [2, 4])
    }

    @Test func cellMagicTakesTheBody() throws {
        let invocations = try MagicParser.parse("%%dict en-de\nhouse\tHaus\ncat\tKatze")
        #expect(invocations.count == 1)
        #expect(invocations[0].name == "dict" && invocations[0].words == ["en-de"])
        #expect(invocations[0].body == "house\tHaus\ncat\tKatze")
    }

    @Test(arguments: ["print(1)", "%", "%echo \"open", "%set seed=1\n%%dict d\nx y", "%!bad", "%sleep 1 \\"])
    func syntaxErrors(_ cell: String) {
        #expect(throws: MagicError.self) { try MagicParser.parse(cell) }
    }

    @Test func suggestions() {
        #expect(Suggestion.closest(to: "slep", in: ["sleep", "set", "echo"]) == "sleep")
        #expect(Suggestion.closest(to: "alighn", in: ["align", "eval"]) == "align")
        #expect(Suggestion.closest(to: "zzzzzz", in: ["align", "eval"]) == nil)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
    }
}

@Suite struct MagicArgumentsTests {
    func arguments(_ cell: String, _ spec: MagicSpec) throws -> MagicArguments {
        try MagicArguments(MagicParser.parse(cell)[0], spec: spec)
    }

    @Test func defaultsAndTypedValues() throws {
        let args = try arguments("%blas sizes=64,128 repeat=5", BLASMagic.spec)
        #expect(args[BLASMagic.sizes] == ["64", "128"] && args[BLASMagic.repeats] == 5 && args[BLASMagic.name] == "blas")
    }

    @Test func unknownKeySuggestsTheClosest() {
        #expect {
            try arguments("%blas repaet=3", BLASMagic.spec)
        } throws: { error in
            "\(error)".contains("unknown key `repaet`") && "\(error)".contains("did you mean `repeat=`")
                && "\(error)".contains("usage: %blas")
        }
    }

    @Test(arguments: [
        "%blas repeat=0", "%blas repeat=x", "%echo stream=stdrr x", "%sleep", "%sleep 1 2", "%clear wait=maybe",
        "%blas repeat=1 repeat=2", "%%echo\nbody",
    ])
    func invalidArguments(_ cell: String) throws {
        let invocation = try MagicParser.parse(cell)[0]
        let magic = try MagicRegistry.lookup(invocation.name)
        #expect(throws: MagicError.self) { try MagicArguments(invocation, spec: magic.spec) }
    }

    @Test func usageLinesAreGeneratedFromTheSpec() {
        #expect(SleepMagic.spec.usage == "%sleep SECONDS")
        #expect(EchoMagic.spec.usage == "%echo [TEXT…] [stream=stdout|stderr]")
    }
}
