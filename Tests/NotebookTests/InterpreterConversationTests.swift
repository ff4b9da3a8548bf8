import Jupyter
import Testing

@testable import Notebook

/// The magics, run through the real kernel core and the in-memory transport.
@Suite(.serialized) struct InterpreterConversationTests {
    let harness = KernelHarness()
    var interpreter: XlingInterpreter { harness.interpreter }
    var kernel: Kernel { harness.kernel }

    @discardableResult
    func run(_ code: String, allowStdin: Bool = true, stdin: [String] = []) -> (reply: JSON, outputs: [Message]) {
        harness.run(code, allowStdin: allowStdin, stdin: stdin)
    }

    func request(_ type: String, _ content: JSON) -> JSON { harness.request(type, content) }

    @Test func echoWritesStreams() {
        let (reply, outputs) = run("%echo hello, world\n%echo stream=stderr oops")
        #expect(reply["status"] == "ok")
        #expect(outputs.map { $0.content["name"] } == ["stdout", "stderr"])
        #expect(outputs.first?.content["text"] == "hello, world\n")
    }

    @Test func setReturnsValuesAndShowsATable() {
        // threads=1: OpenBLAS's thread count is process-wide, and other suites running concurrently in this
        // process compare same-seed results exactly (a kernel serves one session, so there it is the user's choice).
        run("%set seed=42 threads=1 alpha=0.5")
        let (_, outputs) = run("%set seed")
        #expect(outputs.first?.msgType == "execute_result")
        #expect(outputs.first?.content["data"]?["text/plain"] == "42")
        let (_, all) = run("%set")
        let rows = all.first?.content["data"]?["application/vnd.dataresource+json"]?["data"]?.arrayValue ?? []
        #expect(rows.count == 3)
        #expect(rows.first?["setting"] == "seed" && rows.first?["value"] == 42)
        let (bad, _) = run("%set seed=-1")
        #expect(bad["status"] == "error")
        #expect(interpreter.session.settings.seed == 42)
        let (missing, _) = run("%set sed")
        #expect(missing["evalue"]?.stringValue?.contains("did you mean `seed`") == true)
    }

    @Test func unknownMagicSuggestsAndKeepsTheSession() {
        run("%set seed=7")
        let (reply, outputs) = run("%slep 1")
        #expect(reply["status"] == "error" && reply["ename"] == "UsageError")
        #expect(reply["evalue"]?.stringValue?.contains("did you mean `%sleep`?") == true)
        #expect(outputs.map(\.msgType) == ["error"])
        #expect(run("%set seed").outputs.first?.content["data"]?["text/plain"] == "7")
    }

    @Test func helpPagerAndInspect() {
        let (reply, _) = run("%sleep?")
        let payload = reply["payload"]?.arrayValue?.first
        #expect(payload?["source"] == "page")
        #expect(payload?["data"]?["text/plain"]?.stringValue?.hasPrefix("%sleep — ") == true)
        let inspect = request("inspect_request", ["code": "%sleep 3", "cursor_pos": 3, "detail_level": 0])
        #expect(inspect["found"] == true && inspect["data"]?["text/html"] != nil)
        let nothing = request("inspect_request", ["code": "%nothing", "cursor_pos": 3])
        #expect(nothing["found"] == false)
        let help = run("%help").outputs.first?.content["data"]?["application/vnd.dataresource+json"]?["data"]?.arrayValue ?? []
        #expect(help.count == MagicRegistry.all.count)
    }

    @Test func completionOfNamesKeysValuesAndObjects() {
        #expect(request("complete_request", ["code": "%sl", "cursor_pos": 3])["matches"] == ["%sleep"])
        let keys = request("complete_request", ["code": "%blas re", "cursor_pos": 8])
        #expect(keys["matches"] == ["repeat="] && keys["cursor_start"] == 6)
        let values = request("complete_request", ["code": "%echo stream=st", "cursor_pos": 15])
        #expect(values["matches"] == ["stdout", "stderr"] && values["cursor_start"] == 13)
        #expect(request("complete_request", ["code": "%help sl", "cursor_pos": 8])["matches"] == ["sleep"])
        // Cursor positions count Unicode scalars: "é" is one, "🙂" one, though more bytes.
        let unicode = request("complete_request", ["code": "%echo é🙂\n%sl", "cursor_pos": 12])
        #expect(unicode["matches"] == ["%sleep"] && unicode["cursor_start"] == 9 && unicode["cursor_end"] == 12)
        let paths = request("complete_request", ["code": "%echo x\n%help", "cursor_pos": 14])
        #expect(paths["matches"] == ["%help"])
    }

