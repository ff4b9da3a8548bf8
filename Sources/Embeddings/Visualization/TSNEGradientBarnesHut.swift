/// The Barnes-Hut t-SNE repulsion (van der Maaten 2014, §4.2): for point i, a quadtree cell
/// that does not contain i and whose squared width is < θ²·(squared distance from i to its
/// centre of mass) acts as `count` points at that centre; other cells are opened, and leaves
/// are summed point by point (skipping i). θ = 0 therefore gives the exact sums.
///
/// Output as `TSNEExactRepulsion`: r (2N Doubles) and the estimate of Z. Points are visited in
/// tree order (neighbouring points walk similar paths: cache friendly); the traversal uses a
/// fixed-size stack, so the loop allocates nothing.
enum TSNEBarnesHutRepulsion {
    /// Writes r into `repulsion` (indexed by original point) and returns Z; the points (in tree
    /// order) are split into `threads` contiguous ranges, Z summed per range then in order.
    static func compute(_ tree: QuadTree, theta: Double, threads: Int = 1, into repulsion: UnsafeMutablePointer<Double>) -> Double {
        let n = tree.order.count
        guard n > 0 else { return 0 }
        let workers = min(max(1, threads), max(1, n / 1024))
        let r = SharedBuffer(repulsion)
        let sums = WorkerThreads.run(threads: workers, count: n, initial: 0.0) { _, range in
            compute(tree, theta: theta, points: range, into: r.base)
        }
        return sums.reduce(0, +)
    }

    /// The repulsion of the points at tree positions `points`; returns their part of Z.
    static func compute(_ tree: QuadTree, theta: Double, points: Range<Int>, into repulsion: UnsafeMutablePointer<Double>) -> Double {
        let theta2 = theta * theta
        var z = 0.0
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4 * QuadTree.maxDepth + 8) { stack in
            tree.nodes.withUnsafeBufferPointer { nodes in
                tree.sortedX.withUnsafeBufferPointer { sx in
                    tree.sortedY.withUnsafeBufferPointer { sy in
                        tree.order.withUnsafeBufferPointer { order in
                            for p in points {
                                let xi = sx[p], yi = sy[p]
                                let p32 = Int32(p)
                                var rx = 0.0, ry = 0.0, zi = 0.0
                                stack[0] = 0
                                var top = 1
                                while top > 0 {
                                    top -= 1
                                    let node = nodes[Int(stack[top])]
                                    let dx = xi - node.centerX, dy = yi - node.centerY
                                    let d2 = dx * dx + dy * dy
                                    let containsSelf = p32 >= node.start && p32 < node.end
                                    if !containsSelf && node.widthSquared < theta2 * d2 {
                                        let q = 1 / (1 + d2)
                                        let cq = node.count * q
                                        zi += cq
                                        let f = cq * q
                                        rx += f * dx
                                        ry += f * dy
                                    } else if node.firstChild < 0 {
                                        for r in Int(node.start)..<Int(node.end) where r != p {
                                            let ex = xi - sx[r], ey = yi - sy[r]
                                            let q = 1 / (1 + ex * ex + ey * ey)
                                            zi += q
                                            let f = q * q
                                            rx += f * ex
                                            ry += f * ey
                                        }
                                    } else {
                                        let first = node.firstChild
                                        for c in 0..<node.childCount {
                                            stack[top] = first + c
                                            top += 1
                                        }
                                    }
                                }
                                let i = Int(order[p])
                                repulsion[2 * i] = rx
                                repulsion[2 * i + 1] = ry
                                z += zi
                            }
                        }
                    }
                }
            }
        }
        return z
    }
}
