/// One line of the history file (`HistoryStore`): a session's start or one stored cell.
enum HistoryStoreRecord: Equatable {
    /// A kernel started session `session` at the ISO 8601 time `at`.
    case started(session: Int, at: String)
    /// A stored cell.
    case cell(History.Entry)

    /// The session the record belongs to.
    var session: Int {
        switch self {
        case .started(let session, _): return session
        case .cell(let entry): return entry.session
        }
    }

    /// The cell, for a cell record.
    var entry: History.Entry? {
        if case .cell(let entry) = self { return entry }
        return nil
    }

    /// The record of a parsed line; nil when it is neither kind (a foreign or damaged line).
    init?(json: JSON) {
        guard let session = json["session"]?.intValue, session > 0 else { return nil }
        if let line = json["line"]?.intValue, let input = json["input"]?.stringValue {
            self = .cell(History.Entry(session: session, line: line, input: input, output: json["output"]?.stringValue))
        } else if let at = json["started"]?.stringValue {
            self = .started(session: session, at: at)
        } else {
            return nil
        }
    }

    /// The record as one JSON line, ending in a newline.
    var line: [UInt8] {
        let json: JSON
        switch self {
        case .started(let session, let at):
            json = ["session": .int(session), "started": .string(at)]
        case .cell(let entry):
            json = [
                "session": .int(entry.session), "line": .int(entry.line), "input": .string(entry.input),
                "output": entry.output.map(JSON.string) ?? .null,
            ]
        }
        return json.bytes + [UInt8(ascii: "\n")]
    }
}
