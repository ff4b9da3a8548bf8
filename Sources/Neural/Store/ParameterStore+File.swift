import XlingCore

#if canImport(Glibc)
import Glibc
#endif

/// Checkpoints: `save` writes every parameter by name; `load` reads them back into a store
/// built the same way (names and shapes must match).
///
/// Format (little-endian): the 8 bytes `XLNPARM1`, a UInt32 parameter count, then per parameter
/// a UInt32 name length, the UTF-8 name, UInt32 rows, UInt32 cols and rows·cols float32 values.
extension ParameterStore {
    static let fileMagic = Array("XLNPARM1".utf8)

    /// The values in the file format below (what `save` writes; embed it in a larger file).
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = Self.fileMagic
        bytes.reserveCapacity(12 + values.reduce(0) { $0 + 16 + 4 * $1.storage.count })
        func put(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        put(UInt32(count))
        for (name, value) in zip(names, values) {
            let utf8 = Array(name.utf8)
            put(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
            put(UInt32(value.rows))
            put(UInt32(value.cols))
            for x in value.storage { put(x.bitPattern) }
        }
        return bytes
    }

    /// Writes the values to `path`; throws when the file cannot be written.
    public func save(to path: String) throws(NeuralError) {
        let bytes = encoded()
        guard let file = fopen(path, "wb") else {
            throw NeuralError("cannot write parameters to \(path)", fix: "check that the directory exists and is writable")
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file) == 0
        guard written == bytes.count, closed else { throw NeuralError("writing \(path) failed after \(written) of \(bytes.count) bytes") }
    }

    /// Reads values saved by `save` into this store: every name of the file must be a parameter
    /// of the same shape, and every parameter must be in the file.
    public mutating func load(from path: String) throws(NeuralError) {
        guard let file = fopen(path, "rb") else { throw NeuralError("cannot read parameters from \(path)", fix: "check the path") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        fclose(file)
        var offset = 0
        try decode(bytes, at: &offset, source: path)
    }

    /// Reads values in the `encoded()` format from `bytes` starting at `offset` (advanced past
    /// them) into this store, with the checks of `load`; `source` names the file in errors. The
    /// store is unchanged when it throws.
    public mutating func decode(_ bytes: [UInt8], at offset: inout Int, source path: String) throws(NeuralError) {
        func take(_ n: Int) throws(NeuralError) -> ArraySlice<UInt8> {
            guard n >= 0, offset + n <= bytes.count else { throw NeuralError("\(path) is truncated", fix: "save the parameters again") }
            defer { offset += n }
            return bytes[offset..<offset + n]
        }
        func word() throws(NeuralError) -> UInt32 {
            let s = try take(4)
            return s.reversed().reduce(0) { $0 << 8 | UInt32($1) }
        }
        guard Array(try take(8)) == Self.fileMagic else {
            throw NeuralError("\(path) is not an xling parameter file", fix: "give a file written by ParameterStore.save")
        }
        let n = Int(try word())
        var seen = Set<String>()
        var loaded = values
        for _ in 0..<n {
            let name = String(decoding: try take(Int(try word())), as: UTF8.self)
            let rows = Int(try word()), cols = Int(try word())
            guard let p = parameter(named: name) else {
                throw NeuralError("\(path) holds parameter \(name), which this model does not have", fix: "load it into the same model")
            }
            guard loaded[p.index].rows == rows, loaded[p.index].cols == cols else {
                throw NeuralError("parameter \(name) is \(rows)×\(cols) in \(path) but \(values[p.index].shapeDescription) here")
            }
            let raw = try take(4 * rows * cols)
            raw.withUnsafeBytes { source in
                for k in 0..<rows * cols {
                    loaded[p.index].storage[k] = Float(
                        bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)))
                }
            }
            seen.insert(name)
        }
        if let missing = names.first(where: { !seen.contains($0) }) {
            throw NeuralError("\(path) has no parameter \(missing)", fix: "load a file saved from the same model")
        }
        values = loaded
    }
}
