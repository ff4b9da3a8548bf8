/// Approximate k-nearest neighbours (squared Euclidean distance) of every row of a matrix among
/// the other rows, by exact GEMM sweeps restricted to a few cells of a random partition.
///
/// Partition: a random-projection tree (the idea of Annoy's trees) splits a node of more than
/// `cellSize` points in two halves along the direction between two of its points drawn at
/// random (a − b), at the median projection, so the cells (leaves) hold cellSize/2 … cellSize
/// points. Each cell's points are then compared by one blocked GEMM sweep (`TileSweep`, the
/// exact search's kernel) with every point of the `probesUsed(cells:)` cells whose centroids are
/// nearest to it (its own included), and offered to per-point heaps. `trees` partitions
/// (each drawn from its own generator: seed, tree) add their candidates to the same heaps;
/// optional rounds of neighbour-of-neighbour refinement (NN-descent, Dong et al. 2011) then try
/// the near neighbours of each near neighbour and of each reverse neighbour.
///
/// Determinism: cells are swept in order; within a sweep every row's candidates arrive in
/// column order whichever worker takes its row block; a refinement round reads the previous
/// round's lists and writes only each point's own heap. The result depends on the seed and the
/// settings, not on `threads`.
///
/// Cost: trees · N · probes · cellSize · d multiply-adds by GEMM (about probes · cellSize / N
/// of the exact sweep), plus N · log(N / cellSize) · d per tree for the projections, plus
/// rounds · N · 2·fanout² · d for the refinement. Memory: N · k heap entries (twice during a
/// refinement round), N Int32 per tree, one cell's queries and targets gathered
/// ((1 + probes) · cellSize · d floats) and the sweep's per-thread tiles.
public struct TSNENeighborForest: Sendable, Equatable {
    /// Random partitions whose candidates are pooled (≥ 1).
    public var trees: Int = 1
    /// A cell (leaf) holds at most this many points (≥ 2).
    public var cellSize: Int = 1024
    /// Cells each point is compared with at least, its own included (≥ 1).
    public var probes: Int = 12
    /// The share of the cells each point is compared with when that is more than `probes`
    /// (0 … 1): with a fixed number of probes the share of the points searched — and the
    /// recall — falls as N grows (measured on floret vectors at 100,000 points: 12 of 128 cells
    /// 0.68, 24 cells 0.82; Tests/bench/README.md).
    public var probeShare: Double = 0.25
    /// Neighbour-of-neighbour rounds after the sweeps (≥ 0). One round lifted the recall at
    /// 100,000 floret points from 0.68 to 0.77 at 12 probes (Tests/bench/README.md).
    public var refinementRounds: Int = 1
    /// How many of the nearest neighbours (and reverse neighbours) of a point are expanded in a
    /// refinement round, and how many of each one's neighbours are tried (≥ 1).
    public var refinementFanout: Int = 12
    /// Lloyd (k-means) iterations that move the cells' centroids from the tree's leaves before
    /// the points are assigned to their nearest centroid (≥ 0).
    public var lloydIterations: Int = 2
    /// Seeds the partitions' directions.
    public var seed: UInt64 = 1

    /// The defaults above.
    public init() {}

    /// The k approximate nearest neighbours of every row of `points` (N × d, finite, k < N) on
    /// `threads` workers, or nil when `shouldStop` (asked between trees and rounds, on the calling
    /// thread, with the steps done and planned) answers true.
    func neighbors(
        points: Matrix, k: Int, threads: Int = 1, shouldStop: (_ done: Int, _ total: Int) -> Bool = { _, _ in false }
    ) -> TSNENeighbors? {
        let n = points.rows, d = points.cols
        let workers = max(1, threads)
        let heaps = CandidateHeaps(count: n, width: k)
        let total = trees + refinementRounds
        return points.storage.withUnsafeBufferPointer { storage -> TSNENeighbors? in
            let x = SharedBuffer(reading: storage.baseAddress!)
            var halfNorms = [Float](repeating: 0, count: n)
            for i in 0..<n { halfNorms[i] = SIMDDot.dot(x.base + i * d, x.base + i * d, d) / 2 }
            for tree in 0..<trees {
                let encoded = buildTree(x, count: n, dimension: d, tree: tree)
                let leaves = TSNENeighborForest.leafRanges(encoded)
                sweepCells(encoded, count: n, leaves: leaves, x: x, dimension: d, halfNorms: halfNorms, heaps: heaps, threads: workers)
                if shouldStop(tree + 1, total) { return nil }
            }
            for round in 0..<refinementRounds {
                refine(x, dimension: d, heaps: heaps, threads: workers)
                if shouldStop(trees + round + 1, total) { return nil }
            }
            return heaps.finish(x, dimension: d, threads: workers)
        }
    }

