import Testing

@testable import Embeddings

#if canImport(Glibc)
import Glibc
#endif

/// Real vectors for the t-SNE tests: the first `rows` English fastText wiki vectors (300-d).
enum TSNEData {
    static func english(rows: Int) throws -> Matrix {
        let (space, _) = try Word2VecText.load(path: RealData.englishVec, max: rows)
        return space.vectors
    }

    /// A non-degenerate layout to differentiate at: `iterations` steps of t-SNE from PCA.
    static func layout(_ points: Matrix, perplexity: Double, iterations: Int) throws -> [Double] {
        var options = TSNEOptions()
        options.perplexity = perplexity
        options.iterations = iterations
        options.method = .exact
        // A fixed step: the automatic N / 12 of 80 points would leave the tiny PCA start where
        // it is after 40 iterations, with derivatives too small to difference.
        options.learningRate = 200
        let result = try TSNE(options: options).embed(points)
        return result.coordinates.storage.map(Double.init)
    }

    static func gradient(
        _ p: TSNEAffinities, _ y: [Double], method: TSNEMethod, theta: Double,
        exaggeration: Double = 1
    ) -> (g: [Double], kl: Double) {
        var engine = TSNEGradient(method: method, theta: theta)
        var g = [Double](repeating: 0, count: y.count)
        let kl = y.withUnsafeBufferPointer { py in
            g.withUnsafeMutableBufferPointer { pg in
                engine.evaluate(p, y: py.baseAddress!, exaggeration: exaggeration, into: pg.baseAddress!, evaluateKL: true)
            }
        }
        return (g, kl ?? .nan)
    }
}

@Suite("t-SNE affinities")
struct TSNEAffinitiesTests {
    @Test("kNN by GEMM blocks equals brute force on real vectors")
    func neighborsMatchBruteForce() throws {
        let x = try TSNEData.english(rows: 300)
        let knn = try #require(TSNENeighbors(points: x, k: 15))
        for i in stride(from: 0, to: 300, by: 7) {
            var all: [(Double, Int)] = []
            for j in 0..<300 where j != i {
                var s = 0.0
                for l in 0..<x.cols {
                    let d = Double(x[i, l]) - Double(x[j, l])
                    s += d * d
                }
                all.append((s, j))
            }
            all.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            let expected = all.prefix(15).map { $0.1 }
            let got = (0..<15).map { Int(knn.indices[i * 15 + $0]) }
            #expect(got == expected, "row \(i)")
            // Differences in Float, squares summed in Double: ~1e-7 relative, no cancellation of norms.
            #expect(abs(knn.squaredDistances[i * 15] - all[0].0) <= 1e-6 * max(1, all[0].0))
        }
    }

    @Test("P is symmetric, sums to 1, and each row's Gaussian has the requested perplexity")
    func jointProbabilities() throws {
        let x = try TSNEData.english(rows: 400)
        let p = TSNEAffinities(points: x, perplexity: 10)
        #expect(abs(p.values.reduce(0, +) - 1) < 1e-12)
        for i in stride(from: 0, to: 400, by: 13) {
            for (j, v) in p.row(i) {
                #expect(j != i)
                let back = p.row(j).first { $0.column == i }
                #expect(back != nil && abs(back!.value - v) < 1e-15)
            }
        }
        // The conditional rows: entropy log(10) within the search tolerance.
        let knn = try #require(TSNENeighbors(points: x, k: 30))
        var conditional = [Double](repeating: 0, count: 30)
        for i in [0, 57, 399] {
            let d = Array(knn.squaredDistances[(i * 30)..<(i * 30 + 30)])
            d.withUnsafeBufferPointer { dp in
                conditional.withUnsafeMutableBufferPointer { out in
                    TSNEAffinities.calibrateRow(
                        squaredDistances: dp.baseAddress!, count: 30, targetEntropy: log(10), into: out.baseAddress!)
                }
            }
            let entropy = -conditional.reduce(0.0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
            #expect(abs(entropy - log(10)) < 1e-4)
            #expect(abs(conditional.reduce(0, +) - 1) < 1e-12)
        }
    }
}

@Suite("t-SNE gradient")
struct TSNEGradientTests {
    @Test("exact gradient is ¼ of the finite-difference derivative of KL")
    func exactMatchesFiniteDifferences() throws {
        let x = try TSNEData.english(rows: 80)
        let p = TSNEAffinities(points: x, perplexity: 8)
        let y = try TSNEData.layout(x, perplexity: 8, iterations: 40)
        let (g, _) = TSNEData.gradient(p, y, method: .exact, theta: 0)
        let h = 1e-6
        var worst = 0.0, scale = 0.0
        for e in stride(from: 0, to: y.count, by: 5) {
            var plus = y, minus = y
            plus[e] += h
            minus[e] -= h
            let numeric =
                (TSNEData.gradient(p, plus, method: .exact, theta: 0).kl
                    - TSNEData.gradient(p, minus, method: .exact, theta: 0).kl) / (2 * h)
            worst = max(worst, abs(numeric - 4 * g[e]))
            scale = max(scale, abs(numeric))
        }
        #expect(scale > 1e-3)
        #expect(worst <= 1e-5 * scale, "max error \(worst) vs largest derivative \(scale)")
    }

