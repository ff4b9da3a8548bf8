import Synchronization

/// Random message and session identifiers: 32 lowercase hex digits (a UUID4's worth of
/// randomness without dashes, what jupyter_client itself makes).
///
/// Identifiers come from a SplitMix64 stream seeded once from the system generator; the stream
/// position is one atomic counter, so any thread may make identifiers without a lock or a
/// system call (a `getrandom` per id was a measurable part of an execute round trip).
public enum MessageID {
    private static let counter = Atomic<UInt64>(
        {
            var system = SystemRandomNumberGenerator()
            return system.next()
        }())

    private static func next() -> UInt64 {
        var z = counter.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A new identifier.
    public static func make() -> String {
        let hex: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 32) { buffer in
            hex.withUTF8Buffer { digits in
                for half in 0..<2 {
                    var word = next()
                    for i in 0..<16 {
                        buffer[half * 16 + i] = digits[Int(word & 0xF)]
                        word >>= 4
                    }
                }
            }
            return 32
        }
    }
}
