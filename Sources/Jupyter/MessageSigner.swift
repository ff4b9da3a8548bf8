import Crypto

/// HMAC-SHA256 signing and verification of the four JSON frames of a message.
///
/// Verification runs over the exact received bytes (never a re-serialization), compares in
/// constant time, and rejects replays: a signature already accepted once is refused again, as
/// jupyter_client's `Session` does (bounded history of the last `historyLimit` signatures).
/// An empty key disables signing: messages are sent with an empty signature and any
/// signature is accepted.
public final class MessageSigner: @unchecked Sendable {
    private let key: SymmetricKey?
    private let lock = Lock()
    private var seen: Set<[UInt8]> = []
    private var seenOrder: [[UInt8]] = []
    private let historyLimit: Int

    /// Creates a signer for `key` (the connection file's `key`, UTF-8).
    public init(key: String, historyLimit: Int = 1 << 16) {
        self.key = key.isEmpty ? nil : SymmetricKey(data: Array(key.utf8))
        self.historyLimit = historyLimit
    }

    /// Whether messages are signed at all.
    public var isSigning: Bool { key != nil }

    /// The lowercase hex HMAC of the frames, or empty when signing is off.
    public func signature(_ frames: [[UInt8]]) -> [UInt8] {
        guard let key else { return [] }
        var mac = HMAC<SHA256>(key: key)
        for frame in frames { mac.update(data: frame) }
        return Self.hex(Array(mac.finalize()))
    }

    /// Checks `signature` against the frames and records it; false for a wrong, missing or
    /// replayed signature.
    public func verify(signature: [UInt8], frames: [[UInt8]]) -> Bool {
        guard isSigning else { return true }
        let expected = self.signature(frames)
        guard Self.constantTimeEqual(expected, signature) else { return false }
        return lock.withLock {
            if seen.contains(signature) { return false }
            seen.insert(signature)
            seenOrder.append(signature)
            if seenOrder.count > historyLimit {
                // Drop the oldest tenth at once, like jupyter_client's digest-history cull.
                let drop = historyLimit / 10
                for old in seenOrder[0..<drop] { seen.remove(old) }
                seenOrder.removeFirst(drop)
            }
            return true
        }
    }

    /// Equality of two byte strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return out
    }
}
