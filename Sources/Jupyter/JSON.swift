/// A JSON value, as carried in the four JSON frames of a Jupyter message.
///
/// Numbers keep the distinction between integers and doubles so that counters round-trip as
/// `3`, not `3.0`. Objects serialize with their keys sorted, so equal values always produce the
/// same bytes (golden files and signatures depend on that).
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    /// The empty object `{}`.
    public static let emptyObject = JSON.object([:])

    /// The member `key` of an object, or `nil` for a missing key or a non-object.
    public subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string payload, or `nil` when this is not a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The boolean payload, or `nil` when this is not a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The integer payload; a double with an integral value also converts.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int(d)
        default: return nil
        }
    }

    /// The numeric payload as a double.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The members of an object, or `nil` when this is not an object.
    public var objectValue: [String: JSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of an array, or `nil` when this is not an array.
    public var arrayValue: [JSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// A JSON string from a string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A JSON integer from an integer literal.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A JSON boolean from `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A JSON double from a float literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A JSON array from an array literal.
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    /// JSON `null` from `nil`.
    public init(nilLiteral: ()) { self = .null }
    /// A JSON object from a dictionary literal; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var members: [String: JSON] = [:]
        for (key, value) in elements { members[key] = value }
        self = .object(members)
    }
}

// MARK: - Serialization

extension JSON {
    /// The compact UTF-8 serialization (no insignificant whitespace, sorted keys).
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        write(into: &out)
        return out
    }

    /// The compact serialization as a string.
    public var serialized: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends the compact serialization of `self` to `out`.
    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let b): out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8))
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            if d.isFinite {
                if d.rounded() == d && abs(d) < 1e15 {
                    out.append(contentsOf: String(Int(d)).utf8)
                    out.append(contentsOf: [0x2E, 0x30]) // ".0"
                } else {
                    out.append(contentsOf: d.description.utf8)
                }
            } else {
                // JSON has no NaN/Infinity; null is what Python's json gives for allow_nan=False
                // callers to detect and what JupyterLab renders without breaking the message.
                out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            }
        case .string(let s): JSON.writeString(s, into: &out)
        case .array(let elements):
            out.append(0x5B)
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(0x2C) }
                element.write(into: &out)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            for (i, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { out.append(0x2C) }
                JSON.writeString(member.key, into: &out)
                out.append(0x3A)
                member.value.write(into: &out)
            }
            out.append(0x7D)
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}

// MARK: - Parsing

/// A JSON text that could not be parsed; `offset` is the byte position of the problem.
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    /// The 0-based byte offset in the input where parsing failed.
    public let offset: Int
    /// What was expected or found there, e.g. `unexpected end`.
    public let reason: String
    /// `invalid JSON at byte OFFSET: REASON`.
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSON {
    /// Parses one JSON value from UTF-8 bytes (RFC 8259). Nesting deeper than 512 levels is
    /// rejected so that a hostile message cannot overflow the stack.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSON {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var parser = JSONParser(buffer)
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.position == buffer.count else { throw parser.error("trailing characters") }
            return value
        }
    }

    /// Parses one JSON value from a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        try parse(Array(text.utf8))
    }
}

