/// Filling a large fresh array is bound by page faults (a zeroed 4,000 × 4,000 fp32 matrix:
/// 16,384 first touches of 4 KiB pages, ≈ 30 ms on one thread), so arrays from `threshold` bytes
/// on are filled by as many worker threads as BLAS may use (`BLAS.threads`: the kernel sets it to
/// the session's `threads=`), each touching its own contiguous part. (Transparent huge
/// pages were tried: with the kernel's `defrag=madvise` the advice made the first touch wait
/// for compaction, 0.2 s, whenever an earlier process had fragmented memory.)
package enum LargeArray {
    /// Arrays from this many bytes on are filled in parallel.
    package static let threshold = 4 << 20

    /// `count` copies of `value`, as `[Float](repeating:count:)`, filled on `threads` workers.
    package static func floats(repeating value: Float, count: Int, threads: Int = BLAS.threads) -> [Float] {
        guard count * MemoryLayout<Float>.stride >= threshold else { return [Float](repeating: value, count: count) }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let fill = FillJob(base: buffer.baseAddress!)
            _ = WorkerThreads.run(threads: threads, count: count, initial: 0) { _, range in
                (fill.base + range.lowerBound).initialize(repeating: value, count: range.count)
                return 0
            }
            initialized = count
        }
    }
}

/// The array `LargeArray.floats` fills (unchecked: each worker initialises a disjoint range).
private struct FillJob: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}
