import Jupyter

#if canImport(Glibc)
import Glibc
#endif

/// Runs a `.xling` script or a notebook's code cells headless (`xling run FILE`): text/plain
/// to stdout, errors to stderr, each SVG written next to the script as `<stem>-<cell>-<n>.svg`.
///
/// - A `.xling` file is split into cells at `# %%` lines (the percent format of jupytext and
///   VS Code); a file without such lines is one cell; a cell of comments only (a header) is
///   skipped. A `.ipynb` file runs its code cells.
/// - Relative paths in magics (`path=`, `%save`) resolve against the script's folder: the run
///   changes the working directory to it, so a script runs the same from anywhere.
/// - Before each cell's output a `# %% [N]` line is printed (with the marker's title, if any),
///   so the output reads like the script and can be split the same way.
/// - A live progress display prints its latest state as soon as other output follows it (and
///   at the end of its cell), so a magic's final progress line comes before later output.
/// - `parameters` (`xling run -p NAME VALUE`) are set in a cell injected after the one tagged
///   `parameters`, as papermill does.
/// - The run stops at the first failing cell, or with `continueOnError` runs the rest and
///   still exits 1. An interrupt always stops it (exit 130).
public struct ScriptRunner {
    /// The script file's path; SVG outputs are written next to it.
    public let path: String
    /// Whether cells after a failing cell still run (the exit status is 1 all the same).
    public var continueOnError: Bool
    /// Parameters (`NAME`, `VALUE`) run as `%set NAME="VALUE"` in a cell of their own, as
    /// papermill's injected cell: after the cell tagged (or, in a script, titled) `parameters`,
    /// else before the first cell.
    public var parameters: [(String, String)]

    /// Creates a runner for the script at `path` (read when `run` is called).
    public init(path: String, continueOnError: Bool = false, parameters: [(String, String)] = []) {
        self.path = path
        self.continueOnError = continueOnError
        self.parameters = parameters
    }

    /// `cells` with the parameters cell inserted (unchanged when there are no parameters).
    static func injecting(_ parameters: [(String, String)], into cells: [Cell]) -> [Cell] {
        guard !parameters.isEmpty else { return cells }
        let lines = parameters.map { name, value in
            var quoted = "\""
            for character in value {
                if character == "\\" || character == "\"" { quoted.append("\\") }
                quoted.append(character)
            }
            return "%set \(name)=\(quoted)\""
        }
        let injected = Cell(code: lines.joined(separator: "\n"), title: "injected-parameters")
        let tagged = cells.firstIndex { $0.title.split(separator: " ").contains("parameters") }
        var result = cells
        result.insert(injected, at: tagged.map { $0 + 1 } ?? 0)
        return result
    }

    /// One cell of a script: its code and the title written after its `# %%` marker.
    public struct Cell: Equatable, Sendable {
        /// The cell's text, without its marker line.
        public var code: String
        /// The text after `# %%` on the marker line (trimmed; empty when none).
        public var title: String
    }

    /// The cells of a script's text.
    public static func cells(of text: String) -> [String] { scriptCells(of: text).map(\.code) }

    /// The cells of a script's text, with the titles of their `# %%` markers.
    public static func scriptCells(of text: String) -> [Cell] {
        var cells = [Cell(code: "", title: "")]
        var lines: [[Substring]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            let afterHash = trimmed.dropFirst().drop(while: { $0 == " " })
            if trimmed.hasPrefix("#"), afterHash.hasPrefix("%%") {
                cells.append(Cell(code: "", title: String(afterHash.dropFirst(2)).trimmingWhitespace()))
                lines.append([])
            } else {
                lines[lines.count - 1].append(line)
            }
        }
        for index in cells.indices { cells[index].code = lines[index].joined(separator: "\n") }
        return cells.filter { !isOnlyComments($0.code) }
    }

    /// Whether `code` has no line but blanks and `#` comments (a script's header, say).
    static func isOnlyComments(_ code: String) -> Bool {
        code.split(separator: "\n").allSatisfy { line in
            let trimmed = String(line).trimmingWhitespace()
            return trimmed.isEmpty || trimmed.hasPrefix("#")
        }
    }