struct JSONParser {
    let input: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ input: UnsafeBufferPointer<UInt8>) { self.input = input }

    func error(_ reason: String) -> JSONParseError { JSONParseError(offset: position, reason: reason) }

    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSON {
        guard depth < 512 else { throw error("nesting deeper than 512") }
        skipWhitespace()
        guard position < input.count else { throw error("unexpected end") }
        switch input[position] {
        case 0x7B: return try parseObject(depth: depth)
        case 0x5B: return try parseArray(depth: depth)
        case 0x22: return .string(try parseString())
        case 0x74:
            try expectLiteral("true")
            return .bool(true)
        case 0x66:
            try expectLiteral("false")
            return .bool(false)
        case 0x6E:
            try expectLiteral("null")
            return .null
        case 0x2D, 0x30...0x39: return try parseNumber()
        default: throw error("unexpected character")
        }
    }

    mutating func expectLiteral(_ literal: String) throws(JSONParseError) {
        let bytes = Array(literal.utf8)
        guard position + bytes.count <= input.count else { throw error("unexpected end") }
        for i in 0..<bytes.count where input[position + i] != bytes[i] { throw error("invalid literal") }
        position += bytes.count
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSON {
        position += 1
        var members: [String: JSON] = [:]
        skipWhitespace()
        if position < input.count, input[position] == 0x7D {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < input.count, input[position] == 0x22 else { throw error("expected a key") }
            let key = try parseString()
            skipWhitespace()
            guard position < input.count, input[position] == 0x3A else { throw error("expected ':'") }
            position += 1
            members[key] = try parseValue(depth: depth + 1)
            skipWhitespace()
            guard position < input.count else { throw error("unexpected end") }
            if input[position] == 0x2C {
                position += 1
                continue
            }
            if input[position] == 0x7D {
                position += 1
                return .object(members)
            }
            throw error("expected ',' or '}'")
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSON {
        position += 1
        var elements: [JSON] = []
        skipWhitespace()
        if position < input.count, input[position] == 0x5D {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard position < input.count else { throw error("unexpected end") }
            if input[position] == 0x2C {
                position += 1
                continue
            }
            if input[position] == 0x5D {
                position += 1
                return .array(elements)
            }
            throw error("expected ',' or ']'")
        }
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= input.count else { throw error("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = input[position]
            let digit: UInt32
            switch c {
            case 0x30...0x39: digit = UInt32(c - 0x30)
            case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
            default: throw error("bad hex digit")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < input.count {
            let c = input[position]
            if c == 0x22 {
                let slice = UnsafeBufferPointer(rebasing: input[start..<position])
                position += 1
                guard let s = String(validating: slice, as: UTF8.self) else { throw error("invalid UTF-8") }
                return s
            }
            if c == 0x5C || c < 0x20 { break }
            position += 1
        }
        var bytes = Array(input[start..<position])
        while position < input.count {
            let c = input[position]
            switch c {
            case 0x22:
                position += 1
                guard let s = String(validating: bytes, as: UTF8.self) else { throw error("invalid UTF-8") }
                return s
            case 0x5C:
                position += 1
                guard position < input.count else { throw error("unexpected end") }
                let e = input[position]
                position += 1
                switch e {
                case 0x22: bytes.append(0x22)
                case 0x5C: bytes.append(0x5C)
                case 0x2F: bytes.append(0x2F)
                case 0x62: bytes.append(0x08)
                case 0x66: bytes.append(0x0C)
                case 0x6E: bytes.append(0x0A)
                case 0x72: bytes.append(0x0D)
                case 0x74: bytes.append(0x09)
                case 0x75:
                    var scalar = try parseHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard position + 6 <= input.count, input[position] == 0x5C, input[position + 1] == 0x75 else {
                            throw error("unpaired surrogate")
                        }
                        position += 2
                        let low = try parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid code point") }
                    bytes.append(contentsOf: String(Character(u)).utf8)
                default: throw error("bad escape")
                }
            case 0x00..<0x20: throw error("control character in string")
            default:
                bytes.append(c)
                position += 1
            }
        }
        throw error("unterminated string")
    }

    mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = position
        var isInteger = true
        if input[position] == 0x2D { position += 1 }
        guard position < input.count, (0x30...0x39).contains(input[position]) else { throw error("bad number") }
        while position < input.count {
            let c = input[position]
            if (0x30...0x39).contains(c) {
                position += 1
                continue
            }
            if c == 0x2E || c == 0x65 || c == 0x45 || c == 0x2B || c == 0x2D {
                isInteger = false
                position += 1
                continue
            }
            break
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<position]), as: UTF8.self)
        if isInteger, let i = Int(text) { return .int(i) }
        guard let d = Double(text) else { throw error("bad number") }
        return .double(d)
    }
}
