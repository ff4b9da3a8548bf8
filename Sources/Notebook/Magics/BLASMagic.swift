import Embeddings
import Jupyter

/// `%blas`: which BLAS kernels this kernel runs on and how fast sgemm is here.
struct BLASMagic: Magic {
    static let sizes = Opt.list("sizes", default: ["64", "128", "256", "512", "1024"], help: "matrix sides n to time (n×n · n×n)")
    static let repeats = Opt.int("repeat", min: 1, max: 100, default: 3, help: "timed multiplications per size; the fastest counts")
    static let name = Opt.text("as", .string, default: "blas", help: "name of the stored measurement")
    static let spec = MagicSpec(
        name: "blas", abstract: "show the BLAS configuration and measure sgemm GFLOP/s at several sizes (table + chart)",
        keys: [sizes, repeats, name],
        discussion: """
            Debian's OpenBLAS may not recognise a new CPU and fall back to slow SSE3 kernels; xling then restarts itself once with \
            OPENBLAS_CORETYPE set from the CPU flags. The core named here is what is in use.
            """,
        examples: ["%blas", "%blas sizes=256,1024 repeat=5 as=gemm"])

    let sizes: [Int]
    let repeats: Int
    let name: String

    init(_ arguments: MagicArguments) throws {
        let texts = arguments[Self.sizes]
        var sizes: [Int] = []
        for text in texts {
            guard let n = Int(text), (1...8192).contains(n) else {
                throw Self.usageError("sizes= takes whole numbers from 1 to 8192, not `\(text)`")
            }
            sizes.append(n)
        }
        guard !sizes.isEmpty else { throw Self.usageError("sizes= is empty") }
        self.sizes = sizes
        repeats = arguments[Self.repeats]
        name = arguments[Self.name]
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let progress = ProgressDisplay(context: context, phase: "sgemm", total: sizes.count, unit: "sizes", delay: 0.5)
        let run = BLASRun(core: BLAS.coreName, threads: BLAS.threads)
        session.store(
            run, as: name, madeBy: "%blas sizes=\(sizes.map(String.init).joined(separator: ",")) repeat=\(repeats)",
            cell: context.executionCount)
        for (i, size) in sizes.enumerated() {
            guard
                let sample = GEMMBenchmark.measure(
                    size: size, repeats: repeats, seed: UInt64(session.settings.seed),
                    progress: { _ in .stopping(if: context.cancellation.isCancelled) })
            else {
                progress.finish(.interrupted)
                context.stream("Interrupted: `\(name)` keeps the \(run.samples.count) sizes measured so far.\n", name: "stderr")
                throw Interrupted()
            }
            run.samples.append(sample)
            progress.advance(to: i + 1, phase: "sgemm n=\(size)")
        }
        progress.finish(.done)
        let chart = LineChart(
            title: "sgemm throughput (\(run.core), \(run.threads) thread\(run.threads == 1 ? "" : "s"))",
            xLabel: "matrix side n", yLabel: "GFLOP/s",
            series: [
                ChartSeries(
                    name: "sgemm",
                    points: run.samples.map {
                        ChartPoint(x: Double($0.size), y: $0.gflops, hover: "n=\($0.size): \(NumberText.short($0.gflops)) GFLOP/s")
                    })
            ], logX: LineChart.prefersLogScale(run.samples.map { Double($0.size) }), yZero: true)
        context.display(chart.mimeBundle)
        let rows: [[TableCell]] = run.samples.map { [.int($0.size), .double($0.seconds * 1000), .double($0.gflops)] }
        return Table(
            title: "sgemm on OpenBLAS \(run.core), \(run.threads) thread\(run.threads == 1 ? "" : "s")",
            columns: ["n", "ms", "GFLOP/s"], rows: rows,
            footnote: "fastest of \(repeats) after a warm-up; stored as `\(name)`"
        ).mimeBundle
    }
}

/// A stored `%blas` measurement.
final class BLASRun: SessionObject {
    let core: String
    let threads: Int
    var samples: [GEMMBenchmark.Sample] = []

    init(core: String, threads: Int) {
        self.core = core
        self.threads = threads
    }

    var kind: String { "benchmark" }
    var languages: [String] { [] }
    var sizeDescription: String { "\(samples.count) size\(samples.count == 1 ? "" : "s")" }
}
