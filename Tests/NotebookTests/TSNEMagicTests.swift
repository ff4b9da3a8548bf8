import Jupyter
import Testing

@testable import Notebook

#if canImport(Glibc)
import Glibc
#endif

/// `%tsne` through the kernel core on the real fastText en/fr vectors of the notebooks: the
/// French side randomly rotated and mapped back by Procrustes (as in notebook 01), and the
/// English vectors alone.
@Suite(.serialized) struct TSNEMagicTests {
    let harness = KernelHarness()
    static let data: String = {
        let root = "\(#filePath)".split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + root + "/notebooks/data"
    }()

    init() {
        _ = harness.result(
            """
            %load vectors en path=\(Self.data)/fasttext-en-fr-756/en.vec.gz lang=en
            %load vectors frr path=\(Self.data)/fasttext-en-fr-756/fr.rotated.vec.gz lang=fr
            %load dict train path=\(Self.data)/xling-eval-en-fr/yacle.train.freq.5k.en-fr.tsv.gz
            %align procrustes src=en tgt=frr dict=train as=m
            """)
    }

    /// Runs `code` expecting success; returns the map's SVG (a display), the summary (the
    /// result's text) and every iopub output.
    func picture(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> (svg: String, text: String, outputs: [Message]) {
        let (reply, outputs) = harness.run(code, allowStdin: false)
        #expect(reply["status"] == "ok", "\(code): \(reply["evalue"]?.stringValue ?? "")", sourceLocation: sourceLocation)
        let chart = outputs.last { $0.msgType == "display_data" && $0.content["data"]?["image/svg+xml"] != nil }?.content["data"]
        let data = outputs.last { $0.msgType == "execute_result" }?.content["data"]
        return (chart?["image/svg+xml"]?.stringValue ?? "", data?["text/plain"]?.stringValue ?? "", outputs)
    }

    @Test func mapCarriesAVegaLiteSpecWithTooltipsZoomAndNoLabelsOnPunctuation() throws {
        let (_, text, outputs) = picture("%tsne en top=60 labels=20 perplexity=10 iters=250")
        let chart = try #require(outputs.last { $0.msgType == "display_data" && $0.content["data"]?[VegaLite.mimeType] != nil })
        let data = chart.content["data"] ?? .null
        #expect(data["image/svg+xml"] != nil && data["text/plain"]?.stringValue?.hasPrefix("<ScatterPlot: ") == true)
        let spec = data[VegaLite.mimeType] ?? .null
        #expect(spec["$schema"] == .string(VegaLite.schema))
        let layers = try #require(spec["layer"]?.arrayValue)
        let tooltip = layers[0]["encoding"]?["tooltip"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
        #expect(tooltip == ["word", "language", "rank"])
        #expect(layers[0]["params"]?.arrayValue?.first?["bind"] == "scales")
        let rows = try #require(spec["data"]?["values"]?.arrayValue)
        #expect(rows.count == 60)
        // `</s>`, `,` and `.` are dots with tooltips (ranks 4, 1, 2) but never labels.
        #expect(rows.contains { $0["word"] == "</s>" && $0["rank"] == 4 && $0["language"] == "en" })
        #expect(rows.contains { $0["word"] == "," && $0["rank"] == 1 })
        let labels = rows.compactMap { $0["label"]?.stringValue }
        #expect(!labels.isEmpty && labels.allSatisfy { TSNEMagic.labelWorthy($0) }, "\(labels)")
        #expect(!labels.contains("</s>") && !labels.contains(",") && !labels.contains("(") && labels.contains("the"))
        #expect(text.contains("\(labels.count) of 20 labels shown"), "\(text)")
        // The summary follows the chart as Markdown, so JupyterLab shows it beside the picture.
        let result = try #require(outputs.last { $0.msgType == "execute_result" })
        let markdown = result.content["data"]?["text/markdown"]?.stringValue ?? ""
        #expect(markdown.contains("labels shown") && markdown.contains("KL "), "\(markdown)")
        #expect(
            TSNEMagic.labelWorthy("über") && TSNEMagic.labelWorthy("1990") && TSNEMagic.labelWorthy("l'")
                && !TSNEMagic.labelWorthy("<unk>") && !TSNEMagic.labelWorthy("[CLS]") && !TSNEMagic.labelWorthy("--")
                && !TSNEMagic.labelWorthy("«"))
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.split(separator: needle, omittingEmptySubsequences: false).count - 1
    }

    @Test func mappingGivesOneDotPerWordInTwoColoursWithALegend() {
        let (svg, text, outputs) = picture("%tsne m top=120 labels=30 iters=300")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(Self.count("<circle ", in: svg) == 240 && Self.count("<title>", in: svg) == 240)
        #expect(svg.contains("<title>the (en)</title>") && svg.contains("<title>de (fr)</title>"))
        #expect(Self.count(" (en)</title>", in: svg) == 120 && Self.count(" (fr)</title>", in: svg) == 120)
        let legend = svg.split(separator: "\n").drop { !$0.contains("class=\"legend\"") }.prefix(5).joined()
        #expect(legend.contains(">en</text>") && legend.contains(">fr</text>"))
        #expect(text.contains("t-SNE of `m`: 240 points (en 120, fr 120)"), "\(text)")
        #expect(
            text.contains("of 30 labels shown") && text.contains("after 300 of 300 iterations") && text.contains("exact gradient")
                && text.contains("PCA start"))
        #expect(text.contains("KL "))
        // A live progress display that ends done, with the KL in its text.
        #expect(
            outputs.contains {
                $0.msgType == "display_data" && $0.content["transient"]?["display_id"]?.stringValue?.hasPrefix("xling-progress-") == true
            })
        #expect(outputs.contains { $0.content["data"]?["text/html"]?.stringValue?.contains("data-state=\"done\"") == true })
        #expect(outputs.contains { $0.content["data"]?["text/plain"]?.stringValue?.contains("· KL ") == true })
    }

    @Test func sameSeedSameSVGAndOtherPerplexityAnotherMap() {
        let first = picture("%tsne m top=80 iters=250 seed=7").svg
        let second = picture("%tsne m top=80 iters=250 seed=7").svg
        #expect(!first.isEmpty && first == second)
        let other = picture("%tsne m top=80 iters=250 seed=7 perplexity=10").svg
        #expect(Self.count("<circle ", in: other) == 160 && other != first)
        // A random start draws from the seed: the same seed repeats, another seed moves the map.
        let random = picture("%tsne m top=80 iters=250 init=random seed=7")
        #expect(random.text.contains("random start, seed 7") && random.svg != first)
        #expect(picture("%tsne m top=80 iters=250 init=random seed=7").svg == random.svg)
        #expect(picture("%tsne m top=80 iters=250 init=random seed=8").svg != random.svg)
    }

    @Test func chosenWordsAreLookedUpInEveryLanguageAndAllLabelled() {
        let (svg, text, _) = picture(
            """
            %tsne m words=january,february,march,janvier,février,mars,one,two,un,deux,france,film perplexity=2 iters=300
            """)
        // "france" and "film" are words of both vocabularies: one dot in each language.
        for title in [
            "january (en)", "janvier (fr)", "février (fr)", "france (en)", "france (fr)", "film (en)", "film (fr)", "mars (fr)", "un (fr)",
        ] {
            #expect(svg.contains("<title>\(title)</title>"), "\(title)")
        }
        #expect(!svg.contains("<title>mars (en)</title>"))
        #expect(Self.count("<circle ", in: svg) == 14)
        let dots = Self.count("<circle ", in: svg)
        #expect(text.contains("t-SNE of `m`: \(dots) points") && text.contains("of \(dots) labels shown"), "\(text)")
    }

    @Test func oneLanguageOfAMappingOrOneSpace() {
        let french = picture("%tsne m top=60 langs=fr perplexity=10 iters=250")
        #expect(Self.count(" (fr)</title>", in: french.svg) == 60 && !french.svg.contains(" (en)</title>"))
        #expect(!french.svg.contains("class=\"legend\"")) // one language: the title names it
        let english = picture("%tsne en top=60 perplexity=10 iters=250")
        #expect(Self.count(" (en)</title>", in: english.svg) == 60)
        #expect(english.text.contains("t-SNE of `en`: 60 points (en 60)"))
    }

    @Test func asKeepsTheMapAsAnObject() {
        let (_, text, _) = picture("%tsne m top=100 perplexity=10 iters=300 as=map")
        #expect(text.contains("the 2-d coordinates are stored as `map`"))
        let who = harness.result("%who")
        #expect(who.first { $0["name"] == "map" }?["kind"] == "joint space")
        let path = "/tmp/xling-tsne-map-\(getpid()).vec"
        defer { unlink(path) }
        _ = harness.result("%save map path=\(path) side=target")
        let lines = String(decoding: FileBytes.read(path) ?? [], as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "100 2" && lines.count == 101 && lines[1].hasPrefix("</s> "))
        _ = picture("%tsne en top=40 perplexity=5 iters=200 as=emap")
        let space = (harness.interpreter.session.objects["emap"]?.object as? SpaceObject)?.space
        #expect(space?.count == 40 && space?.dimension == 2 && space?.vocabulary[0] == ",")
    }

    @Test func badInputNamesTheProblemAndTheFix() {
        let few = harness.error("%tsne m words=january,janvier,february,février,march")
        #expect(
            few.contains(
                """
                5 points are too few for perplexity 30: t-SNE needs more than 3 × perplexity = 90; write perplexity=1.33 or less, or give more \
                words
                """), "\(few)")
        let unknown = harness.error("%tsne m words=january,qwertyuiop,janvier,zzzxq perplexity=1")
        #expect(unknown.contains("2 of 4 words are not in en or fr of `m`: `qwertyuiop`, `zzzxq` (found 2)"), "\(unknown)")
        #expect(harness.error("%tsne m langs=en,de").contains("`m` has no language `de` (it has en, fr)"))
        #expect(
            harness.error("%tsne train").contains(
                """
                `train` holds dictionary (`%who` lists every object), not vectors, a mapping or a joint space
                """))
        #expect(harness.error("%tsne nothing").contains("nothing"))
        #expect(harness.error("%tsne m top=0").contains("top"))
        let topFew = harness.error("%tsne m top=10")
        #expect(
            topFew.contains("20 points are too few for perplexity 30")
                && topFew.contains(
                    """
                    write perplexity=6.33 or less, or picture more words (top=46 or more)
                    """),
            "\(topFew)")
        #expect(harness.error("%tsne m top=10 words=a,b").contains("words=… or top=N, not both"))
        #expect(harness.error("%tsne m method=fast").contains("method"))
    }

    @Test func anEmptySessionSaysWhatToLoad() {
        let empty = KernelHarness()
        #expect(empty.error("%tsne").contains("nothing to picture: load vectors"))
    }

    @Test func interruptShowsThePartialMap() {
        let (raised, reply, outputs) = harness.runInterrupted("%tsne m top=300 iters=100000 method=barnes-hut", trigger: "[running] t-SNE ")
        #expect(raised)
        #expect(reply["ename"] == "KeyboardInterrupt", "\(reply)")
        #expect(outputs.contains { $0.content["data"]?["text/html"]?.stringValue?.contains("data-state=\"interrupted\"") == true })
        let partial = outputs.first { $0.msgType == "display_data" && $0.content["data"]?["image/svg+xml"] != nil }
        #expect(Self.count("<circle ", in: partial?.content["data"]?["image/svg+xml"]?.stringValue ?? "") == 600)
        #expect(partial?.content["data"]?[VegaLite.mimeType] != nil)
        #expect(
            outputs.contains {
                $0.msgType == "display_data"
                    && $0.content["data"]?["text/plain"]?.stringValue?.contains("of 100000 iterations (interrupted)") == true
            })
        // The first progress report comes from the neighbour search, so the interrupt may land
        // there (the starting map) or at the affinities (the map after 0 iterations).
        #expect(
            outputs.contains {
                let text = $0.content["text"]?.stringValue ?? ""
                return text.contains("Interrupted: the map after") || text.contains("Interrupted during the nearest-neighbour search")
            })
    }

    /// knn=approximate through the kernel (the search `auto` picks above 20,000 points) on both
    /// cores: live progress, the same map for the same seed, the summary naming the search.
    @Test func approximateNeighboursOnTwoThreadsRepeat() {
        let code = "%tsne m top=756 iters=200 knn=approximate threads=2 seed=4"
        let first = picture(code)
        #expect(first.text.contains("approximate neighbours"), "\(first.text)")
        #expect(Self.count("<circle ", in: first.svg) == 1512)
        #expect(first.outputs.contains { $0.msgType == "update_display_data" })
        #expect(picture(code).svg == first.svg)
    }

    /// method=fft through the kernel on both cores: live progress, the same map for the same
    /// seed and threads, the method named in the summary; an interrupt keeps the partial map.
    @Test func fftOnTwoThreadsRepeatsAndKeepsThePartialMapOnInterrupt() {
        let code = "%tsne m top=756 iters=300 method=fft threads=2 init=random seed=3"
        let first = picture(code)
        #expect(first.text.contains("FFT interpolation") && first.text.contains("2 threads"), "\(first.text)")
        #expect(Self.count("<circle ", in: first.svg) == 1512)
        #expect(first.outputs.contains { $0.msgType == "update_display_data" })
        #expect(picture(code).svg == first.svg)
        let (raised, reply, outputs) = harness.runInterrupted(
            "%tsne m top=756 iters=100000 method=fft threads=2", trigger: "[running] t-SNE ")
        #expect(raised)
        #expect(reply["ename"] == "KeyboardInterrupt", "\(reply)")
        let partial = outputs.first { $0.msgType == "display_data" && $0.content["data"]?["image/svg+xml"] != nil }
        #expect(Self.count("<circle ", in: partial?.content["data"]?["image/svg+xml"]?.stringValue ?? "") == 1512)
    }
}
