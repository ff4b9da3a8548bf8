/// A value an option can hold, read from validated `key=value` text and written back for help.
public protocol OptionValue: Sendable {
    /// Parses text that `MagicArguments` has already validated against the option's kind.
    init?(optionText: String)
    /// The value as it is written in a cell and shown as `(default: …)` in help.
    var optionText: String { get }
}

/// An enumerated option (`model=boe|mlp`): its raw values are the choices, in declaration order.
public protocol OptionChoice: OptionValue, RawRepresentable<String>, CaseIterable {}

extension OptionChoice {
    public init?(optionText: String) { self.init(rawValue: optionText) }
    public var optionText: String { rawValue }
    /// The choices, as the spec lists them.
    static var choices: [String] { allCases.map(\.rawValue) }
}

extension Int: OptionValue {
    public init?(optionText: String) { self.init(optionText) }
    public var optionText: String { String(self) }
}

extension Double: OptionValue {
    public init?(optionText: String) { self.init(optionText) }
    /// Whole numbers without `.0` (`1`, `0.75`, `1e-05`).
    public var optionText: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int(self)) }
        return String(self)
    }
}

extension Bool: OptionValue {
    public init?(optionText: String) { self.init(optionText) }
    public var optionText: String { self ? "true" : "false" }
}

extension String: OptionValue {
    public init?(optionText: String) { self = optionText }
    public var optionText: String { self }
}

extension Array: OptionValue where Element == String {
    /// Comma-separated items, trimmed, without empty ones.
    public init?(optionText: String) {
        self = optionText.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }
    public var optionText: String { joined(separator: ",") }
}

/// Anything that declares one option of a spec: a typed key, or a plain `MagicSpec.Option`.
public protocol OptionDeclaration: Sendable {
    /// The option as the spec lists it (key, kind, default text, help).
    var option: MagicSpec.Option { get }
}

extension MagicSpec.Option: OptionDeclaration {
    public var option: MagicSpec.Option { self }
}

/// A typed option that always has a value: its default, or (for a required key) what the user
/// wrote — `MagicArguments` rejects an invocation that leaves a required key out.
/// Read with `arguments[key]`, which returns `Value`, never an optional.
public struct Key<Value: OptionValue>: OptionDeclaration {
    public let option: MagicSpec.Option
    /// The default; nil exactly when the option is required.
    public let defaultValue: Value?

    /// A key with a default, shown in help as `(default: …)`.
    public init(_ key: String, _ kind: MagicSpec.ValueKind, default value: Value, help: String) {
        option = MagicSpec.Option(key, kind, default: value.optionText, help: help)
        defaultValue = value
    }

    /// A key the user must write (`src=`, `objective=`); usage shows it without brackets.
    public init(required key: String, _ kind: MagicSpec.ValueKind, help: String) {
        option = MagicSpec.Option(key, kind, required: true, help: help)
        defaultValue = nil
    }
}

/// A typed option without a default: `arguments[key]` is nil when it is not written.
public struct OptionalKey<Value: OptionValue>: OptionDeclaration {
    public let option: MagicSpec.Option

    /// A key that may be left out; `note` is shown where a default would be (e.g. `%set seed`).
    public init(_ key: String, _ kind: MagicSpec.ValueKind, note: String? = nil, help: String) {
        option = MagicSpec.Option(key, kind, default: note, help: help, defaultIsNote: true)
    }
}

/// Factories for typed option keys, so a spec reads `Opt.int("dim", min: 1, default: 40, help: …)`.
public enum Opt {
    /// An integer with inclusive bounds and a default.
    public static func int(_ key: String, min: Int? = nil, max: Int? = nil, default value: Int, help: String) -> Key<Int> {
        Key(key, .int(min: min, max: max), default: value, help: help)
    }

    /// An integer that may be left out.
    public static func int(_ key: String, min: Int? = nil, max: Int? = nil, note: String? = nil, help: String) -> OptionalKey<Int> {
        OptionalKey(key, .int(min: min, max: max), note: note, help: help)
    }

    /// A finite number with inclusive bounds and a default.
    public static func double(
        _ key: String, min: Double? = nil, max: Double? = nil, default value: Double,
        help: String
    ) -> Key<Double> {
        Key(key, .double(min: min, max: max), default: value, help: help)
    }

    /// A finite number that may be left out.
    public static func double(
        _ key: String, min: Double? = nil, max: Double? = nil, note: String? = nil,
        help: String
    ) -> OptionalKey<Double> {
        OptionalKey(key, .double(min: min, max: max), note: note, help: help)
    }

    /// `true` or `false`, with a default.
    public static func bool(_ key: String, default value: Bool, help: String) -> Key<Bool> {
        Key(key, .bool, default: value, help: help)
    }

    /// Text of a kind (`.string`, `.object`, `.path`, `.word`) with a default.
    public static func text(
        _ key: String, _ kind: MagicSpec.ValueKind = .string, default value: String,
        help: String
    ) -> Key<String> {
        Key(key, kind, default: value, help: help)
    }

    /// Text of a kind that may be left out.
    public static func text(
        _ key: String, _ kind: MagicSpec.ValueKind = .string, note: String? = nil,
        help: String
    ) -> OptionalKey<String> {
        OptionalKey(key, kind, note: note, help: help)
    }

    /// Text of a kind the user must give (`src=`, `path=`).
    public static func required(_ key: String, _ kind: MagicSpec.ValueKind, help: String) -> Key<String> {
        Key(required: key, kind, help: help)
    }

    /// A comma-separated list with a default.
    public static func list(_ key: String, default value: [String], help: String) -> Key<[String]> {
        Key(key, .list, default: value, help: help)
    }

    /// A comma-separated list that may be left out.
    public static func list(_ key: String, note: String? = nil, help: String) -> OptionalKey<[String]> {
        OptionalKey(key, .list, note: note, help: help)
    }

    /// One of an enum's cases, with a default.
    public static func choice<C: OptionChoice>(_ key: String, default value: C, help: String) -> Key<C> {
        Key(key, .choice(C.choices), default: value, help: help)
    }

    /// One of an enum's cases, required.
    public static func choice<C: OptionChoice>(required key: String, _ type: C.Type, help: String) -> Key<C> {
        Key(required: key, .choice(C.choices), help: help)
    }

    /// One of an enum's cases, or left out.
    public static func choice<C: OptionChoice>(
        _ key: String, _ type: C.Type, note: String? = nil,
        help: String
    ) -> OptionalKey<C> {
        OptionalKey(key, .choice(C.choices), note: note, help: help)
    }
}
