// xling-bench: engine micro/macro benchmarks, one task per process, one JSON object per task
// on stdout. Driven by Tests/bench/engine_bench.py (which measures the Python anchors in the
// same run); see README.md in this folder for the tasks and the matrix file format.
import Embeddings

#if canImport(Glibc)
import Glibc
#endif

// MARK: - Small utilities (no Foundation: keeps the process lean, so VmHWM is the engine's)

/// A `/proc/self/status` field in KiB (VmHWM = peak RSS, VmRSS = current RSS), or -1.
func procStatusKiB(_ field: String) -> Int {
    guard let file = fopen("/proc/self/status", "r") else { return -1 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 512)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if text.hasPrefix(field + ":") {
            let digits = text.dropFirst(field.count + 1).filter { $0.isNumber }
            return Int(digits) ?? -1
        }
    }
    return -1
}

func fail(_ message: String) -> Never {
    let text = "xling-bench: \(message)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(2)
}

/// Minimal JSON object writer (keys in insertion order).
struct JSON {
    private var parts: [String] = []
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out +=
                        "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
    mutating func set(_ key: String, _ value: String) { parts.append("\(JSON.quote(key)): \(JSON.quote(value))") }
    mutating func set(_ key: String, _ value: Int) { parts.append("\(JSON.quote(key)): \(value)") }
    mutating func set(_ key: String, _ value: Bool) { parts.append("\(JSON.quote(key)): \(value)") }
    mutating func set(_ key: String, _ value: Double) {
        parts.append("\(JSON.quote(key)): \(value.isFinite ? "\(value)" : "null")")
    }
    mutating func set(_ key: String, _ values: [Double]) {
        parts.append("\(JSON.quote(key)): [\(values.map { $0.isFinite ? "\($0)" : "null" }.joined(separator: ", "))]")
    }
    var text: String { "{" + parts.joined(separator: ", ") + "}" }
}

/// Fields every task reports: the BLAS in use and memory.
func common(_ task: String) -> JSON {
    var json = JSON()
    json.set("task", task)
    json.set("blas_core", BLAS.coreName)
    json.set("blas_threads", BLAS.threads)
    json.set("openblas_coretype_env", getenv("OPENBLAS_CORETYPE").map { String(cString: $0) } ?? "")
    return json
}

func finish(_ json: inout JSON) {
    json.set("vm_hwm_kib", procStatusKiB("VmHWM"))
    json.set("vm_rss_kib", procStatusKiB("VmRSS"))
    print(json.text)
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

// MARK: - Raw matrix files
//
// Layout (little-endian): 8-byte magic "XLF32MAT", UInt64 rows, UInt64 cols, then rows*cols
// float32 values row-major. Written by engine_bench.py (`write_matrix`).

func readMatrix(_ path: String, maxRows: Int? = nil) -> Matrix {
    guard let file = fopen(path, "rb") else { fail("cannot open \(path)") }
    defer { fclose(file) }
    var header = [UInt8](repeating: 0, count: 24)
    guard fread(&header, 1, 24, file) == 24 else { fail("\(path): short header") }
    guard String(decoding: header[0..<8], as: UTF8.self) == "XLF32MAT" else { fail("\(path): bad magic") }
    func u64(_ at: Int) -> Int {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(header[at + i]) << (8 * UInt64(i)) }
        return Int(v)
    }
    let fileRows = u64(8), cols = u64(16)
    let rows = min(fileRows, maxRows ?? fileRows)
    var matrix = Matrix(rows: rows, cols: cols)
    let count = rows * cols
    let read = matrix.storage.withUnsafeMutableBufferPointer { buffer in
        fread(buffer.baseAddress, MemoryLayout<Float>.size, count, file)
    }
    guard read == count else { fail("\(path): expected \(count) floats, read \(read)") }
    return matrix
}

// MARK: - Arguments

struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    init(_ raw: ArraySlice<String>) {
        var it = raw.makeIterator()
        while let a = it.next() {
            if a.hasPrefix("--") {
                let key = String(a.dropFirst(2))
                if let eq = key.firstIndex(of: "=") {
                    options[String(key[..<eq])] = String(key[key.index(after: eq)...])
                } else {
                    options[key] = it.next() ?? ""
                }
            } else {
                positional.append(a)
            }
        }
    }
    func int(_ key: String, _ fallback: Int) -> Int { options[key].flatMap { Int($0) } ?? fallback }
    func double(_ key: String, _ fallback: Double) -> Double { options[key].flatMap { Double($0) } ?? fallback }
    func arg(_ i: Int, _ what: String) -> String {
        guard i < positional.count else { fail("missing \(what); see `xling-bench help`") }
        return positional[i]
    }
}

// MARK: - Tasks

/// `info`: the BLAS this process runs on.
func taskInfo() {
    var json = common("info")
    json.set("blas_config", BLAS.config)
    finish(&json)
}

/// `sgemm N [--repeats R]`: plain n×n·n×n sgemm rate (best of R after a warm-up), BLAS threads
/// as configured (OpenBLAS default = all cores).
func taskSGEMM(_ args: Arguments) {
    let n = Int(args.arg(0, "N")) ?? 2048
    let repeats = args.int("repeats", 5)
    guard let sample = GEMMBenchmark.measure(size: n, repeats: repeats, seed: 42) else { fail("sgemm stopped") }
    var json = common("sgemm")
    json.set("n", n)
    json.set("repeats", repeats)
    json.set("seconds", sample.seconds)
    json.set("gflops", sample.gflops)
    finish(&json)
}

/// `csls X Y [--k 10] [--queries Q] [--threads T] [--block-rows B] [--block-columns C]`:
/// CSLS statistics (r_T over all of Y for the queries, r_S over the queries for all of Y)
/// and the top-1 CSLS target of every query, as `csls_numpy_benchmark` does. With
/// `--queries Q` only the first Q rows of X are read and used as the source side (a bounded
/// demonstration at sizes where the full n×n pass would take minutes).
func taskCSLS(_ args: Arguments) {
    let k = args.int("k", 10)
    let queryLimit = args.options["queries"].flatMap { Int($0) }
    let hwmStart = procStatusKiB("VmHWM")
    let x = readMatrix(args.arg(0, "X file"), maxRows: queryLimit)
    let y = readMatrix(args.arg(1, "Y file"))
    let hwmLoaded = procStatusKiB("VmHWM")
    let defaults = NeighborSearch()
    let search = NeighborSearch(
        blockRows: args.int("block-rows", defaults.blockRows),
        blockColumns: args.int("block-columns", defaults.blockColumns),
        threads: args.options["threads"].flatMap { Int($0) })
    let t0 = MonotonicClock.seconds()
    let stats: CSLSStatistics
    do { stats = try CSLSStatistics.compute(source: x, target: y, k: k, using: search) } catch { fail("\(error)") }
    let t1 = MonotonicClock.seconds()
    let top1: NeighborSearch.Neighbors
    do {
        top1 = try search.search(source: x, target: y, k: 1, method: .csls(k: k), statistics: stats)
    } catch { fail("\(error)") }
    let t2 = MonotonicClock.seconds()
    var checksum = 0
    for i in 0..<min(100, top1.queryCount) { checksum += top1.indices[i] }
    // One GEMM sweep over S = X·Yᵀ costs 2·m·n·d flops. The statistics pass is that sweep; the
    // top-1 stage re-ranks the candidates it kept (plus a sweep over any uncertified rows),
    // so only the statistics pass has a meaningful GEMM rate.
    let passFlops = 2 * Double(x.rows) * Double(y.rows) * Double(x.cols)
    var json = common("csls")
    json.set("m", x.rows)
    json.set("n", y.rows)
    json.set("d", x.cols)
    json.set("k", k)
    json.set("threads", search.threads)
    json.set("block_rows", search.blockRows)
    json.set("block_columns", search.blockColumns)
    json.set("stats_seconds", t1 - t0)
    json.set("top1_seconds", t2 - t1)
    json.set("total_seconds", t2 - t0)
    json.set("stats_gemm_gflops", passFlops / (t1 - t0) / 1e9)
    json.set("checksum", checksum)
    json.set("r_t_mean", stats.rT.reduce(0.0) { $0 + Double($1) } / Double(max(1, stats.rT.count)))
    json.set("r_s_mean", stats.rS.reduce(0.0) { $0 + Double($1) } / Double(max(1, stats.rS.count)))
    json.set("matrix_bytes", (x.storage.count + y.storage.count) * MemoryLayout<Float>.size)
    json.set("vm_hwm_start_kib", hwmStart)
    json.set("vm_hwm_loaded_kib", hwmLoaded)
    finish(&json)
}