    @Test("Barnes-Hut with θ = 0 is the exact gradient; θ = 0.5 stays close")
    func barnesHutApproachesExact() throws {
        let x = try TSNEData.english(rows: 600)
        let p = TSNEAffinities(points: x, perplexity: 20)
        let y = try TSNEData.layout(x, perplexity: 20, iterations: 300)
        let exact = TSNEData.gradient(p, y, method: .exact, theta: 0)
        let zero = TSNEData.gradient(p, y, method: .barnesHut, theta: 0)
        let half = TSNEData.gradient(p, y, method: .barnesHut, theta: 0.5)
        func relative(_ a: [Double], _ b: [Double]) -> Double {
            var num = 0.0, den = 0.0
            for e in 0..<a.count {
                num += (a[e] - b[e]) * (a[e] - b[e])
                den += b[e] * b[e]
            }
            return (num / den).squareRoot()
        }
        #expect(relative(zero.g, exact.g) < 1e-10)
        #expect(abs(zero.kl - exact.kl) < 1e-10)
        #expect(abs(half.kl - exact.kl) < 0.02 * exact.kl)
        // θ = 0.5 approximates the repulsion (the part Barnes-Hut changes) within a few %.
        var tree = QuadTree()
        var exactForce = [Double](repeating: 0, count: y.count), treeForce = exactForce
        let (zExact, zTree) = y.withUnsafeBufferPointer { py in
            let a = exactForce.withUnsafeMutableBufferPointer {
                TSNEExactRepulsion.compute(py.baseAddress!, count: 600, into: $0.baseAddress!)
            }
            tree.build(py.baseAddress!, count: 600)
            let b = treeForce.withUnsafeMutableBufferPointer { TSNEBarnesHutRepulsion.compute(tree, theta: 0.5, into: $0.baseAddress!) }
            return (a, b)
        }
        #expect(relative(treeForce, exactForce) < 0.03)
        #expect(abs(zTree - zExact) < 0.01 * zExact)
    }
}

@Suite("t-SNE optimisation")
struct TSNEOptimizationTests {
    @Test("KL decreases from the PCA start and through the unexaggerated phase")
    func klDecreases() throws {
        let x = try TSNEData.english(rows: 500)
        var options = TSNEOptions()
        options.iterations = 0
        let start = try TSNE(options: options).embed(x)
        options.iterations = 750
        let result = try TSNE(options: options).embed(x)
        #expect(result.method == .exact && result.completedIterations == 750 && !result.stopped)
        #expect(result.finalKL < 0.7 * start.finalKL)
        let late = result.klHistory.filter { $0.iteration >= 300 }
        #expect(late.count >= 9)
        for (a, b) in zip(late, late.dropFirst()) { #expect(b.kl <= a.kl + 1e-9, "KL rose at \(b.iteration)") }
        #expect(result.coordinates.rows == 500 && result.coordinates.cols == 2 && result.coordinates.isFinite)
    }

    @Test("same seed and input give bit-identical coordinates (Barnes-Hut and random init)")
    func deterministic() throws {
        let x = try TSNEData.english(rows: 756)
        var options = TSNEOptions()
        options.iterations = 300
        options.method = .barnesHut
        options.initialization = .random
        options.seed = 7
        let a = try TSNE(options: options).embed(x)
        let b = try TSNE(options: options).embed(x)
        #expect(a.coordinates == b.coordinates)
        #expect(a.finalKL == b.finalKL)
        options.seed = 8
        let c = try TSNE(options: options).embed(x)
        #expect(c.coordinates != a.coordinates)
    }

    @Test("the momentum schedule: the defaults are 0.5 / 0.8 with the step reset; openTSNE 1.0.4's differs")
    func momentumSchedule() throws {
        let x = try TSNEData.english(rows: 200)
        var options = TSNEOptions()
        options.perplexity = 10
        options.iterations = 60
        options.earlyExaggerationIterations = 30
        let defaults = try TSNE(options: options).embed(x)
        options.earlyMomentum = 0.5
        options.finalMomentum = 0.8
        options.resetsStepAfterExaggeration = true
        #expect(try TSNE(options: options).embed(x).coordinates == defaults.coordinates)
        options.resetsStepAfterExaggeration = false
        let kept = try TSNE(options: options).embed(x)
        #expect(kept.coordinates != defaults.coordinates)
        options.earlyMomentum = 0.8
        let openTSNE = try TSNE(options: options).embed(x)
        #expect(openTSNE.coordinates != kept.coordinates && openTSNE.coordinates.isFinite)
    }

    @Test("the progress callback sees phases and KL, and can stop with the partial result")
    func progressStops() throws {
        let x = try TSNEData.english(rows: 200)
        var options = TSNEOptions()
        options.perplexity = 10
        options.klEvery = 5
        var seen: [Progress] = []
        let result = try TSNE(options: options).embed(x) { report in
            seen.append(report)
            return .stopping(if: report.step >= 20)
        }
        #expect(result.stopped && result.completedIterations == 20)
        // The exact search's one chunk of 200 rows, then the affinities, then the iterations.
        #expect(seen.first?.phase == "nearest neighbours (exact)" && seen.first?.step == 1 && seen.first?.total == 1)
        #expect(seen.dropFirst().first?.phase == "affinities" && seen.dropFirst().first?.step == 0)
        #expect(seen.last?.phase == "early exaggeration")
        #expect(seen.compactMap(\.loss).count == 4)
        #expect(result.klHistory.map(\.iteration) == [5, 10, 15, 20])
        #expect(result.coordinates.isFinite)
    }
}

@Suite("t-SNE errors")
struct TSNEErrorTests {
    @Test("too few points for the perplexity names both and the fix")
    func tooFewPoints() throws {
        let x = try TSNEData.english(rows: 40)
        #expect(throws: TSNEError.tooFewPoints(count: 40, perplexity: 30)) { try TSNE().embed(x) }
        let message = TSNEError.tooFewPoints(count: 40, perplexity: 30).description
        #expect(message.contains("40") && message.contains("perplexity") && message.contains("at most 13"))
        var options = TSNEOptions()
        options.perplexity = 13
        #expect(try TSNE(options: options).embed(x).coordinates.rows == 40)
    }

    @Test("non-finite rows and bad options are refused with their name")
    func badInput() throws {
        var x = try TSNEData.english(rows: 100)
        x[42, 3] = .nan
        var options = TSNEOptions()
        options.perplexity = 5
        #expect(throws: TSNEError.nonFinite(row: 42)) { try TSNE(options: options).embed(x) }
        x[42, 3] = 0
        options.theta = -1
        #expect(throws: TSNEError.self) { try TSNE(options: options).embed(x) }
        options.theta = 0.5
        options.learningRate = 0
        do {
            _ = try TSNE(options: options).embed(x)
            Issue.record("learningRate 0 was accepted")
        } catch {
            #expect(error.description.contains("learningRate"))
        }
        options.learningRate = nil
        options.earlyMomentum = 1
        do {
            _ = try TSNE(options: options).embed(x)
            Issue.record("earlyMomentum 1 was accepted")
        } catch {
            #expect(error.description.contains("earlyMomentum"))
        }
        options.earlyMomentum = 0.5
        #expect(throws: TSNEError.noDimensions) { try TSNE(options: options).embed(Matrix(rows: 100, cols: 0)) }
    }
}
