import Embeddings
import Jupyter

/// `%align METHOD src=S tgt=T dict=D …`: fit a supervised mapping between two spaces.
struct AlignMagic: Magic {
    static let methods = ["procrustes", "lstsq", "cca", "svd", "identical"]

    static let spec = MagicSpec(
        name: "align", abstract: "map one embedding space onto another from a dictionary (Procrustes, least squares, CCA, SVD) or from identical strings",
        positionals: [.init("method", .choice(methods), help: "procrustes (W = UVᵀ, Xing 2015), lstsq (Mikolov 2013), cca (Faruqui & Dyer 2014), svd (Smith 2017, both sides), identical (Procrustes on identical strings)")],
        options: [.init("src", .object, help: "the source vectors"),
                  .init("tgt", .object, help: "the target vectors"),
                  .init("dict", .object, help: "the training dictionary (not for identical)"),
                  .init("normalize", .list, help: "normalisations applied to both spaces first, in order: unit, center, unitdim (VecMap: unit,center,unit)"),
                  .init("refine", .int(min: 0, max: 100), default: "0", help: "Procrustes refinement steps with induced mutual-nearest-neighbour (CSLS) dictionaries (MUSE)"),
                  .init("max_rank", .int(min: 1, max: nil), default: "15000", help: "refinement and identical: consider only the N most frequent words of each side"),
                  .init("dim", .int(min: 1, max: nil), help: "cca/svd: keep this many dimensions"),
                  .init("threshold", .double(min: 0, max: nil), help: "svd: keep components with singular value ≥ threshold"),
                  .init("reg", .double(min: 0, max: nil), default: "0.00001", help: "cca: ε added to the covariance diagonals (raise it when there are fewer pairs than dimensions)"),
                  .init("as", .string, help: "the name of the mapping (default SRC_TGT)")],
        discussion: "The mapping keeps the (normalised) spaces it was fitted on; %eval bli, %neighbors and %hubness use them.",
        examples: ["%align procrustes src=en tgt=fr dict=train normalize=unit,center,unit as=en_fr",
                   "%align identical src=en tgt=fr refine=5", "%align svd src=en tgt=it dict=seed threshold=1"])