/// `procrustes X Y [--repeats R]`: `Procrustes.fit(x:y:)` (XᵀY, sgesdd, U·Vᵀ), one warm-up,
/// then R timed fits; median and min.
func taskProcrustes(_ args: Arguments) {
    let x = readMatrix(args.arg(0, "X file"))
    let y = readMatrix(args.arg(1, "Y file"))
    let repeats = max(1, args.int("repeats", 15))
    var checksum = 0.0
    do {
        _ = try Procrustes.fit(x: x, y: y)
        var times: [Double] = []
        for _ in 0..<repeats {
            let t0 = MonotonicClock.seconds()
            let map = try Procrustes.fit(x: x, y: y)
            times.append(MonotonicClock.seconds() - t0)
            checksum = Double(map.weights.storage[0])
        }
        var json = common("procrustes")
        json.set("n", x.rows)
        json.set("d", x.cols)
        json.set("repeats", repeats)
        json.set("median_seconds", median(times))
        json.set("min_seconds", times.min() ?? .nan)
        json.set("seconds", times)
        json.set("w00", checksum)
        finish(&json)
    } catch { fail("\(error)") }
}

/// `load-vec PATH`: `Word2VecText.load(path:)` of a word2vec/fastText text file, peak RSS.
func taskLoadVec(_ args: Arguments) {
    let path = args.arg(0, "PATH")
    let hwmStart = procStatusKiB("VmHWM")
    let t0 = MonotonicClock.seconds()
    let space: EmbeddingSpace
    let report: LoadReport
    do { (space, report) = try Word2VecText.load(path: path) } catch { fail("\(error)") }
    let t1 = MonotonicClock.seconds()
    var json = common("load-vec")
    json.set("seconds", t1 - t0)
    json.set("rows", report.rowsKept)
    json.set("dim", report.dimension)
    json.set("matrix_bytes", space.vectors.storage.count * MemoryLayout<Float>.size)
    json.set("first_word", space.vocabulary.words.first ?? "")
    json.set("v00", Double(space.vectors.storage.first ?? .nan))
    json.set("vm_hwm_start_kib", hwmStart)
    finish(&json)
}

