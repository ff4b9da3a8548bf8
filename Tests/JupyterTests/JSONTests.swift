import Testing

@testable import Jupyter

@Suite struct JSONTests {
    @Test(arguments: [
        #"{"a":1,"b":[true,false,null],"c":"x"}"#,
        #"{"n":-12,"pi":3.25,"s":"tab\tnew\nline \"q\" \\ é 𝄞"}"#,
        #"[]"#, #"{}"#, #"[1.5,-0.001,1e-07]"#,
    ])
    func roundTrips(_ text: String) throws {
        let value = try JSON.parse(text)
        #expect(try JSON.parse(value.serialized) == value)
    }

    @Test func keysAreSortedAndIntegersStayIntegers() throws {
        let value = try JSON.parse(#"{"z": 3, "a": 2.0, "m": {"y": 1, "b": 1}}"#)
        #expect(value.serialized == #"{"a":2.0,"m":{"b":1,"y":1},"z":3}"#)
    }

    @Test func unicodeEscapesAndSurrogatePairs() throws {
        #expect(try JSON.parse(#""\u00e9\ud834\udd1e""#) == .string("é𝄞"))
        #expect(JSON.string("\u{1}").serialized == #""\u0001""#)
    }

    @Test(arguments: [
        "", "{", #"{"a"}"#, #"{"a":1,}"#, "[1 2]", "tru", #""unterminated"#, #""\ud800""#, "01x", "{} x", "\"\u{1}\"",
    ])
    func rejectsInvalid(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
    }

    @Test func rejectsDeepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSON.parse(deep) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSON.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func nonFiniteNumbersSerializeAsNull() {
        #expect(JSON.array([.double(.nan), .double(.infinity)]).serialized == "[null,null]")
    }
}