    /// The code cells of a notebook (`.ipynb` JSON, nbformat 4): `source` as one string or a
    /// list of lines; empty cells are skipped. Throws a message when the JSON is not a notebook.
    public static func notebookCells(of bytes: [UInt8]) throws(ScriptError) -> [Cell] {
        let notebook: JSON
        do {
            notebook = try JSON.parse(bytes)
        } catch {
            throw ScriptError("not a notebook: \(error)")
        }
        guard let cells = notebook["cells"]?.arrayValue else { throw ScriptError("not a notebook: no `cells` list") }
        var result: [Cell] = []
        for (index, cell) in cells.enumerated() where cell["cell_type"]?.stringValue == "code" {
            let source = cell["source"]
            let code = source?.stringValue ?? source?.arrayValue?.compactMap(\.stringValue).joined() ?? ""
            guard !code.trimmingWhitespace().isEmpty else { continue }
            let tags = cell["metadata"]?["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let title = (["notebook cell \(index + 1)"] + tags).joined(separator: " ")
            result.append(Cell(code: code, title: title))
        }
        return result
    }

    /// The notebook's kernel language (`metadata.kernelspec.language`, else
    /// `metadata.language_info.name`), when it names one.
    static func notebookLanguage(of bytes: [UInt8]) -> String? {
        guard let metadata = (try? JSON.parse(bytes))?["metadata"] else { return nil }
        return metadata["kernelspec"]?["language"]?.stringValue ?? metadata["language_info"]?["name"]?.stringValue
    }

    /// A script that cannot be read or parsed.
    public struct ScriptError: Error, CustomStringConvertible {
        /// What is wrong.
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs every cell; returns the process exit status (0 ok, 1 error, 130 interrupted).
    public func run() -> Int32 {
        let out = Output { text, fd in Self.write(text, to: fd) }
        guard let bytes = FileBytes.read(path) else {
            out.error("xling run: cannot read \(path)\n")
            return 1
        }
        let cells: [Cell]
        if path.hasSuffix(".ipynb") {
            do {
                cells = try Self.notebookCells(of: bytes)
                if let language = Self.notebookLanguage(of: bytes), language != "xling" {
                    out.error("xling run: \(path) is a \(language) notebook; running its code cells as xling anyway\n")
                }
            } catch {
                out.error("xling run: \(path) is \(error)\n")
                return 1
            }
        } else {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                out.error("xling run: \(path) is not UTF-8 text\n")
                return 1
            }
            cells = Self.scriptCells(of: text)
        }
        let absolute = Self.absolute(path)
        let folder = absolute.lastIndex(of: "/").map { String(absolute[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? "."
        guard chdir(folder) == 0 else {
            out.error("xling run: cannot change to the script's folder \(folder)\n")
            return 1
        }
        var stem = String(absolute.split(separator: "/").last ?? "script")
        for suffix in [".xling", ".ipynb"] where stem.hasSuffix(suffix) { stem = String(stem.dropLast(suffix.count)) }
        return run(Self.injecting(parameters, into: cells), stem: stem, name: path, output: out)
    }

    /// Where a run's text goes: `write(text, fd)` with fd 1 (stdout) or 2 (stderr).
    struct Output {
        let write: (String, Int32) -> Void
        func text(_ text: String) { write(text, 1) }
        func error(_ text: String) { write(text, 2) }
    }

    /// Runs `cells` in one fresh session; SVGs are written as `<stem>-<cell>-<n>.svg` relative to
    /// the working directory; `name` names the script in error messages.
    func run(_ cells: [Cell], stem: String, name: String, output out: Output) -> Int32 {
        let interpreter = XlingInterpreter()
        var svgCount = 0
        var failed: [Int] = []
        for (index, cell) in cells.enumerated() {
            out.text("# %% [\(index + 1)]\(cell.title.isEmpty ? "" : " " + cell.title)\n")
            var live = LiveDisplays()
            func show(_ bundle: MimeBundle) {
                if let svg = bundle["image/svg+xml"]?.stringValue {
                    svgCount += 1
                    let file = "\(stem)-\(index + 1)-\(svgCount).svg"
                    if (try? AtomicFile.write(Array(svg.utf8), to: file)) != nil {
                        out.text("[svg: \(file)]\n")
                    } else {
                        out.error("xling run: cannot write \(file)\n")
                    }
                } else if let text = bundle["text/plain"]?.stringValue {
                    out.text(text + "\n")
                }
            }
            let context = ExecutionContext(
                executionCount: index + 1, silent: false, allowStdin: isatty(0) != 0,
                publish: { type, content, _ in
                    let data = content["data"]?.objectValue ?? [:]
                    let id = content["transient"]?["display_id"]?.stringValue
                    if type == "update_display_data", let id {
                        live.update(id, data) // only the latest state is printed, when other output follows
                        return
                    }
                    live.flush(show)
                    switch type {
                    case "stream":
                        out.write(content["text"]?.stringValue ?? "", content["name"]?.stringValue == "stderr" ? 2 : 1)
                    case "display_data":
                        if let id { live.update(id, data) } else { show(data) }
                    default: break
                    }
                },
                readInput: { prompt, _ in
                    live.flush(show)
                    out.text(prompt)
                    guard let line = readLine() else { throw ExecutionError(name: "EOFError", value: "no input for: \(prompt)") }
                    return line
                })
            do {
                let result = try interpreter.execute(cell.code, context: context)
                live.flush(show)
                if let data = result.data { show(data) }
                for payload in context.payloads { if let data = payload["data"]?.objectValue { show(data) } }
            } catch {
                live.flush(show)
                let failure = error as? ExecutionError
                let interrupted = error is Interrupted
                let message = interrupted ? "KeyboardInterrupt: interrupted" : failure.map { "\($0.name): \($0.value)" } ?? "\(error)"
                out.error("cell \(index + 1) of \(name) failed:\n\(message)\n")
                if interrupted { return 130 }
                failed.append(index + 1)
                if !continueOnError { return 1 }
            }
        }
        guard failed.isEmpty else {
            let list = failed.map(String.init).joined(separator: ", ")
            out.error("xling run: \(failed.count) of \(cells.count) cells failed (\(failed.count == 1 ? "cell" : "cells") \(list))\n")
            return 1
        }
        return 0
    }

    /// Live displays (with a `display_id`) not printed since their last update, in order.
    struct LiveDisplays {
        private var pending: [String: MimeBundle] = [:]
        private var order: [String] = []

        mutating func update(_ id: String, _ data: MimeBundle) {
            if pending[id] == nil { order.append(id) }
            pending[id] = data
        }

        mutating func flush(_ show: (MimeBundle) -> Void) {
            for id in order { if let data = pending[id] { show(data) } }
            order = []
            pending = [:]
        }
    }

    /// `path` made absolute against the current directory.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        let base = String(cString: cwd)
        return (base.hasSuffix("/") ? base : base + "/") + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

    static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }
}