    /// The N × k neighbour indices of `points` by this forest (rows as in `neighbors`), for the
    /// recall measurements.
    public func approximateIndices(_ points: Matrix, k: Int, threads: Int = 1) -> [Int32] {
        neighbors(points: points, k: k, threads: threads)?.indices ?? []
    }

    /// The N × k exact neighbour indices (`TSNENeighbors`), the yardstick of the recall.
    public static func exactIndices(_ points: Matrix, k: Int, threads: Int = 1) -> [Int32] {
        TSNENeighbors(points: points, k: k, threads: threads)?.indices ?? []
    }

    /// The exact k nearest neighbours (squared Euclidean, ties by index) of the listed rows among
    /// all rows of `points`, by direct distances: rows.count × k indices, row by row. The
    /// yardstick of a sampled recall when the full exact search is too slow to repeat.
    public static func exactIndices(of rows: [Int], in points: Matrix, k: Int, threads: Int = 1) -> [Int32] {
        let n = points.rows, d = points.cols, q = rows.count
        guard k < n else { return [] }
        var out = [Int32](repeating: -1, count: q * k)
        points.storage.withUnsafeBufferPointer { storage in
            out.withUnsafeMutableBufferPointer { o in
                let x = SharedBuffer(reading: storage.baseAddress!), target = SharedBuffer(o.baseAddress!)
                _ = WorkerThreads.run(threads: max(1, threads), count: q, initial: 0) { _, range in
                    // The k best so far, sorted ascending; j ascends, so a tie keeps the lower index.
                    var best: [(Float, Int32)] = []
                    best.reserveCapacity(k + 1)
                    for r in range {
                        let i = rows[r]
                        best.removeAll(keepingCapacity: true)
                        for j in 0..<n where j != i {
                            let distance = TSNENeighborForest.squaredDistance(x.base + i * d, x.base + j * d, d)
                            if best.count == k, !(distance < best[k - 1].0) { continue }
                            var at = best.count
                            while at > 0 && best[at - 1].0 > distance { at -= 1 }
                            best.insert((distance, Int32(j)), at: at)
                            if best.count > k { best.removeLast() }
                        }
                        for s in 0..<k { target[r * k + s] = best[s].1 }
                    }
                    return 0
                }
            }
        }
        return out
    }

    /// Recall of `approximate` against `exact` (both N × k): the fraction of the exact
    /// neighbour pairs (i, j) that the approximate lists hold, and the worst row's fraction.
    public static func recall(approximate: [Int32], exact: [Int32], k: Int) -> (mean: Double, worst: Double) {
        let n = exact.count / max(k, 1)
        guard n > 0, approximate.count == exact.count else { return (0, 0) }
        var hits = 0, worst = k
        for i in 0..<n {
            let found = Set(approximate[(i * k)..<((i + 1) * k)])
            let row = exact[(i * k)..<((i + 1) * k)].reduce(0) { $0 + (found.contains($1) ? 1 : 0) }
            hits += row
            worst = min(worst, row)
        }
        return (Double(hits) / Double(n * k), Double(worst) / Double(k))
    }

