import Jupyter

#if canImport(Glibc)
import Glibc
#endif

/// Runs a `.xling` script headless (`xling run FILE.xling`): text/plain to stdout, errors to
/// stderr, each SVG written next to the script as `<stem>-<cell>-<n>.svg`.
///
/// Cells are separated by `# %%` lines (the percent format of jupytext and VS Code); a file
/// without such lines is one cell. The run stops at the first failing cell.
public struct ScriptRunner {
    /// The script file's path; SVG outputs are written next to it.
    public let path: String

    /// Creates a runner for the script at `path` (read when `run` is called).
    public init(path: String) { self.path = path }

    /// The cells of a script's text.
    public static func cells(of text: String) -> [String] {
        var cells: [[Substring]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("#"), trimmed.dropFirst().drop(while: { $0 == " " }).hasPrefix("%%") {
                cells.append([])
            } else {
                cells[cells.count - 1].append(line)
            }
        }
        return cells.map { $0.joined(separator: "\n") }.filter { !$0.trimmingWhitespace().isEmpty }
    }

    /// Runs every cell; returns the process exit status (0 ok, 1 error, 130 interrupted).
    public func run() -> Int32 {
        guard let bytes = FileBytes.read(path) else {
            Self.write("xling run: cannot read \(path)\n", to: 2)
            return 1
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            Self.write("xling run: \(path) is not UTF-8 text\n", to: 2)
            return 1
        }
        let stem = path.hasSuffix(".xling") ? String(path.dropLast(6)) : path
        let interpreter = XlingInterpreter()
        var svgCount = 0
        for (index, cell) in Self.cells(of: text).enumerated() {
            var displays: [String: MimeBundle] = [:]
            var displayOrder: [String] = []
            func show(_ bundle: MimeBundle) {
                if let svg = bundle["image/svg+xml"]?.stringValue {
                    svgCount += 1
                    let file = "\(stem)-\(index + 1)-\(svgCount).svg"
                    if (try? AtomicFile.write(Array(svg.utf8), to: file)) != nil {
                        Self.write("[svg: \(file)]\n", to: 1)
                    } else {
                        Self.write("xling run: cannot write \(file)\n", to: 2)
                    }
                } else if let text = bundle["text/plain"]?.stringValue {
                    Self.write(text + "\n", to: 1)
                }
            }
            let context = ExecutionContext(
                executionCount: index + 1, silent: false, allowStdin: isatty(0) != 0,
                publish: { type, content, _ in
                    let data = content["data"]?.objectValue ?? [:]
                    switch type {
                    case "stream":
                        Self.write(content["text"]?.stringValue ?? "", to: content["name"]?.stringValue == "stderr" ? 2 : 1)
                    case "display_data", "update_display_data":
                        if let id = content["transient"]?["display_id"]?.stringValue {
                            if displays[id] == nil { displayOrder.append(id) }
                            displays[id] = data // live displays: only the final state is printed
                        } else {
                            show(data)
                        }
                    default: break
                    }
                },
                readInput: { prompt, _ in
                    Self.write(prompt, to: 1)
                    guard let line = readLine() else { throw ExecutionError(name: "EOFError", value: "no input for: \(prompt)") }
                    return line
                })
            do {
                let result = try interpreter.execute(cell, context: context)
                displayOrder.compactMap { displays[$0] }.forEach(show)
                if let data = result.data { show(data) }
                for payload in context.payloads { if let data = payload["data"]?.objectValue { show(data) } }
            } catch {
                displayOrder.compactMap { displays[$0] }.forEach(show)
                let failure = error as? ExecutionError
                let interrupted = error is Interrupted
                let message = interrupted ? "KeyboardInterrupt: interrupted" : failure.map { "\($0.name): \($0.value)" } ?? "\(error)"
                Self.write("cell \(index + 1) of \(path) failed:\n\(message)\n", to: 2)
                return interrupted ? 130 : 1
            }
        }
        return 0
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
