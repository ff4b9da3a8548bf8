import Testing
import XlingCore

#if canImport(Glibc)
import Glibc
#endif

/// A golden fixture written by `Tests/reference/neural_torch_reference.py`: named tensors
/// (`name rows cols values…`, float64 text) and the batch's lengths.
struct Fixture {
    var tensors: [String: (rows: Int, cols: Int, values: [Double])] = [:]
    var lengths: [Int] = []

    /// Reads `Fixtures/<name>.txt` beside this file.
    init(_ name: String, filePath: String = #filePath) throws {
        let directory = String(filePath[..<filePath.lastIndex(of: "/")!])
        let path = directory + "/Fixtures/\(name).txt"
        guard let file = fopen(path, "r") else { throw FixtureError(problem: "cannot open \(path)") }
        defer { fclose(file) }
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n <= 0 { break }
            text.append(contentsOf: buffer[0..<n])
        }
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields[0] == "lengths" {
                lengths = fields.dropFirst().map { Int($0)! }
                continue
            }
            let rows = Int(fields[1])!, cols = Int(fields[2])!
            tensors[String(fields[0])] = (rows, cols, fields.dropFirst(3).map { Double($0)! })
        }
    }

    /// The tensor `name` as a float32 matrix.
    func matrix(_ name: String) -> Matrix {
        guard let t = tensors[name] else { preconditionFailure("fixture has no \(name)") }
        var m = Matrix(rows: t.rows, cols: t.cols)
        for k in t.values.indices { m.storage[k] = Float(t.values[k]) }
        return m
    }

    /// Checks `actual` against the reference `name`: max|a − r| ≤ atol + rtol·max|r|.
    func expectClose(
        _ actual: Matrix, _ name: String, rtol: Double, atol: Double = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let t = tensors[name] else {
            Issue.record("fixture has no \(name)", sourceLocation: sourceLocation)
            return
        }
        guard actual.rows == t.rows, actual.cols == t.cols else {
            Issue.record("\(name): \(actual.shapeDescription) vs \(t.rows)×\(t.cols)", sourceLocation: sourceLocation)
            return
        }
        let scale = t.values.map { abs($0) }.max() ?? 0
        let worst = zip(actual.storage, t.values).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst <= atol + rtol * scale, "\(name): max difference \(worst), reference scale \(scale)", sourceLocation: sourceLocation)
    }
}

struct FixtureError: Error { let problem: String }