    /// One tree as the permutation of 0 ..< N whose leaves are consecutive runs, followed by a
    /// −1 and the leaf sizes (decoded by `leafRanges`).
    private func buildTree(_ x: SharedBuffer<Float>, count n: Int, dimension d: Int, tree: Int) -> [Int32] {
        var order = (0..<n).map { Int32($0) }
        var leafSizes: [Int32] = []
        var random = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(tree + 1))
        var normal = [Float](repeating: 0, count: d)
        var side = [Float](repeating: 0, count: n)
        // Depth-first, left before right, so the leaves come out in order along `order`.
        var stack: [Range<Int>] = [0..<n]
        order.withUnsafeMutableBufferPointer { o in
            normal.withUnsafeMutableBufferPointer { w in
                side.withUnsafeMutableBufferPointer { s in
                    while let node = stack.popLast() {
                        if node.count <= cellSize {
                            leafSizes.append(Int32(node.count))
                            continue
                        }
                        let a = Int(o[node.lowerBound + Int(random.next() % UInt64(node.count))])
                        var b = Int(o[node.lowerBound + Int(random.next() % UInt64(node.count - 1))])
                        if b == a { b = Int(o[node.upperBound - 1]) }
                        for l in 0..<d {
                            let va = x[a * d + l], vb = x[b * d + l]
                            w[l] = va - vb
                        }
                        for e in node {
                            s[e] = SIMDDot.dot(x.base + Int(o[e]) * d, w.baseAddress!, d)
                        }
                        // Split at the median projection (ties by index), so both halves are
                        // balanced whatever the norms' spread.
                        var members = Array(node).map { (s[$0], o[$0]) }
                        members.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
                        for (e, member) in zip(node, members) { o[e] = member.1 }
                        let middle = node.lowerBound + node.count / 2
                        stack.append(middle..<node.upperBound)
                        stack.append(node.lowerBound..<middle)
                    }
                }
            }
        }
        return order + [-1] + leafSizes
    }

    /// The leaves of an encoded tree as ranges of its order array.
    static func leafRanges(_ order: [Int32]) -> [Range<Int>] {
        guard let marker = order.firstIndex(of: -1) else { return [] }
        var ranges: [Range<Int>] = []
        var start = 0
        for size in order[(marker + 1)...] {
            ranges.append(start..<(start + Int(size)))
            start += Int(size)
        }
        return ranges
    }

    /// Every point against the points of the `probesUsed(cells:)` cells whose centroids are nearest to it:
    /// for every cell in order, one GEMM sweep of the points probing it (gathered, in index
    /// order) against its points; each distance offered to the query point's heap.
    private func sweepCells(
        _ tree: [Int32], count n: Int, leaves: [Range<Int>], x: SharedBuffer<Float>, dimension d: Int, halfNorms: [Float],
        heaps: CandidateHeaps, threads: Int
    ) {
        let cells = leaves.count
        var centroids = [Float](repeating: 0, count: cells * d)
        for (c, leaf) in leaves.enumerated() {
            for e in leaf {
                let i = Int(tree[e])
                for l in 0..<d { centroids[c * d + l] += x[i * d + l] }
            }
            let scale = 1 / Float(max(leaf.count, 1))
            for l in 0..<d { centroids[c * d + l] *= scale }
        }
        let probes = probesUsed(cells: cells)
        // Up to 4 × probes nearest cells are kept per point: enough to reach k + 1 candidates
        // when the nearest cells are small.
        let probeCount = min(max(1, 4 * probes), cells)
        var probeList = [Int32](repeating: 0, count: n * probeCount)
        var members = leaves.map { Array(tree[$0]) }
        for pass in 0...lloydIterations {
            // Each point's `probeCount` nearest centroids (ties: lower cell); the first is its cell.
            let wanted = pass == lloydIterations ? probeCount : 1
            centroids.withUnsafeBufferPointer { cp in
                probeList.withUnsafeMutableBufferPointer { pl in
                    let centres = SharedBuffer(reading: cp.baseAddress!), out = SharedBuffer(pl.baseAddress!)
                    _ = WorkerThreads.run(threads: threads, count: n, initial: 0) { _, range in
                        var order: [(Float, Int32)] = []
                        order.reserveCapacity(cells)
                        for i in range {
                            order.removeAll(keepingCapacity: true)
                            for c in 0..<cells {
                                order.append((TSNENeighborForest.squaredDistance(x.base + i * d, centres.base + c * d, d), Int32(c)))
                            }
                            order.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                            for s in 0..<wanted { out[i * probeCount + s] = order[s].1 }
                        }
                        return 0
                    }
                }
            }
            members = [[Int32]](repeating: [], count: cells)
            for i in 0..<n { members[Int(probeList[i * probeCount])].append(Int32(i)) }
            if pass == lloydIterations { break }
            // Lloyd step: every centroid moves to the mean of its members (an empty cell stays).
            for (c, cell) in members.enumerated() where !cell.isEmpty {
                var sum = [Double](repeating: 0, count: d)
                for i in cell {
                    for l in 0..<d { sum[l] += Double(x[Int(i) * d + l]) }
                }
                for l in 0..<d { centroids[c * d + l] = Float(sum[l] / Double(cell.count)) }
            }
        }
        // Per cell, the points probing it, in index order: a point probes its nearest `probes`
        // cells, and further ones (up to 4 × probes) until they hold more than k points.
        var probing = [[Int32]](repeating: [], count: cells)
        for i in 0..<n {
            var seen = 0
            for s in 0..<probeCount {
                if s >= probes && seen > heaps.width { break }
                let c = Int(probeList[i * probeCount + s])
                probing[c].append(Int32(i))
                seen += members[c].count
            }
        }
        let visitors = (0..<max(1, threads)).map { _ in CellVisitor(heaps) }
        var queries: [Float] = [], targets: [Float] = []
        for (c, cell) in members.enumerated() where !probing[c].isEmpty && !cell.isEmpty {
            let queryIndex = probing[c], targetIndex = cell
            queries.removeAll(keepingCapacity: true)
            for i in queryIndex { queries.append(contentsOf: UnsafeBufferPointer(start: x.base + Int(i) * d, count: d)) }
            targets.removeAll(keepingCapacity: true)
            for j in targetIndex { targets.append(contentsOf: UnsafeBufferPointer(start: x.base + Int(j) * d, count: d)) }
            let targetHalf = targetIndex.map { halfNorms[Int($0)] }
            let queryHalf = queryIndex.map { halfNorms[Int($0)] }
            for visitor in visitors {
                visitor.queries = queryIndex
                visitor.queryHalfNorms = queryHalf
                visitor.targets = targetIndex
                visitor.targetHalfNorms = targetHalf
            }
            queries.withUnsafeBufferPointer { q in
                targets.withUnsafeBufferPointer { t in
                    TileSweep(rowBlock: 256, columnBlock: 2048, threads: threads)
                        .run(
                            queries: q.baseAddress!, queryCount: queryIndex.count, targets: t.baseAddress!,
                            targetCount: targetIndex.count, dimension: d, visitors: visitors)
                }
            }
        }
    }

    /// The cells each point is compared with (its own included) in a partition of `cells` cells:
    /// `probes`, or ⌈probeShare · cells⌉ when that is more.
    public func probesUsed(cells: Int) -> Int {
        max(probes, Int((probeShare * Double(cells)).rounded(.up)))
    }

    /// One neighbour-of-neighbour round: point i tries the first `refinementFanout` neighbours
    /// of each of its first `refinementFanout` neighbours and reverse neighbours (from a snapshot
    /// of the lists), writing only its own heap.
    private func refine(_ x: SharedBuffer<Float>, dimension d: Int, heaps: CandidateHeaps, threads: Int) {
        let n = heaps.count, k = heaps.width, fan = min(refinementFanout, k)
        let snapshot = heaps.sortedSnapshot(threads: threads)
        // Reverse lists: j → the first `fan` points (in index order) that hold j among their
        // first `fan` neighbours.
        var reverse = [Int32](repeating: -1, count: n * fan)
        var reverseCount = [Int](repeating: 0, count: n)
        for i in 0..<n {
            for s in 0..<fan {
                let j = Int(snapshot[i * k + s])
                if j < 0 || reverseCount[j] >= fan { continue }
                reverse[j * fan + reverseCount[j]] = Int32(i)
                reverseCount[j] += 1
            }
        }
        snapshot.withUnsafeBufferPointer { sn in
            reverse.withUnsafeBufferPointer { rv in
                let lists = SharedBuffer(reading: sn.baseAddress!), back = SharedBuffer(reading: rv.baseAddress!)
                _ = WorkerThreads.run(threads: threads, count: n, initial: 0) { _, range in
                    for i in range {
                        for source in 0..<(2 * fan) {
                            let j = source < fan ? Int(lists[i * k + source]) : Int(back[i * fan + source - fan])
                            if j < 0 { continue }
                            for s in 0..<fan {
                                let l = Int(lists[j * k + s])
                                if l < 0 || l == i { continue }
                                let distance = TSNENeighborForest.squaredDistance(x.base + i * d, x.base + l * d, d)
                                heaps.offer(distance, Int32(l), to: i)
                            }
                        }
                    }
                    return 0
                }
            }
        }
    }

    /// ‖a − b‖² in Float (differences first, no cancellation of the norms), 8 lanes at a time:
    /// the screening distance; the chosen pairs are recomputed in Double at the end.
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Float {
        var sum = SIMD8<Float>.zero
        var l = 0
        while l + 8 <= d {
            let diff =
                UnsafeRawPointer(a + l).loadUnaligned(as: SIMD8<Float>.self)
                - UnsafeRawPointer(b + l).loadUnaligned(as: SIMD8<Float>.self)
            sum += diff * diff
            l += 8
        }
        var s = sum.sum()
        while l < d {
            let diff = a[l] - b[l]
            s += diff * diff
            l += 1
        }
        return s
    }
}

