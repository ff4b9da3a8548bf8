/// Ascending sort of float32 rows by LSD radix sort on their bit patterns (three passes of 11, 11
/// and 10 bits), for the n × n similarity rows of `VecMapInitialization` where a comparison
/// sort of 4,000 × 4,000 values took seconds.
///
/// The key maps IEEE-754 order to unsigned order: negative values have every bit flipped,
/// non-negative ones only the sign bit. So finite values and ±∞ end in numeric order (−0 before
/// +0, which compare equal, as any sort may place them); NaNs go to the ends by sign (numpy puts
/// all of them last; the similarity rows sorted here are finite).
///
/// One read of the row counts all three digits; the first pass maps the keys as it scatters and
/// the last maps them back as it scatters into the row, so a sort reads and writes the row four
/// times. A sorter owns its work space (2 × `capacity` keys, 3 × 2,048 counts): one per thread.
struct FloatRadixSort: ~Copyable {
    /// The longest row `sort` takes.
    let capacity: Int
    private let scratch: UnsafeMutablePointer<UInt32>
    private let counts: UnsafeMutablePointer<UInt32>

    /// A sorter for rows of up to `capacity` values.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        scratch = .allocate(capacity: 2 * self.capacity)
        counts = .allocate(capacity: 3 * 2048)
    }

    deinit {
        scratch.deallocate()
        counts.deallocate()
    }

    @inline(__always) private static func key(_ bits: UInt32) -> UInt32 {
        bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    @inline(__always) private static func bits(_ key: UInt32) -> UInt32 {
        key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key
    }

    /// Sorts `values[0 ..< count]` ascending (`count` ≤ `capacity`).
    func sort(_ values: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 1 else { return }
        precondition(count <= capacity, "a row of \(count) values exceeds the sorter's capacity \(capacity)")
        let low = counts, middle = counts + 2048, high = counts + 4096
        counts.initialize(repeating: 0, count: 3 * 2048)
        values.withMemoryRebound(to: UInt32.self, capacity: count) { row in
            for i in 0..<count {
                let k = Self.key(row[i])
                low[Int(k & 0x7FF)] &+= 1
                middle[Int((k >> 11) & 0x7FF)] &+= 1
                high[Int(k >> 22)] &+= 1
            }
            for histogram in [low, middle, high] {
                var total: UInt32 = 0
                for b in 0..<2048 {
                    let c = histogram[b]
                    histogram[b] = total
                    total &+= c
                }
            }
            let first = scratch, second = scratch + capacity
            for i in 0..<count {
                let k = Self.key(row[i]), b = Int(k & 0x7FF)
                first[Int(low[b])] = k
                low[b] &+= 1
            }
            for i in 0..<count {
                let k = first[i], b = Int((k >> 11) & 0x7FF)
                second[Int(middle[b])] = k
                middle[b] &+= 1
            }
            for i in 0..<count {
                let k = second[i], b = Int(k >> 22)
                row[Int(high[b])] = Self.bits(k)
                high[b] &+= 1
            }
        }
    }
}
