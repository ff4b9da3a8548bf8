import Jupyter
import Testing

@testable import Notebook

/// A suite that drives one kernel session through `harness`: the shorthands every magic test
/// uses, written once. `run` keeps the reply and every output; `result` expects success and gives
/// the rows of the cell's table; `error` expects failure and gives its message.
protocol MagicSuite {
    var harness: KernelHarness { get }
}

extension MagicSuite {
    @discardableResult
    func run(_ code: String) -> (reply: JSON, outputs: [Message]) { harness.run(code, allowStdin: false) }

    func result(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> [JSON] {
        harness.result(code, sourceLocation: sourceLocation)
    }

    func error(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        harness.error(code, sourceLocation: sourceLocation)
    }

    /// `%who` as name → kind.
    func kinds() -> [String: String] {
        Dictionary(uniqueKeysWithValues: result("%who").map { ($0["name"]?.stringValue ?? "", $0["kind"]?.stringValue ?? "") })
    }
}