/// Offers the tiles of one cell's sweep to the heaps: tile entry (r, c) is x_q·x_t, so
/// ‖x_q − x_t‖² = 2(½‖x_q‖² + ½‖x_t‖² − x_q·x_t) (fp32, for screening only).
private final class CellVisitor: TileVisitor {
    let heaps: CandidateHeaps
    var queries: [Int32] = []
    var queryHalfNorms: [Float] = []
    var targets: [Int32] = []
    var targetHalfNorms: [Float] = []

    init(_ heaps: CandidateHeaps) { self.heaps = heaps }

    func beginRowBlock(rowStart: Int, rowCount: Int) {}
    func endRowBlock(rowStart: Int, rowCount: Int) {}

    func visit(
        tile: UnsafeMutablePointer<Float>, rowStart: Int, rowCount: Int,
        columnStart: Int, columnCount: Int
    ) {
        targetHalfNorms.withUnsafeBufferPointer { th in
            let half = th.baseAddress! + columnStart
            for r in 0..<rowCount {
                let i = Int(queries[rowStart + r])
                let queryHalf = queryHalfNorms[rowStart + r]
                let row = tile + r * columnCount
                // distance < threshold ⇔ x_q·x_t − ½‖x_t‖² > ½‖x_q‖² − threshold / 2: eight
                // columns screened at once against the heap's current root.
                var floor = queryHalf - heaps.threshold(of: i) / 2
                var c = 0
                while c < columnCount {
                    let lanes = min(8, columnCount - c)
                    if lanes == 8 {
                        let scores =
                            UnsafeRawPointer(row + c).loadUnaligned(as: SIMD8<Float>.self)
                            - UnsafeRawPointer(half + c).loadUnaligned(as: SIMD8<Float>.self)
                        if (scores .> SIMD8<Float>(repeating: floor)) == SIMDMask(repeating: false) {
                            c += 8
                            continue
                        }
                    }
                    for l in 0..<lanes {
                        let j = targets[columnStart + c + l]
                        guard Int(j) != i, row[c + l] - half[c + l] > floor else { continue }
                        let distance = 2 * (queryHalf + half[c + l] - row[c + l])
                        heaps.offer(max(distance, 0), j, to: i)
                        floor = queryHalf - heaps.threshold(of: i) / 2
                    }
                    c += lanes
                }
            }
        }
    }
}

