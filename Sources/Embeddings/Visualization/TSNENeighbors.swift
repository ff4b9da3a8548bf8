/// Exact k-nearest neighbours (squared Euclidean distance) of every row of a matrix among the
/// other rows, found with the blocked GEMM sweep of `Retrieval` (`TileSweep`) and its SIMD
/// top-k screen: row i ranks j by x_i·x_j − ½‖x_j‖², which orders j like −½‖x_i − x_j‖².
///
/// Shapes: `indices` and `squaredDistances` are N × k row-major, row i's neighbours in
/// increasing distance (ties: lower index first); i itself is never among them.
/// The distances of the chosen pairs are recomputed from the vectors (`squaredDistance`:
/// differences in Float, squares summed in Double, ~1e-7 relative), so they do not carry the
/// cancellation error of the fp32 GEMM expansion.
struct TSNENeighbors: Sendable {
    /// Number of points (N).
    let count: Int
    /// Neighbours per point (k < N).
    let k: Int
    /// N·k neighbour indices.
    var indices: [Int32]
    /// N·k squared Euclidean distances (Double).
    var squaredDistances: [Double]

    /// N × k zeros, to be filled (`TSNENeighborForest`).
    init(count: Int, k: Int) {
        self.count = count
        self.k = k
        indices = [Int32](repeating: 0, count: count * k)
        squaredDistances = [Double](repeating: 0, count: count * k)
    }

    /// Finds the k nearest neighbours of every row of `points` (N × d, k < N, finite), the
    /// sweep's row blocks dealt to `threads` workers. Each row's candidates are screened in
    /// column order whichever worker takes its block, so the result does not depend on the
    /// thread count. The query rows are swept in chunks of `chunkRows`; between chunks
    /// `shouldStop(done, total)` is asked on the calling thread (chunks done, planned) and a
    /// true answer gives nil. Memory: N·(k + 1) heap slots + the sweep's per-thread tiles.
    init?(
        points: Matrix, k: Int, threads: Int = 1, chunkRows: Int = 4096,
        shouldStop: (_ done: Int, _ total: Int) -> Bool = { _, _ in false }
    ) {
        let n = points.rows, d = points.cols
        count = n
        self.k = k
        let width = k + 1 // the point itself is (almost always) its own best match
        var halfNorms = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var s: Float = 0
            for l in 0..<d {
                let v = points.storage[i * d + l]
                s += v * v
            }
            halfNorms[i] = s / 2
        }
        let heaps = NeighborHeaps(count: n, width: width, halfNorms: halfNorms)
        let workers = max(1, threads)
        let visitors = (0..<workers).map { _ in NeighborTileVisitor(heaps) }
        let chunk = max(1, chunkRows), chunks = (n + chunk - 1) / chunk
        let finished = points.storage.withUnsafeBufferPointer { p -> Bool in
            guard let base = p.baseAddress else { return true }
            for c in 0..<chunks {
                let first = c * chunk, rows = min(chunk, n - first)
                for visitor in visitors { visitor.rowOffset = first }
                TileSweep(rowBlock: 256, columnBlock: 2048, threads: workers)
                    .run(queries: base + first * d, queryCount: rows, targets: base, targetCount: n, dimension: d, visitors: visitors)
                if shouldStop(c + 1, chunks) { return false }
            }
            return true
        }
        guard finished else { return nil }
        var indices = [Int32](repeating: 0, count: n * k)
        var distances = [Double](repeating: 0, count: n * k)
        indices.withUnsafeMutableBufferPointer { ix in
            distances.withUnsafeMutableBufferPointer { dx in
                points.storage.withUnsafeBufferPointer { x in
                    let outIndices = SharedBuffer(ix.baseAddress!), outDistances = SharedBuffer(dx.baseAddress!)
                    let vectors = SharedBuffer(reading: x.baseAddress!)
                    _ = WorkerThreads.run(threads: workers, count: n, initial: 0) { _, range in
                        var row = [(distance: Double, index: Int32)]()
                        row.reserveCapacity(width)
                        for i in range {
                            row.removeAll(keepingCapacity: true)
                            for slot in 0..<heaps.filled[i] {
                                let j = Int(heaps.indices[i * width + slot])
                                if j == i || j < 0 { continue }
                                row.append((TSNENeighbors.squaredDistance(vectors.base + i * d, vectors.base + j * d, d), Int32(j)))
                            }
                            row.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }
                            for slot in 0..<k {
                                outIndices[i * k + slot] = row[slot].index
                                outDistances[i * k + slot] = row[slot].distance
                            }
                        }
                        return 0
                    }
                }
            }
        }
        self.indices = indices
        squaredDistances = distances
    }
}

/// The per-row candidate heaps of a kNN sweep, in raw storage shared by the workers' visitors
/// (each row belongs to one row block, so to one worker at a time).
private final class NeighborHeaps: @unchecked Sendable {
    let width: Int
    let count: Int
    let halfNorms: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>
    let indices: UnsafeMutablePointer<Int32>
    let filled: UnsafeMutablePointer<Int>

