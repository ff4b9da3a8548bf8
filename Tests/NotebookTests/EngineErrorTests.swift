import Embeddings
import Jupyter
import Testing

@testable import Notebook

/// Engine errors and failed runs through the kernel: one translation at the interpreter
/// boundary (`%magic: problem; fix`), and a progress display that ends as `failed`.
@Suite(.serialized) struct EngineErrorTests {
    let harness = KernelHarness()
    /// Two short sentences, every word kept (min_count=1).
    static let tiny = "%%corpus tiny lang=en\nthe cat sat on the mat\nthe dog sat on the log\nthe cat saw the dog"

    /// `%train glove` leaves the trainer's `FactorizationError` to the interpreter, which shows
    /// it once as `%train glove: problem; fix` (ename `MagicError`, never the Swift type's name).
    @Test func aDivergingRunEndsItsDisplayAsFailedAndNamesTheMagicAndTheFix() {
        _ = harness.result(Self.tiny)
        let (reply, outputs) = harness.run(
            "%train glove corpus=tiny min_count=1 dim=4 iters=3 window=2 threads=1 lr=1e30",
            allowStdin: false)
        #expect(reply["status"] == "error")
        let message = reply["evalue"]?.stringValue ?? ""
        #expect(message.hasPrefix("%train glove: the GloVe loss became"), "\(message)")
        #expect(message.contains("; lower the learning rate"), "\(message)")
        #expect(reply["ename"] == "MagicError")
        let html = outputs.compactMap { $0.content["data"]?["text/html"]?.stringValue }.filter { $0.contains("xling-progress") }
        #expect(html.last?.contains("data-state=\"failed\"") == true, "\(html.last ?? "no progress display")")
        #expect(!html.contains { $0.contains("data-state=\"interrupted\"") })
        let text = outputs.compactMap { $0.content["data"]?["text/plain"]?.stringValue }.last { $0.hasPrefix("[failed]") }
        #expect(text?.contains("failed after") == true)
    }

    @Test func aFailedDisplayRendersItsState() {
        let context = ExecutionContext(
            executionCount: 1, silent: false, allowStdin: false,
            publish: { _, _, _ in }, readInput: { _, _ in "" })
        let display = ProgressDisplay(context: context, phase: "training", total: 4, unit: "iterations")
        display.advance(to: 2)
        display.finish(.failed)
        #expect(display.state == .failed && display.step == 2)
        let bundle = display.bundle()
        #expect(bundle["text/html"]?.stringValue?.contains("data-state=\"failed\"") == true)
        #expect(bundle["text/plain"]?.stringValue?.hasPrefix("[failed] training: 2/4 iterations") == true)
    }
}