/// Per point, a max-heap of the `width` smallest squared distances offered so far (root = the
/// current threshold), without repeats, in raw storage written by one worker per point at a time.
private final class CandidateHeaps: @unchecked Sendable {
    let count: Int
    let width: Int
    let distances: UnsafeMutablePointer<Float>
    let indices: UnsafeMutablePointer<Int32>
    let filled: UnsafeMutablePointer<Int32>

    init(count: Int, width: Int) {
        self.count = count
        self.width = width
        distances = .allocate(capacity: max(count * width, 1))
        distances.initialize(repeating: .infinity, count: count * width)
        indices = .allocate(capacity: max(count * width, 1))
        indices.initialize(repeating: -1, count: count * width)
        filled = .allocate(capacity: max(count, 1))
        filled.initialize(repeating: 0, count: count)
    }

    deinit {
        distances.deallocate()
        indices.deallocate()
        filled.deallocate()
    }

    /// The distance a candidate must beat to enter point i's heap (+∞ while it is not full).
    @inline(__always)
    func threshold(of i: Int) -> Float {
        Int(filled[i]) < width ? .infinity : distances[i * width]
    }

    /// Offers j at `distance` to point i's heap: kept when the heap is not full or it beats the
    /// root, unless j is already there.
    @inline(__always)
    func offer(_ distance: Float, _ j: Int32, to i: Int) {
        let values = distances + i * width, ids = indices + i * width
        let size = Int(filled[i])
        if size == width && !(distance < values[0]) { return }
        for s in 0..<size where ids[s] == j { return }
        if size < width {
            var c = size
            while c > 0 {
                let parent = (c - 1) / 2
                guard values[parent] < distance else { break }
                values[c] = values[parent]
                ids[c] = ids[parent]
                c = parent
            }
            values[c] = distance
            ids[c] = j
            filled[i] = Int32(size + 1)
        } else {
            var c = 0
            while true {
                let left = 2 * c + 1
                guard left < size else { break }
                var child = left
                if left + 1 < size && values[left + 1] > values[left] { child = left + 1 }
                guard values[child] > distance else { break }
                values[c] = values[child]
                ids[c] = ids[child]
                c = child
            }
            values[c] = distance
            ids[c] = j
        }
    }

