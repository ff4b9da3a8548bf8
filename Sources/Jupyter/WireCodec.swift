/// The delimiter frame between routing identities and the signature.
public let wireDelimiter: [UInt8] = Array("<IDS|MSG>".utf8)

/// Why a received multipart message was dropped.
public enum WireError: Error, Equatable, CustomStringConvertible {
    /// No `<IDS|MSG>` frame.
    case missingDelimiter
    /// Fewer than 5 frames (signature + four JSON parts) after the delimiter; carries the count.
    case tooFewFrames(Int)
    /// The signature is wrong, missing or was seen before (replay).
    case badSignature
    /// A JSON part (`header`, `parent_header`, `metadata`, `content`) does not parse.
    case invalidJSON(part: String, reason: String)
    /// A JSON part parses but is not an object.
    case wrongType(part: String)

    /// A one-line reason, written to the kernel log when the message is dropped.
    public var description: String {
        switch self {
        case .missingDelimiter: return "no <IDS|MSG> delimiter"
        case .tooFewFrames(let n): return "\(n) frames after the delimiter, need at least 5"
        case .badSignature: return "bad, missing or replayed signature"
        case .invalidJSON(let part, let reason): return "\(part) is not valid JSON (\(reason))"
        case .wrongType(let part): return "\(part) is not a JSON object"
        }
    }
}

/// Encodes messages to ZeroMQ multipart frames and decodes them back, signing and verifying
/// with a `MessageSigner`.
///
/// Frame layout: `identities…, <IDS|MSG>, signature, header, parent_header, metadata, content,
/// buffers…`; the signature covers the four JSON frames only.
public struct WireCodec: Sendable {
    /// Signs encoded messages and verifies (and checks replays of) decoded ones.
    public let signer: MessageSigner

    /// Creates a codec with the given signer.
    public init(signer: MessageSigner) { self.signer = signer }

    /// The frames of `message`, signed.
    public func encode(_ message: Message) -> [[UInt8]] {
        let parts = [message.header.bytes, message.parentHeader.bytes, message.metadata.bytes, message.content.bytes]
        var frames = message.identities
        frames.reserveCapacity(frames.count + 6 + message.buffers.count)
        frames.append(wireDelimiter)
        frames.append(signer.signature(parts))
        frames.append(contentsOf: parts)
        frames.append(contentsOf: message.buffers)
        return frames
    }

    /// Verifies and parses received frames. The signature is checked over the raw bytes before
    /// any JSON is parsed.
    public func decode(_ frames: [[UInt8]]) throws(WireError) -> Message {
        guard let delimiter = frames.firstIndex(of: wireDelimiter) else { throw .missingDelimiter }
        let rest = frames.count - delimiter - 1
        guard rest >= 5 else { throw .tooFewFrames(rest) }
        let signature = frames[delimiter + 1]
        let parts = Array(frames[(delimiter + 2)..<(delimiter + 6)])
        guard signer.verify(signature: signature, frames: parts) else { throw .badSignature }
        let names = ["header", "parent_header", "metadata", "content"]
        var values: [JSON] = []
        for (name, part) in zip(names, parts) {
            let value: JSON
            do { value = try JSON.parse(part) } catch { throw .invalidJSON(part: name, reason: error.reason) }
            guard case .object = value else { throw .wrongType(part: name) }
            values.append(value)
        }
        return Message(
            identities: Array(frames[0..<delimiter]), header: values[0], parentHeader: values[1],
            metadata: values[2], content: values[3], buffers: Array(frames[(delimiter + 6)...]))
    }
}