    let method: String
    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws {
        method = arguments.words[0]
        self.arguments = arguments
        for key in ["src", "tgt"] where !arguments.has(key) {
            throw MagicError.usage(magic: "align", message: "missing \(key)=NAME", usage: Self.spec.usage)
        }
        if method == "identical", arguments.has("dict") {
            throw MagicError.usage(magic: "align", message: "identical builds its own dictionary from identical strings; drop dict=", usage: Self.spec.usage)
        }
        if method != "identical", !arguments.has("dict") {
            throw MagicError.usage(magic: "align", message: "\(method) needs a training dictionary: dict=NAME (or use `%align identical`)", usage: Self.spec.usage)
        }
        if arguments.has("threshold"), method != "svd" {
            throw MagicError.usage(magic: "align", message: "threshold= applies to svd only", usage: Self.spec.usage)
        }
        if arguments.has("reg"), method != "cca" {
            throw MagicError.usage(magic: "align", message: "reg= applies to cca only", usage: Self.spec.usage)
        }
        if arguments.has("dim"), !["cca", "svd"].contains(method) {
            throw MagicError.usage(magic: "align", message: "dim= applies to cca and svd only", usage: Self.spec.usage)
        }
        if (arguments.int("refine") ?? 0) > 0, !["procrustes", "identical"].contains(method) {
            throw MagicError.usage(magic: "align", message: "refine= refines Procrustes mappings (procrustes, identical)", usage: Self.spec.usage)
        }
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let sourceName = arguments.string("src") ?? ""
        let targetName = arguments.string("tgt") ?? ""
        var source = try session.space(sourceName, for: "align").space
        var target = try session.space(targetName, for: "align").space
        var steps: [EmbeddingSpace.Normalization] = []
        if let chain = arguments.string("normalize") {
            switch EmbeddingSpace.Normalization.chain(chain) {
            case .success(let parsed): steps = parsed
            case .failure(let error): throw MagicError.usage(magic: "align", message: "normalize=: \(error)", usage: Self.spec.usage)
            }
        }
        source.normalize(steps)
        target.normalize(steps)
        let needsEqualDims = ["procrustes", "identical"].contains(method)
        if needsEqualDims, source.dimension != target.dimension {
            throw MagicError.failed(magic: "align", message: "dimension mismatch: `\(sourceName)` has \(source.dimension) dimensions, `\(targetName)` has \(target.dimension); \(method) needs equal dimensions (lstsq, cca and svd do not)")
        }
        let maxRank = arguments.int("max_rank") ?? 15_000
        var pairs: TrainingPairs
        var dictionaryNote: String
        if method == "identical" {
            pairs = IdenticalStrings.pairs(source: source, target: target, topN: maxRank)
            dictionaryNote = "\(pairs.count.formatted) identical strings among the top \(maxRank.formatted) words"
        } else {
            let dictName = arguments.string("dict") ?? ""
            let dictionary = try session.dictionary(dictName, for: "align")
            let lookup = TrainingPairs.lookUp(dictionary.wordPairs, source: source.vocabulary, target: target.vocabulary)
            pairs = lookup.pairs
            dictionaryNote = "\(pairs.count.formatted) of \(dictionary.dictionary.count.formatted) pairs of `\(dictName)` in both vocabularies"
        }
        guard !pairs.isEmpty else {
            throw MagicError.failed(magic: "align", message: "no training pair: \(dictionaryNote); check that the dictionary's source side matches `\(sourceName)` and its target side `\(targetName)` (same case, same direction)")
        }
        let mapping = try fit(source: source, target: target, pairs: pairs)
        var refinement = RefinementReport()
        var final = mapping
        let refine = arguments.int("refine") ?? 0
        if refine > 0 {
            (final, refinement) = try Refinement.run(steps: refine, initial: mapping, source: source, target: target,
                                                    maxRank: maxRank, context: context)
        }
        let name = arguments.string("as") ?? "\(sourceName)_\(targetName)"
        let object = MappingObject(mapping: final, method: method, sourceName: sourceName, targetName: targetName,
                                   source: source, target: target, pairsUsed: refinement.lastPairs ?? pairs.count)
        session.store(object, as: name, madeBy: "%align \(method) src=\(sourceName) tgt=\(targetName)", cell: context.executionCount)
        let fitCosine = try Self.meanCosine(object, pairs: pairs)
        var rows: [[TableCell]] = [
            [.text("method"), .text(method)], [.text("training pairs"), .text(dictionaryNote)],
            [.text("normalisation"), .text(steps.isEmpty ? "none" : steps.map(\.rawValue).joined(separator: ","))],
            [.text("dimensions"), .text("\(final.source.inputDimension) → \(final.source.outputDimension)")],
            [.text("mean cosine of training pairs after mapping"), .double(fitCosine)],
        ]
        if !final.singularValues.isEmpty, method == "cca" || method == "svd" {
            let top = final.singularValues.prefix(5).map { NumberText.fixed(Double($0), 3) }.joined(separator: ", ")
            rows.append([.text(method == "cca" ? "top canonical correlations" : "top singular values"), .text(top)])
        }
        if refine > 0 { rows.append([.text("refinement"), .text(refinement.summary)]) }
        return Table(title: "mapping `\(name)`", columns: ["property", "value"], rows: rows,
                     footnote: "stored as `\(name)`; try `%eval bli \(name) dict=…` or `%neighbors WORD in=\(name)`").mimeBundle
    }

    private func fit(source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs) throws -> BilingualMapping {
        do {
            switch method {
            case "lstsq": return BilingualMapping(source: try LeastSquares.fit(source: source, target: target, pairs: pairs))
            case "cca":
                do {
                    return try CCA.fit(source: source, target: target, pairs: pairs,
                                       epsilon: Float(arguments.double("reg") ?? Double(CCA.defaultEpsilon)), dim: arguments.int("dim"))
                } catch is LinearAlgebraError {
                    throw MagicError.failed(magic: "align", message: "cca: the covariance of the \(pairs.count) training pairs is singular (\(pairs.count) pairs for \(source.dimension) and \(target.dimension) dimensions); raise the regulariser, e.g. reg=0.01, or use more pairs")
                }
            case "svd":
                return try SVDMapping.fit(source: source, target: target, pairs: pairs, dim: arguments.int("dim"),
                                          threshold: arguments.double("threshold").map { Float($0) })
            default: return BilingualMapping(source: try Procrustes.fit(source: source, target: target, pairs: pairs))
            }
        } catch let error as MagicError {
            throw error
        } catch {
            throw MagicError.failed(magic: "align", message: "\(method) failed: \(error)")
        }
    }

    /// The mean cosine between mapped source and (mapped) target vectors of the training pairs.
    static func meanCosine(_ object: MappingObject, pairs: TrainingPairs) throws -> Double {
        let mapped = try object.mapped()
        var total = 0.0
        for (i, j) in zip(pairs.sourceRows, pairs.targetRows) {
            let a = mapped.source.vectors.row(i), b = mapped.target.vectors.row(j)
            var dot = 0.0, na = 0.0, nb = 0.0
            for k in 0..<a.count {
                dot += Double(a[k]) * Double(b[k])
                na += Double(a[k]) * Double(a[k])
                nb += Double(b[k]) * Double(b[k])
            }
            total += na > 0 && nb > 0 ? dot / (na * nb).squareRoot() : 0
        }
        return total / Double(max(1, pairs.count))
    }
}