    /// Every point's list sorted by (distance, index), N × width (−1 pads a short list).
    func sortedSnapshot(threads: Int) -> [Int32] {
        var out = [Int32](repeating: -1, count: count * width)
        out.withUnsafeMutableBufferPointer { o in
            let target = SharedBuffer(o.baseAddress!)
            _ = WorkerThreads.run(threads: threads, count: count, initial: 0) { [self] _, range in
                var row: [(Float, Int32)] = []
                for i in range {
                    row.removeAll(keepingCapacity: true)
                    for s in 0..<Int(filled[i]) { row.append((distances[i * width + s], indices[i * width + s])) }
                    row.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                    for (s, entry) in row.enumerated() { target[i * width + s] = entry.1 }
                }
                return 0
            }
        }
        return out
    }

    /// The final lists, rows sorted by (distance, index). The distances are the sweep's fp32
    /// expansion 2(½‖x_i‖² + ½‖x_j‖² − x_i·x_j) (relative error ~1e-6 of ‖x‖² on word vectors,
    /// far below what the perplexity calibration resolves); recomputing them pair by pair would
    /// cost N·k random row reads, the slowest step at 100k points. A list still short of `width` (only when N is tiny) is
    /// padded by the nearest points not yet in it, found by scanning all points.
    func finish(_ x: SharedBuffer<Float>, dimension d: Int, threads: Int) -> TSNENeighbors {
        let k = width
        var result = TSNENeighbors(count: count, k: k)
        result.indices.withUnsafeMutableBufferPointer { ix in
            result.squaredDistances.withUnsafeMutableBufferPointer { dx in
                let outIndices = SharedBuffer(ix.baseAddress!), outDistances = SharedBuffer(dx.baseAddress!)
                _ = WorkerThreads.run(threads: threads, count: count, initial: 0) { [self] _, range in
                    var row: [(distance: Double, index: Int32)] = []
                    for i in range {
                        row.removeAll(keepingCapacity: true)
                        for s in 0..<Int(filled[i]) { row.append((Double(distances[i * k + s]), indices[i * k + s])) }
                        if row.count < k {
                            let present = Set(row.map(\.index))
                            var rest: [(distance: Double, index: Int32)] = []
                            for j in 0..<count where j != i && !present.contains(Int32(j)) {
                                rest.append((TSNENeighbors.squaredDistance(x.base + i * d, x.base + j * d, d), Int32(j)))
                            }
                            rest.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }
                            row.append(contentsOf: rest.prefix(k - row.count))
                        }
                        row.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }
                        for s in 0..<k {
                            outIndices[i * k + s] = row[s].index
                            outDistances[i * k + s] = row[s].distance
                        }
                    }
                    return 0
                }
            }
        }
        return result
    }
}
