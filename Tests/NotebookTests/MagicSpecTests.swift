import Jupyter
import Testing

@testable import Notebook

/// Walks every spec of every magic and method: each key is accepted, and offered by
/// completion, exactly where it is declared; families resolve methods and reject unknown ones.
@Suite struct MagicSpecTests {
    /// Every leaf magic (single magics and each method of a family) with the words that select it.
    static var leaves: [(words: [String], magic: any Magic.Type)] {
        MagicRegistry.all.flatMap { magic -> [(words: [String], magic: any Magic.Type)] in
            if magic.methods.isEmpty { return [([], magic)] }
            return magic.methods.map { ([$0.spec.methodName ?? ""], $0) }
        }
    }

    /// A value valid for `kind`.
    static func sample(_ kind: MagicSpec.ValueKind) -> String {
        switch kind {
        case .int(let low, _): return String(low ?? 1)
        case .double(let low, _): return String(low ?? 1)
        case .bool: return "true"
        case .choice(let values): return values[0]
        default: return "x"
        }
    }

    /// Positional words and required keys that make an invocation of `spec` complete.
    static func minimal(_ spec: MagicSpec) -> (words: [String], keys: [(key: String, value: String)]) {
        let words = spec.positionals.filter { !$0.optional }.map { sample($0.kind) }
        let keys = spec.options.filter(\.required).map { ($0.key, sample($0.kind)) }
        return (words, keys)
    }

    @Test func everyKeyIsAcceptedOnlyWhereItIsDeclared() throws {
        let allKeys = Set(Self.leaves.flatMap { $0.magic.spec.options.map(\.key) })
        #expect(allKeys.count > 40)
        for (words, magic) in Self.leaves where !magic.spec.acceptsAnyKey {
            let spec = magic.spec
            let base = Self.minimal(spec)
            for key in allKeys.sorted() {
                let option = spec.option(key)
                let value = option.map { Self.sample($0.kind) } ?? "1"
                var keyValues = base.keys.filter { $0.key != key }
                keyValues.append((key, value))
                let invocation = MagicInvocation(name: spec.magicName, words: words + base.words, keyValues: keyValues)
                let (resolved, rest) = try MagicRegistry.resolve(invocation)
                #expect(resolved.spec.name == spec.name)
                let accepted = (try? MagicArguments(rest, spec: resolved.spec)) != nil
                #expect(accepted == (option != nil), "%\(spec.name) \(key)=: accepted \(accepted), declared \(option != nil)")
            }
        }
    }

    @Test func completionOffersExactlyTheMethodsKeys() {
        let completer = MagicCompleter(session: Session())
        for (words, magic) in Self.leaves {
            let spec = magic.spec
            let code = "%" + ([spec.magicName] + words + Self.minimal(spec).words).joined(separator: " ") + " "
            let offered = Set(completer.complete(code, cursor: code.unicodeScalars.count).matches.filter { $0.hasSuffix("=") })
            let declared = Set(spec.options.map { $0.key + "=" })
            #expect(offered == declared, "\(code): offered \(offered.sorted()), declared \(declared.sorted())")
        }
    }

    @Test func familiesOfferTheirMethodsFirst() {
        let completer = MagicCompleter(session: Session())
        #expect(completer.complete("%train ", cursor: 7).matches == ["glove", "cofactor", "classifier", "mlm"])
        #expect(completer.complete("%align pro", cursor: 10).matches == ["procrustes"])
        #expect(completer.complete("%load ", cursor: 6).matches.contains("labeled"))
    }

    @Test func unknownAndMissingMethodsAreErrorsThatListTheMethods() {
        let harness = KernelHarness()
        let unknown = harness.error("%align vecmapp src=a tgt=b")
        #expect(unknown.contains("unknown method `vecmapp`"))
        #expect(unknown.contains("procrustes, lstsq, cca, svd, identical"))
        let close = harness.error("%train glov corpus=c")
        #expect(close.contains("did you mean `glove`?"))
        let missing = harness.error("%eval")
        #expect(missing.contains("missing METHOD: one of bli, cldc, classifier"))
    }

    @Test func aKeyOfAnotherMethodNamesTheMethodAndItsKeys() {
        let message = KernelHarness().error("%train classifier data=d space=s xmax=10")
        #expect(message.hasPrefix("%train classifier: unknown key `xmax`"))
        #expect(message.contains("usage: %train classifier data=a,b,… space=a,b,…"))
        #expect(!message.contains("mono"))
    }

    @Test func requiredKeysAreCheckedFromTheSpec() {
        let message = KernelHarness().error("%align procrustes src=a tgt=b")
        #expect(message.contains("missing dict=name"))
        #expect(KernelHarness().error("%align identical src=a tgt=b dict=d").contains("unknown key `dict`"))
    }

    @Test func typedDefaultsComeFromTheSpec() throws {
        let invocation = MagicInvocation(name: "train", words: ["glove"], keyValues: [("corpus", "c")])
        let (magic, rest) = try MagicRegistry.resolve(invocation)
        let arguments = try MagicArguments(rest, spec: magic.spec)
        #expect(arguments[TrainGloVeMagic.dim] == 50)
        #expect(arguments[TrainGloVeMagic.schedule] == .stratified)
        #expect(arguments[CountingKeys.maxVocab] == nil)
        #expect(magic.spec.option("dim")?.defaultValue == "50")
        let cofactor = try MagicRegistry.resolve(MagicInvocation(name: "train", words: ["cofactor"]))
        #expect(cofactor.0.spec.option("dim")?.defaultValue == "40")
    }

    @Test func helpOfAFamilyListsItsMethodsAndHelpOfAMethodShowsOnlyItsKeys() {
        let harness = KernelHarness()
        let family = harness.plainText("%help train")
        #expect(family.contains("methods:") && family.contains("cofactor") && family.contains("classifier"))
        #expect(!family.contains("xmax_cross"))
        let method = harness.plainText("%help train cofactor")
        #expect(method.contains("xmax_cross") && !method.contains("update_emb"))
        let (reply, _) = harness.run("%train cofactor?")
        let page = reply["payload"]?.arrayValue?.first?["data"]?["text/plain"]?.stringValue ?? ""
        #expect(page.contains("%train cofactor — cross-lingual matrix co-factorization"))
    }

    @Test func goldenHelpOfOneMethodPerFamily() throws {
        for (family, method) in [
            ("train", "cofactor"), ("train", "classifier"), ("train", "mlm"), ("align", "procrustes"), ("eval", "bli"),
            ("load", "parallel"),
        ] {
            let spec = try #require(MagicRegistry.spec(named: family, words: [method])).spec
            assertRenderingSnapshot(MagicHelp.plainText(spec), named: "help_\(family)_\(method).txt")
        }
        assertRenderingSnapshot(MagicHelp.plainText(TrainMagic.spec), named: "help_train.txt")
        assertRenderingSnapshot(MagicHelp.html(AlignMagic.spec), named: "help_align.html")
    }
}
