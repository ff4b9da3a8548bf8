/// Ascending sort of a float32 row by LSD radix sort on its bit pattern (three passes of 11, 11
/// and 10 bits), for the n × n similarity rows of `VecMapInitialization` where a comparison
/// sort of 4,000 × 4,000 values took seconds.
///
/// The key maps IEEE-754 order to unsigned order: negative values have every bit flipped,
/// non-negative ones only the sign bit. So finite values and ±∞ end in numeric order (−0 before
/// +0, which compare equal, as any sort may place them); NaNs go to the ends by sign (numpy puts
/// all of them last; the similarity rows sorted here are finite).
enum FloatRadixSort {
    /// Sorts `values[0 ..< count]` ascending, using `scratch` (≥ `count` UInt32) and `counts`
    /// (≥ 2,048 Int) as work space.
    static func sort(
        _ values: UnsafeMutablePointer<Float>, count: Int, scratch: UnsafeMutablePointer<UInt32>,
        counts: UnsafeMutablePointer<Int>
    ) {
        guard count > 1 else { return }
        values.withMemoryRebound(to: UInt32.self, capacity: count) { keys in
            for i in 0..<count {
                let b = keys[i]
                keys[i] = b & 0x8000_0000 != 0 ? ~b : b | 0x8000_0000
            }
            var source = keys, target = scratch
            for (shift, bits) in [(0, 11), (11, 11), (22, 10)] as [(UInt32, UInt32)] {
                let buckets = 1 << Int(bits), mask = UInt32(buckets - 1)
                for b in 0..<buckets { counts[b] = 0 }
                for i in 0..<count { counts[Int((source[i] >> shift) & mask)] += 1 }
                var total = 0
                for b in 0..<buckets {
                    let c = counts[b]
                    counts[b] = total
                    total += c
                }
                for i in 0..<count {
                    let key = source[i]
                    let b = Int((key >> shift) & mask)
                    target[counts[b]] = key
                    counts[b] += 1
                }
                swap(&source, &target)
            }
            // Three passes: the sorted keys are in `scratch`; copy back while undoing the map.
            for i in 0..<count {
                let k = source[i]
                keys[i] = k & 0x8000_0000 != 0 ? k & 0x7FFF_FFFF : ~k
            }
        }
    }
}
