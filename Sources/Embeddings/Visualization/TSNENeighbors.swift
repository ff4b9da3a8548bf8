/// Exact k-nearest neighbours (squared Euclidean distance) of every row of a matrix among the
/// other rows, found with the blocked GEMM sweep of `Retrieval` (`TileSweep`) and its SIMD
/// top-k screen: row i ranks j by x_i·x_j − ½‖x_j‖², which orders j like −½‖x_i − x_j‖².
///
/// Shapes: `indices` and `squaredDistances` are N × k row-major, row i's neighbours in
/// increasing distance (ties: lower index first); i itself is never among them.
/// The distances of the chosen pairs are recomputed in Double from the vectors, so they do not
/// carry the cancellation error of the fp32 GEMM expansion.
struct TSNENeighbors: Sendable {
    /// Number of points (N).
    let count: Int
    /// Neighbours per point (k < N).
    let k: Int
    /// N·k neighbour indices.
    var indices: [Int32]
    /// N·k squared Euclidean distances (Double).
    var squaredDistances: [Double]

    /// Finds the k nearest neighbours of every row of `points` (N × d, k < N, finite).
    init(points: Matrix, k: Int) {
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
        let visitor = NeighborTileVisitor(count: n, width: width, halfNorms: halfNorms)
        points.storage.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            TileSweep(rowBlock: 256, columnBlock: 2048, threads: 1)
                .run(queries: base, queryCount: n, targets: base, targetCount: n, dimension: d, visitors: [visitor])
        }
        var indices = [Int32](repeating: 0, count: n * k)
        var distances = [Double](repeating: 0, count: n * k)
        var row = [(distance: Double, index: Int32)]()
        row.reserveCapacity(width)
        for i in 0..<n {
            row.removeAll(keepingCapacity: true)
            for slot in 0..<visitor.filled[i] {
                let j = Int(visitor.indices[i * width + slot])
                if j == i || j < 0 { continue }
                var s = 0.0
                for l in 0..<d {
                    let diff = Double(points.storage[i * d + l]) - Double(points.storage[j * d + l])
                    s += diff * diff
                }
                row.append((s, Int32(j)))
            }
            row.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }
            for slot in 0..<k {
                indices[i * k + slot] = row[slot].index
                distances[i * k + slot] = row[slot].distance
            }
        }
        self.indices = indices
        squaredDistances = distances
    }
}

/// Keeps, per query row, the `width` targets with the largest x_i·x_j − ½‖x_j‖², as a binary
/// min-heap per row (root = the current threshold), screened 8 candidates at a time with a SIMD
/// compare. A heap, not the sorted insertion of `TopKSelection`: rows of word vectors ordered
/// by frequency see their threshold rise through the whole sweep (rarer words have smaller
/// norms), and sorted insertion then costs O(k) per accepted candidate.
private final class NeighborTileVisitor: TileVisitor {
    let width: Int
    let halfNorms: [Float]
    var values: [Float]
    var indices: [Int32]
    var filled: [Int]

    init(count: Int, width: Int, halfNorms: [Float]) {
        self.width = width
        self.halfNorms = halfNorms
        values = [Float](repeating: -.infinity, count: count * width)
        indices = [Int32](repeating: -1, count: count * width)
        filled = [Int](repeating: 0, count: count)
    }

    func beginRowBlock(rowStart: Int, rowCount: Int) {}
    func endRowBlock(rowStart: Int, rowCount: Int) {}

    func visit(
        tile: UnsafeMutablePointer<Float>, rowStart: Int, rowCount: Int,
        columnStart: Int, columnCount: Int
    ) {
        let width = self.width
        halfNorms.withUnsafeBufferPointer { half in
            values.withUnsafeMutableBufferPointer { v in
                indices.withUnsafeMutableBufferPointer { ix in
                    filled.withUnsafeMutableBufferPointer { counts in
                        for r in 0..<rowCount {
                            let row = tile + r * columnCount
                            let i = rowStart + r
                            let heapValues = v.baseAddress! + i * width
                            let heapIndices = ix.baseAddress! + i * width
                            var size = counts[i]
                            var threshold: Float = size < width ? -.infinity : heapValues[0]
                            var j = 0
                            while j < columnCount {
                                let lanes = min(8, columnCount - j)
                                var any = false
                                if lanes == 8 {
                                    let scores =
                                        UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
                                        - UnsafeRawPointer(half.baseAddress! + columnStart + j).loadUnaligned(as: SIMD8<Float>.self)
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
                            counts[i] = size
                        }
                    }
                }
            }
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
