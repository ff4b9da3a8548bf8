/// A point-region quadtree over 2-d points in flat arrays (no object per node), rebuilt every
/// t-SNE iteration and reused across rebuilds without reallocating.
///
/// Layout: `nodes[0]` is the root, a square cell around all points; a cell with more than
/// `leafCapacity` points (and depth < `maxDepth`) is split into its non-empty quadrants, which
/// are stored contiguously at `firstChild ..< firstChild + childCount`. Every node covers the
/// contiguous range `start ..< end` of `order` (the permuted point indices); `sortedX/sortedY`
/// hold the coordinates in that order, so a leaf's points are adjacent in memory. Identical
/// points stay together in one leaf at `maxDepth`.
struct QuadTree: Sendable {
    /// One cell: centre of mass, squared side length, point count and its ranges.
    struct Node: Sendable {
        var centerX: Double
        var centerY: Double
        var widthSquared: Double
        var count: Double
        var firstChild: Int32 // −1 for a leaf
        var childCount: Int32
        var start: Int32
        var end: Int32
    }

    /// Points per leaf before a split.
    static let leafCapacity = 16
    /// Cells are not split below this depth (guards identical points).
    static let maxDepth = 40

    private(set) var nodes: [Node] = []
    /// Point indices in tree order.
    private(set) var order: [Int32] = []
    /// position[i] = where point i sits in `order`.
    private(set) var position: [Int32] = []
    /// x of `order[p]` at p.
    private(set) var sortedX: [Double] = []
    /// y of `order[p]` at p.
    private(set) var sortedY: [Double] = []
    private var scratch: [Int32] = []

    /// Bytes held by the nodes and the per-point arrays.
    var bytes: Int { nodes.count * MemoryLayout<Node>.stride + 12 * order.count + 16 * sortedX.count }

    /// Rebuilds the tree over `count` points with coordinates `y[2i], y[2i+1]`.
    mutating func build(_ y: UnsafePointer<Double>, count n: Int) {
        nodes.removeAll(keepingCapacity: true)
        if order.count != n {
            order = [Int32](repeating: 0, count: n)
            position = [Int32](repeating: 0, count: n)
            sortedX = [Double](repeating: 0, count: n)
            sortedY = [Double](repeating: 0, count: n)
            scratch = [Int32](repeating: 0, count: n)
        }
        guard n > 0 else { return }
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        for i in 0..<n {
            order[i] = Int32(i)
            minX = min(minX, y[2 * i])
            maxX = max(maxX, y[2 * i])
            minY = min(minY, y[2 * i + 1])
            maxY = max(maxY, y[2 * i + 1])
        }
        let half = max(maxX - minX, maxY - minY) / 2 * (1 + 1e-9) + 1e-300
        nodes.append(
            Node(
                centerX: 0, centerY: 0, widthSquared: 0, count: 0, firstChild: -1, childCount: 0,
                start: 0, end: Int32(n)))
        // Moved out while `split` appends to `nodes` (no copy: the arrays stay uniquely owned).
        var ordered = order, temporary = scratch
        order = []
        scratch = []
        ordered.withUnsafeMutableBufferPointer { ord in
            temporary.withUnsafeMutableBufferPointer { tmp in
                split(
                    node: 0, boxX: (minX + maxX) / 2, boxY: (minY + maxY) / 2, half: half, depth: 0,
                    y: y, order: ord.baseAddress!, scratch: tmp.baseAddress!)
            }
        }
        order = ordered
        scratch = temporary
        for p in 0..<n {
            let i = Int(order[p])
            position[i] = Int32(p)
            sortedX[p] = y[2 * i]
            sortedY[p] = y[2 * i + 1]
        }
    }

    /// Fills node `index` (range already set) and splits it recursively.
    private mutating func split(
        node index: Int, boxX: Double, boxY: Double, half: Double, depth: Int,
        y: UnsafePointer<Double>, order: UnsafeMutablePointer<Int32>,
        scratch: UnsafeMutablePointer<Int32>
    ) {
        let start = Int(nodes[index].start), end = Int(nodes[index].end)
        var sx = 0.0, sy = 0.0
        for p in start..<end {
            let i = Int(order[p])
            sx += y[2 * i]
            sy += y[2 * i + 1]
        }
        let count = end - start
        nodes[index].centerX = sx / Double(count)
        nodes[index].centerY = sy / Double(count)
        nodes[index].count = Double(count)
        nodes[index].widthSquared = 4 * half * half
        guard count > QuadTree.leafCapacity, depth < QuadTree.maxDepth else { return }
        // Quadrant q = (x ≥ boxX) + 2·(y ≥ boxY); stable counting sort of the range.
        var sizes = SIMD4<Int>(repeating: 0)
        for p in start..<end {
            let i = Int(order[p])
            sizes[(y[2 * i] >= boxX ? 1 : 0) + (y[2 * i + 1] >= boxY ? 2 : 0)] += 1
        }
        let firsts = SIMD4<Int>(
            start, start + sizes[0], start + sizes[0] + sizes[1],
            start + sizes[0] + sizes[1] + sizes[2])
        var offsets = firsts
        for p in start..<end {
            let i = Int(order[p])
            let q = (y[2 * i] >= boxX ? 1 : 0) + (y[2 * i + 1] >= boxY ? 2 : 0)
            scratch[offsets[q]] = order[p]
            offsets[q] += 1
        }
        (order + start).update(from: scratch + start, count: count)
        let firstChild = nodes.count
        for q in 0..<4 where sizes[q] > 0 {
            nodes.append(
                Node(
                    centerX: 0, centerY: 0, widthSquared: 0, count: 0, firstChild: -1, childCount: 0,
                    start: Int32(firsts[q]), end: Int32(firsts[q] + sizes[q])))
        }
        nodes[index].firstChild = Int32(firstChild)
        nodes[index].childCount = Int32(nodes.count - firstChild)
        let quarter = half / 2
        var child = firstChild
        for q in 0..<4 where sizes[q] > 0 {
            let cx = boxX + (q & 1 == 1 ? quarter : -quarter)
            let cy = boxY + (q & 2 == 2 ? quarter : -quarter)
            split(
                node: child, boxX: cx, boxY: cy, half: quarter, depth: depth + 1,
                y: y, order: order, scratch: scratch)
            child += 1
        }
    }
}
