import Embeddings
import Jupyter

/// `%save NAME path=F [format=vec|bin|txt|pharaoh] [side=source|target]`: write vectors, a mapped
/// space, a mapping matrix or a word alignment, atomically.
struct SaveMagic: Magic {
    static let path = Opt.required("path", .path, help: "the file to write (replaced atomically)")
    static let format = Opt.text(
        "format", .choice(["vec", "bin", "txt", "pharaoh"]), default: "vec",
        help: """
            vec: word2vec text; bin: word2vec binary; txt: a mapping's matrix W (rows = input dims), \
            numpy.loadtxt-readable; pharaoh: a word alignment's 0-based `i-j` links, one line per sentence pair \
            (the default for alignments)
            """)
    static let side = Opt.text(
        "side", .choice(["source", "target"]), default: "source",
        help: "for a mapping: which side's mapped space or matrix")
    static let spec = MagicSpec(
        name: "save", abstract: "write vectors (or a mapping's mapped space, or its matrix, or a word alignment) to a file, atomically",
        positionals: [.init("name", .object, help: "the vectors, mapping or word alignment to write")],
        keys: [path, format, side],
        examples: [
            "%save en path=en.vec", "%save en_fr path=en-mapped.vec", "%save en_fr path=W.txt format=txt", "%save wa path=hansard.align",
        ])

    let name: String
    let path: String
    let format: String
    let formatGiven: Bool
    let side: String

    init(_ arguments: MagicArguments) throws {
        name = arguments.words[0]
        path = arguments[Self.path]
        format = arguments[Self.format]
        formatGiven = arguments.has(Self.format)
        side = arguments[Self.side]
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let object = try session.object(name, for: "save")
        var what = ""
        do {
            switch object {
            case let space as SpaceObject:
                guard format != "txt", format != "pharaoh" else {
                    throw Self.failure(
                        """
                        format=\(format) writes \(format == "txt" ? "a mapping's matrix" : "a word alignment"); `\(name)` is vectors (use \
                        vec or bin)
                        """)
                }
                try VectorWriter.save(space.space, to: path, format: format == "bin" ? .binary : .text)
                what = "\(space.space.count.formatted) × \(space.space.dimension) vectors" + Self.normalizationNote(space.space)
            case let mapping as MappingObject:
                guard format != "pharaoh" else {
                    throw Self.failure("format=pharaoh writes a word alignment; `\(name)` is a mapping (use vec, bin or txt)")
                }
                if format == "txt" {
                    let map = side == "source" ? mapping.mapping.source : mapping.mapping.target
                    guard let map else {
                        throw Self.failure("`\(name)` (\(mapping.method)) maps the source side only; the target is unchanged")
                    }
                    try AtomicFile.write(Array(Self.matrixText(map).utf8), to: path)
                    what = "\(map.inputDimension) × \(map.outputDimension) matrix (\(map.method))"
                } else {
                    let mapped = try mapping.mapped()
                    let space = side == "source" ? mapped.source : mapped.target
                    try VectorWriter.save(space, to: path, format: format == "bin" ? .binary : .text)
                    what = "\(space.count.formatted) × \(space.dimension) mapped \(side) vectors" + Self.normalizationNote(space)
                }
            case let alignment as AlignmentObject:
                guard !formatGiven || format == "pharaoh" else {
                    throw Self.failure(
                        """
                        `\(name)` is a word alignment; it is written as Pharaoh `i-j` links (leave out format= or use format=pharaoh)
                        """)
                }
                try AtomicFile.write(Array(PharaohFormat.text(alignment.alignment).utf8), to: path)
                what = """
                    \(alignment.alignment.linkCount.formatted) \(alignment.methodName) links of \
                    \(alignment.parallel.sentenceCount.formatted) sentence pairs (Pharaoh, 0-based)
                    """
            default:
                throw Self.failure("`\(name)` is \(object.kind); %save writes vectors, mappings and word alignments")
            }
        }
        let size = FileBytes.read(path)?.count ?? 0
        return ["text/plain": .string("wrote \(what) to \(path) (\(size.formatted) bytes)")]
    }

    /// What was applied to a space before saving (word2vec files cannot record it).
    static func normalizationNote(_ space: EmbeddingSpace) -> String {
        space.normalizations.isEmpty ? "" : ", normalised " + space.normalizations.map(\.rawValue).joined(separator: ",")
    }

    /// A matrix as text: one row per line, values in shortest round-trip form; a `# mean …`
    /// comment line first when the map subtracts a mean (numpy.loadtxt skips it).
    static func matrixText(_ map: LinearMap) -> String {
        var lines: [String] = ["# xling \(map.method): y = (x - mean) · W, W is \(map.inputDimension)×\(map.outputDimension)"]
        if let mean = map.sourceMean { lines.append("# mean " + mean.map { "\($0)" }.joined(separator: " ")) }
        let w = map.weights
        for i in 0..<w.rows {
            lines.append((0..<w.cols).map { "\(w[i, $0])" }.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
