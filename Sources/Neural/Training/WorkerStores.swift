import XlingCore

/// The data-parallel half of a `Trainer` step: one `workerStore` per worker (kept for the whole
/// run, so its gradient buffers are allocated once), and the step that splits a batch over them.
///
/// Invariant: `stores` holds `count` stores with the trained store's parameters; between steps
/// their values are released (so the optimizer updates the trained store in place) and their
/// gradients are whatever the last step left (cleared at the start of the next).
public final class WorkerStores: @unchecked Sendable {
    /// The number of workers (≥ 2).
    public let count: Int
    /// Worker t's store; each worker touches only its own slot while a step runs.
    private let stores: UnsafeMutablePointer<ParameterStore>
    /// Worker t's thread CPU nanoseconds in the current step (`DataParallelProfile`).
    private let cpu: UnsafeMutablePointer<Int>

    /// `count` worker stores for `store`'s parameters.
    public init(_ store: ParameterStore, count: Int) {
        precondition(count >= 2, "data parallelism needs at least 2 workers")
        self.count = count
        stores = .allocate(capacity: count)
        cpu = .allocate(capacity: count)
        cpu.initialize(repeating: 0, count: count)
        var worker = store.workerStore()
        worker.releaseValues()
        stores.initialize(repeating: worker, count: count)
        for t in 1..<count { stores[t] = store.workerStore() }
        for t in 1..<count { stores[t].releaseValues() }
    }

    deinit {
        stores.deinitialize(count: count)
        stores.deallocate()
        cpu.deallocate()
    }

    /// One batch, data-parallel: shard t = the t-th of `shards(batch, workers:cost:)` (at most one
    /// worker per example), recorded by `shardLoss` on worker t's tape with `SplitMix64(seed: generator.next())`
    /// (drawn in worker order before any runs), back-propagated into worker t's store; then every
    /// worker's gradients are added into `store` (already zeroed) in worker order. Returns the batch
    /// loss, the sum of the shards' shares (in worker order). With `parameters`, the shards touch
    /// only those: the workers clear and the sum adds only their gradients.
    public func step(
        _ batch: [Int], _ shardLoss: @escaping @Sendable (inout Tape, [Int], [Int], inout SplitMix64) throws(NeuralError) -> Var,
        _ store: inout ParameterStore, _ generator: inout SplitMix64, cost: ((Int) -> Int)? = nil, parameters: [Parameter]? = nil
    ) throws(NeuralError) -> Double {
        let workers = min(count, batch.count)
        let shards = Self.shards(batch, workers: workers, cost: cost)
        let seeds = (0..<workers).map { _ in generator.next() }
        for t in 0..<workers { stores[t].shareValues(of: store) }
        let results = WorkerThreads.run(ranges: (0..<workers).map { $0..<$0 + 1 }, initial: ShardResult.none) { t, _ in
            let clock = DataParallelProfile.threadNanoseconds()
            defer { self.cpu[t] = DataParallelProfile.threadNanoseconds() - clock }
            if let parameters { self.stores[t].zeroGrad(parameters) } else { self.stores[t].zeroGrad() }
            var tape = Tape(self.stores[t])
            var shardGenerator = SplitMix64(seed: seeds[t])
            do throws(NeuralError) {
                let loss = try shardLoss(&tape, shards[t], batch, &shardGenerator)
                let value = Double(tape[loss].storage[0])
                tape.backward(from: loss, into: &self.stores[t])
                return .loss(value)
            } catch {
                tape.release()
                return .failed(error)
            }
        }
        for t in 0..<workers { stores[t].releaseValues() }
        DataParallelProfile.record(Array(UnsafeBufferPointer(start: cpu, count: workers)))
        var total = 0.0
        for (t, result) in results.enumerated() {
            switch result {
            case .loss(let value): total += value
            case .failed(let error): throw error
            case .none: preconditionFailure("worker \(t) did not run")
            }
        }
        sumGradients(into: &store, workers: workers, parameters: parameters ?? store.parameters)
        return total
    }

    /// store's gradients += every worker's, in worker order (`ParameterStore.addGradients`). Dense
    /// parameters of at least 2¹⁶ scalars are summed on the pool, each thread over a contiguous
    /// slice of elements; every element is still 0 + g₀ + g₁ + … in worker order, so the numbers
    /// are the serial sum's.
    private func sumGradients(into store: inout ParameterStore, workers: Int, parameters: [Parameter]) {
        let large = parameters.filter {
            !store.flags[$0.index].frozen && !store.flags[$0.index].sparseRows && store[$0].storage.count >= 1 << 16
        }
        let rest = parameters.filter { p in !large.contains(p) }
        for t in 0..<workers { store.addGradients(of: stores[t], only: rest) }
        for p in large {
            store.withGradient(p) { g in
                let n = g.storage.count
                g.storage.withUnsafeMutableBufferPointer { out in
                    let target = SendablePointer(base: out.baseAddress!)
                    _ = WorkerThreads.run(ranges: (0..<count).map { WorkerThreads.chunk($0, of: count, count: n) }, initial: 0) {
                        _, range in
                        for s in 0..<workers {
                            self.stores[s].gradients[p.index].storage.withUnsafeBufferPointer { src in
                                for k in range { target.base[k] += src[k] }
                            }
                        }
                        return 0
                    }
                }
            }
        }
    }

    /// A gradient buffer the pool's threads write in disjoint slices.
    private struct SendablePointer: @unchecked Sendable {
        let base: UnsafeMutablePointer<Float>
    }

    /// `batch` cut into `workers` consecutive non-empty shards: without `cost`, `WorkerThreads.chunk`'s
    /// equal counts; with it (an example's work, e.g. its tokens), shard t ends at the first example
    /// whose cumulative cost reaches (t+1)/workers of the batch's (each shard keeps at least one
    /// example and leaves one for each later shard).
    public static func shards(_ batch: [Int], workers: Int, cost: ((Int) -> Int)?) -> [[Int]] {
        guard let cost else { return (0..<workers).map { Array(batch[WorkerThreads.chunk($0, of: workers, count: batch.count)]) } }
        let costs = batch.map { max(1, cost($0)) }
        let total = costs.reduce(0, +)
        var shards: [[Int]] = [], start = 0, running = 0
        for t in 0..<workers - 1 {
            var end = start + 1
            running += costs[start]
            while end < batch.count - (workers - 1 - t), running * workers < (t + 1) * total {
                running += costs[end]
                end += 1
            }
            shards.append(Array(batch[start..<end]))
            start = end
        }
        shards.append(Array(batch[start...]))
        return shards
    }

    /// What one worker's shard gave.
    private enum ShardResult: Sendable {
        case none
        case loss(Double)
        case failed(NeuralError)
    }
}
