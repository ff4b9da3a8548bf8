/// Splits a line into word tokens the way the co-factorization paper preprocessed its corpora
/// (Shi et al. 2015 §5.1, after Chandar et al. 2014): lowercase, punctuation removed.
///
/// A token is a maximal run of non-whitespace. With `stripPunctuation`, punctuation at either
/// end of a token is removed (`sides:` → `sides`, `'millennium` → `millennium`) and a token that
/// is only punctuation is dropped; punctuation inside a token stays (`don't`, `u.s.`, `1,000`).
/// Without it, every whitespace token is kept, so token positions match files whose alignments
/// count whitespace tokens (Pharaoh `i-j` gold alignments).
public struct Tokenizer: Sendable, Equatable, CustomStringConvertible {
    /// Whether tokens are lowercased (Unicode-aware; ASCII on a fast path).
    public var lowercase: Bool
    /// Whether punctuation is stripped from token edges and punctuation-only tokens dropped.
    public var stripPunctuation: Bool

    /// A tokenizer; the defaults are the paper's preprocessing.
    public init(lowercase: Bool = true, stripPunctuation: Bool = true) {
        self.lowercase = lowercase
        self.stripPunctuation = stripPunctuation
    }

    /// The tokenizer that keeps every whitespace token as it is.
    public static let whitespace = Tokenizer(lowercase: false, stripPunctuation: false)

    public var description: String {
        [lowercase ? "lowercased" : "case kept", stripPunctuation ? "punctuation removed" : "punctuation kept"].joined(separator: ", ")
    }

    /// The tokens of `line`.
    public func tokens(_ line: String) -> [String] {
        var utf8 = Array(line.utf8)
        return utf8.withUnsafeMutableBufferPointer { tokens(UnsafeBufferPointer($0)) }
    }

    /// The tokens of a line given as UTF-8 bytes (valid UTF-8 is assumed; invalid sequences
    /// are repaired with U+FFFD by `String(decoding:)`).
    public func tokens(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var result: [String] = []
        forEachToken(bytes) { result.append($0) }
        return result
    }

    /// Calls `body` with each token of the UTF-8 line `bytes`, in order.
    public func forEachToken(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (String) -> Void) {
        var i = 0
        let n = bytes.count
        while i < n {
            while i < n, Self.isASCIISpace(bytes[i]) { i += 1 }
            let start = i
            var ascii = true
            while i < n, !Self.isASCIISpace(bytes[i]) {
                if bytes[i] >= 0x80 { ascii = false }
                i += 1
            }
            guard i > start else { break }
            let token = UnsafeBufferPointer(rebasing: bytes[start..<i])
            if let word = ascii ? asciiToken(token) : unicodeToken(token) { body(word) }
        }
    }

    private func asciiToken(_ token: UnsafeBufferPointer<UInt8>) -> String? {
        var lo = 0, hi = token.count
        if stripPunctuation {
            while lo < hi, Self.isASCIIPunctuation(token[lo]) { lo += 1 }
            while hi > lo, Self.isASCIIPunctuation(token[hi - 1]) { hi -= 1 }
            if lo == hi { return nil }
        }
        let part = UnsafeBufferPointer(rebasing: token[lo..<hi])
        guard lowercase, part.contains(where: { $0 >= 0x41 && $0 <= 0x5a }) else {
            return String(decoding: part, as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: part.count) { out in
            for (j, byte) in part.enumerated() { out[j] = (byte >= 0x41 && byte <= 0x5a) ? byte | 0x20 : byte }
            return part.count
        }
    }

    private func unicodeToken(_ token: UnsafeBufferPointer<UInt8>) -> String? {
        var word = String(decoding: token, as: UTF8.self)
        if stripPunctuation {
            let scalars = word.unicodeScalars
            guard let first = scalars.firstIndex(where: { !Self.isPunctuation($0) }),
                let last = scalars.lastIndex(where: { !Self.isPunctuation($0) })
            else { return nil }
            word = String(scalars[first...last])
        }
        return lowercase ? word.lowercased() : word
    }

    /// Whether `scalar` counts as punctuation: Unicode punctuation (P*) and symbols (S*), the
    /// way `string.punctuation` covers ASCII `!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~`.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isASCIIPunctuation(UInt8(scalar.value)) }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    @inline(__always) static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0d)
    }

    @inline(__always) static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        (byte >= 0x21 && byte <= 0x2f) || (byte >= 0x3a && byte <= 0x40) || (byte >= 0x5b && byte <= 0x60) || (byte >= 0x7b && byte <= 0x7e)
    }
}