    @Test func isComplete() {
        #expect(request("is_complete_request", ["code": "%sleep 1"])["status"] == "complete")
        #expect(request("is_complete_request", ["code": "%sleep \\"])["status"] == "incomplete")
        #expect(request("is_complete_request", ["code": "%%dict d"])["status"] == "incomplete")
        #expect(request("is_complete_request", ["code": "x = 1"])["status"] == "invalid")
    }

    @Test func resetAsksThroughStdin() {
        run("%blas sizes=16 repeat=1 as=a")
        run("%blas sizes=16 repeat=1 as=b")
        #expect(run("%reset a", stdin: ["n"]).outputs.last?.content["text"] == "Nothing done.\n")
        #expect(interpreter.session.order == ["a", "b"])
        let (denied, _) = run("%reset", allowStdin: false)
        #expect(denied["status"] == "error" && denied["evalue"]?.stringValue?.contains("force=true") == true)
        run("%reset a", stdin: ["y"])
        #expect(interpreter.session.order == ["b"])
        let (missing, _) = run("%reset zzz force=true")
        #expect(missing["evalue"]?.stringValue?.contains("no object named `zzz`") == true)
        run("%reset force=true")
        #expect(interpreter.session.order.isEmpty)
    }

    @Test func whoListsObjects() {
        run("%blas sizes=16 repeat=1 as=gemm")
        let rows = run("%who").outputs.first?.content["data"]?["application/vnd.dataresource+json"]?["data"]?.arrayValue ?? []
        #expect(rows.first?["name"] == "gemm" && rows.first?["kind"] == "benchmark")
        #expect(completionMatches("%reset g") == ["gemm"])
    }

    func completionMatches(_ code: String) -> [String] { harness.completions(code) }

    @Test func blasShowsChartTableAndFinishedProgress() {
        let (reply, outputs) = run("%blas sizes=32,64 repeat=1")
        #expect(reply["status"] == "ok")
        // Quick runs show no progress display (it appears after 0.5 s), only chart and table.
        #expect(outputs.map(\.msgType) == ["display_data", "execute_result"])
        #expect(outputs[0].content["data"]?["image/svg+xml"]?.stringValue?.hasPrefix("<svg") == true)
        #expect(outputs[1].content["data"]?["application/vnd.dataresource+json"]?["data"]?.arrayValue?.count == 2)
    }

    @Test func sleepIsInterruptible() {
        let interrupts = kernel.interrupts
        let interrupter = Thread {
            usleep(150_000)
            interrupts.raise()
        }
        interrupter.start()
        let start = ProgressDisplay.now()
        let (reply, outputs) = run("%sleep 5")
        #expect(ProgressDisplay.now() - start < 1.0)
        #expect(reply["ename"] == "KeyboardInterrupt")
        #expect(outputs.contains { $0.content["data"]?["text/html"]?.stringValue?.contains("data-state=\"interrupted\"") == true })
    }

    @Test func clearOutput() {
        #expect(run("%echo a\n%clear").outputs.map(\.msgType) == ["stream", "clear_output"])
    }

    @Test func earlierValuesAreDisplayedLastIsTheResult() {
        let outputs = run("%set seed=3\n%set seed\n%set threads").outputs
        #expect(outputs.map(\.msgType) == ["display_data", "execute_result"])
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A pthread for tests that need a second thread (e.g. to interrupt).
final class Thread: @unchecked Sendable {
    let body: () -> Void
    var handle = pthread_t()
    init(_ body: @escaping () -> Void) { self.body = body }
    func start() {
        let box = Unmanaged.passRetained(self)
        pthread_create(
            &handle, nil,
            { raw in
                Unmanaged<Thread>.fromOpaque(raw!).takeRetainedValue().body()
                return nil
            }, box.toOpaque())
    }
}
