/// Random message and session identifiers: 32 lowercase hex digits (a UUID4 without dashes,
/// what jupyter_client itself makes).
public enum MessageID {
    /// A new random identifier.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 32)
        var word = generator.next()
        for i in 0..<32 {
            if i == 16 { word = generator.next() }
            bytes[i] = hex[Int(word & 0xF)]
            word >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
