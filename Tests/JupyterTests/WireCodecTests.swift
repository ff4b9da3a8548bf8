import Testing

@testable import Jupyter

@Suite struct WireCodecTests {
    /// Digests computed once with Python's `hmac.new(key, digestmod=hashlib.sha256)` over the
    /// same frames.
    @Test func hmacMatchesPythonGoldenVectors() {
        let signer = MessageSigner(key: "a0436f6c-1916-498b-8eb9-e81ab9368e84")
        let frames = [
            Array(#"{"msg_id":"1","msg_type":"kernel_info_request"}"#.utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8),
        ]
        #expect(
            String(decoding: signer.signature(frames), as: UTF8.self) == """
                23d21ade63d42fc48bbe2721cd9045ceffb260c3521b7d246495f23adfca79a0
                """)
        let second = MessageSigner(key: "secret")
        let header =
            #"{"date":"2026-11-21T20:00:00.000000Z","msg_id":"abc","msg_type":"execute_request","session":"s","username":"u","version":"5.3"}"#
        let parts = [Array(header.utf8), Array("{}".utf8), Array("{}".utf8), Array(#"{"code":"%echo héllo"}"#.utf8)]
        #expect(
            String(decoding: second.signature(parts), as: UTF8.self) == """
                90b75a6d9e0b4c8d10a20430b02847ceef1c09012ae1d687acaf5343fc5bd5d6
                """)
    }

    @Test func encodeDecodeRoundTrip() throws {
        let codec = WireCodec(signer: MessageSigner(key: "k"))
        let message = Message(
            identities: [[1, 2, 3]], header: HeaderFactory().header("execute_request"),
            content: ["code": "%echo hi"], buffers: [[9, 9]])
        let frames = codec.encode(message)
        #expect(frames[1] == wireDelimiter)
        let decoder = WireCodec(signer: MessageSigner(key: "k"))
        #expect(try decoder.decode(frames) == message)
    }

    @Test func rejectsBadMissingAndReplayedSignatures() throws {
        let codec = WireCodec(signer: MessageSigner(key: "k"))
        var frames = codec.encode(Message(header: HeaderFactory().header("kernel_info_request"), content: .emptyObject))
        let receiver = WireCodec(signer: MessageSigner(key: "k"))
        #expect(throws: WireError.badSignature) { try WireCodec(signer: MessageSigner(key: "other")).decode(frames) }
        #expect((try? receiver.decode(frames)) != nil)
        #expect(throws: WireError.badSignature) { try receiver.decode(frames) } // replay
        frames[1] = []
        #expect(throws: WireError.badSignature) { try receiver.decode(frames) }
    }

    @Test func rejectsMalformedFrames() {
        let codec = WireCodec(signer: MessageSigner(key: ""))
        #expect(throws: WireError.missingDelimiter) { try codec.decode([[1], [2]]) }
        #expect(throws: WireError.tooFewFrames(2)) { try codec.decode([wireDelimiter, [], []]) }
        let notObject = [wireDelimiter, [], Array("[]".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
        #expect(throws: WireError.wrongType(part: "header")) { try codec.decode(notObject) }
        let broken = [wireDelimiter, [], Array("{".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
        #expect(throws: WireError.self) { try codec.decode(broken) }
    }

    @Test func emptyKeyMeansNoSigning() throws {
        let codec = WireCodec(signer: MessageSigner(key: ""))
        let frames = codec.encode(Message(header: HeaderFactory().header("kernel_info_request"), content: .emptyObject))
        #expect(frames[1].isEmpty)
        #expect((try? codec.decode(frames)) != nil)
    }

    @Test func constantTimeCompare() {
        #expect(MessageSigner.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!MessageSigner.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!MessageSigner.constantTimeEqual([1, 2], [1, 2, 3]))
    }

    @Test func headersCarryProtocolFields() {
        let header = HeaderFactory().header("status")
        for key in ["msg_id", "session", "username", "date", "msg_type", "version"] { #expect(header[key] != nil) }
        #expect(header["version"] == "5.3")
        #expect(header["date"]?.stringValue?.hasSuffix("Z") == true)
    }
}

@Suite struct MessageIDTests {
    @Test func idsAreHexAndUnique() {
        let ids = (0..<10_000).map { _ in MessageID.make() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
    }
}