    init(count: Int, width: Int, halfNorms: [Float]) {
        self.width = width
        self.count = count
        self.halfNorms = .allocate(capacity: max(count, 1))
        self.halfNorms.initialize(from: halfNorms, count: count)
        values = .allocate(capacity: max(count * width, 1))
        values.initialize(repeating: -.infinity, count: count * width)
        indices = .allocate(capacity: max(count * width, 1))
        indices.initialize(repeating: -1, count: count * width)
        filled = .allocate(capacity: max(count, 1))
        filled.initialize(repeating: 0, count: count)
    }

    deinit {
        halfNorms.deallocate()
        values.deallocate()
        indices.deallocate()
        filled.deallocate()
    }
}

extension TSNENeighbors {
    /// ‖a − b‖² of two d-vectors: differences in Float (exact to half an ulp of the difference,
    /// no cancellation of the norms), squares summed in Double, 8 lanes at a time.
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Double {
        var sum = SIMD8<Double>.zero
        var l = 0
        while l + 8 <= d {
            let diff =
                UnsafeRawPointer(a + l).loadUnaligned(as: SIMD8<Float>.self)
                - UnsafeRawPointer(b + l).loadUnaligned(as: SIMD8<Float>.self)
            let wide = SIMD8<Double>(diff)
            sum += wide * wide
            l += 8
        }
        var s = sum.sum()
        while l < d {
            let diff = Double(a[l] - b[l])
            s += diff * diff
            l += 1
        }
        return s
    }
}

/// Keeps, per query row, the `width` targets with the largest x_i·x_j − ½‖x_j‖², as a binary
/// min-heap per row (root = the current threshold), screened 8 candidates at a time with a SIMD
/// compare. A heap, not the sorted insertion of `TopKSelection`: rows of word vectors ordered
/// by frequency see their threshold rise through the whole sweep (rarer words have smaller
/// norms), and sorted insertion then costs O(k) per accepted candidate.
private final class NeighborTileVisitor: TileVisitor {
    let heaps: NeighborHeaps
    /// The first query row of the chunk being swept (tile rows are relative to it).
    var rowOffset = 0

    init(_ heaps: NeighborHeaps) { self.heaps = heaps }

    func beginRowBlock(rowStart: Int, rowCount: Int) {}
    func endRowBlock(rowStart: Int, rowCount: Int) {}

    func visit(
        tile: UnsafeMutablePointer<Float>, rowStart: Int, rowCount: Int,
        columnStart: Int, columnCount: Int
    ) {
        let width = heaps.width
        let half = heaps.halfNorms
        for r in 0..<rowCount {
            let row = tile + r * columnCount
            let i = rowOffset + rowStart + r
            let heapValues = heaps.values + i * width
            let heapIndices = heaps.indices + i * width
            var size = heaps.filled[i]
            var threshold: Float = size < width ? -.infinity : heapValues[0]
            var j = 0
            while j < columnCount {
                let lanes = min(8, columnCount - j)
                var any = false
                if lanes == 8 {
                    let scores =
                        UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
                        - UnsafeRawPointer(half + columnStart + j).loadUnaligned(as: SIMD8<Float>.self)
                    any = (scores .> SIMD8<Float>(repeating: threshold)) != SIMDMask(repeating: false)
                } else {
                    any = true
                }
                if any {
                    for l in 0..<lanes {
                        let score = row[j + l] - half[columnStart + j + l]
                        guard score > threshold else { continue }
                        NeighborTileVisitor.push(
                            score, Int32(columnStart + j + l), values: heapValues,
                            indices: heapIndices, size: &size, capacity: width)
                        threshold = size < width ? -.infinity : heapValues[0]
                    }
                }
                j += lanes
            }
            heaps.filled[i] = size
        }
    }

    /// Adds (score, index) to a min-heap of `capacity`, replacing the root when full.
    @inline(__always)
    static func push(
        _ score: Float, _ index: Int32, values: UnsafeMutablePointer<Float>,
        indices: UnsafeMutablePointer<Int32>, size: inout Int, capacity: Int
    ) {
        if size < capacity {
            var c = size
            size += 1
            while c > 0 {
                let parent = (c - 1) / 2
                guard values[parent] > score else { break }
                values[c] = values[parent]
                indices[c] = indices[parent]
                c = parent
            }
            values[c] = score
            indices[c] = index
        } else {
            var c = 0
            while true {
                let left = 2 * c + 1
                guard left < size else { break }
                var child = left
                if left + 1 < size && values[left + 1] < values[left] { child = left + 1 }
                guard values[child] < score else { break }
                values[c] = values[child]
                indices[c] = indices[child]
                c = child
            }
            values[c] = score
            indices[c] = index
        }
    }
}