let usage = """
    usage: xling-bench <task> [args]   (one JSON object per run on stdout)
      info
      sgemm N [--repeats R]
      csls X.f32 Y.f32 [--k 10] [--queries Q] [--threads T] [--block-rows B] [--block-columns C]
      procrustes X.f32 Y.f32 [--repeats R]
      load-vec PATH.vec
      cooccur [TEXT] [--threads T] [--min-count 3] [--window 10] [--memory BYTES] [--punctuation strip|keep]
      glove [--lines N] [--min-count 3] [--window 10] [--dim 40] [--iterations 10] [--x-max 30]
            [--threads-list 1,2] [--repeats 2] [--seed 1] [--bias-eta 0|1] [--schedule hogwild|stratified]
            [--dump DIR] [--crec PATH]
      cofactor [--lines N] [--min-count 3] [--window 10] [--pairs 20000] [--dim 40] [--iterations 50]
               [--threads 2] [--optimizer sgd|adaGrad] [--eta 0.025] [--seed 1]
               | --dump DIR [--objective clc-wa|clc+wa|clsim|none] [--factors contexts|words] [--balance 1|0] [--wc 1]
      llm GEN_SRC SPEC_SRC GEN_TGT (.f32|.vec[.gz]) [--k 10] [--delta 1e-3] [--method llm|linear] [--ridge 0]
          [--threads T] [--repeats 3] [--self-out K] [--dump DIR];  llm-glove --corpora A,B --out F.f32 [--words F.txt]
      tsne X.f32 [--rows N] [--perplexity 30] [--iterations 750] [--early-iterations 250] [--exaggeration 12]
           [--learning-rate auto] [--theta 0.5] [--method automatic|exact|barnesHut|fft] [--init pca|random]
           [--seed 1] [--kl-every 50] [--repeats 1] [--exact-kl 0|1] [--dump OUT.f32] [--threads 1]
           [--nodes 3] [--min-intervals 50] [--interval-width 1] [--knn automatic|exact|approximate] + tsne-knn forest options
      tsne-gradient Y.f32 P-PREFIX [--method fft|barnesHut|exact] [--threads 1] --out G.f64
      tsne-p X.f32 [--rows N] [--perplexity 30] [--threads 1] --out PREFIX
      worker-threads [--threads 2] [--runs 20000] [--work 2000]: µs per parallel step, persistent pool vs a thread per step
      tsne-knn X.f32 [--rows N] [--k 90] [--threads 1] [--exact 1] [--trees 1] [--cell-size 1024] [--probes 12] [--probe-share 0.25] [--rounds 1] [--sample Q]
      classifier [--model boe|mlp|perceptron] [--update-emb 1] [--epochs 50|10] [--hidden 300] [--batch 32] [--seed 0] [--repeats 3]
                 [--dump DIR [--steps 3] [--hidden 16] [--balanced 1] [--eta 0.003]]
      vecmap-init SRC.vec TGT.vec OUT.tsv [--vocab 4000]
      vecmap SRC.vec TGT.vec --test DICT [--seed 0] [--interval 50] [--cutoff 20000] [--iters N] [--init unsupervised|identical]
      muse SRC.vec TGT.vec --test DICT [--seed 0] [--epochs 5] [--epoch-size 32000] [--hidden 2048] [--refine 5]
      rcsls SRC.vec TGT.vec --dict TRAIN --test TEST [--iters 10] [--projection none|spectral|orthogonal]
      rcsls-dump DIR [--n 300] [--negatives 2000] [--seed 1];  bli-vec SRC.vec TGT.vec --test DICT
      mlm [--lines 4000] [--min-count 3] [--vocab 5000] [--dim 128] [--hidden 128] [--layers 1] [--batch 64] [--warmup 1]
          [--buckets 5] [--dump PATH]
    Matrix files: "XLF32MAT", UInt64 rows, UInt64 cols (little-endian), then float32 row-major.
    """

// The kernel set `xling` itself runs on (it re-execs the same way), so the tasks time the product's BLAS.
BLAS.reexecWithFastCoreIfNeeded(arguments: CommandLine.arguments)
let argv = CommandLine.arguments
guard argv.count >= 2 else {
    print(usage)
    exit(1)
}
let rest = Arguments(argv.dropFirst(2))
switch argv[1] {
case "info": taskInfo()
case "sgemm": taskSGEMM(rest)
case "csls": taskCSLS(rest)
case "procrustes": taskProcrustes(rest)
case "load-vec": taskLoadVec(rest)
case "cooccur": taskCooccur(rest)
case "glove": taskGloVe(rest)
case "cofactor": taskCofactor(rest)
case "llm": taskLLM(rest)
case "llm-glove": taskLLMGloVe(rest)
case "tsne": taskTSNE(rest)
case "tsne-gradient": taskTSNEGradient(rest)
case "tsne-knn": taskTSNEKnn(rest)
case "tsne-p": taskTSNEP(rest)
case "worker-threads": taskWorkerThreads(rest)
case "classifier": taskClassifier(rest)
case "vecmap-init": taskVecMapInit(rest)
case "vecmap": taskVecMap(rest)
case "muse": taskMUSE(rest)
case "rcsls": taskRCSLS(rest)
case "rcsls-dump": taskRCSLSDump(rest)
case "bli-vec": taskBLIVec(rest)
case "detector": taskDetector(rest)
case "mlm": taskMLM(rest)
case "help", "-h", "--help": print(usage)
default: fail("unknown task \(argv[1])\n\(usage)")
}
