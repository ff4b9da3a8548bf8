import Embeddings
import Jupyter

/// `%align METHOD src=S tgt=T …`: the family of mappings between two spaces. Each method is its
/// own magic (`Align…Magic`) conforming to `AlignMethod`, which holds the shared run.
enum AlignMagic: MagicFamily {
    static let familyName = "align"
    static let abstract =
        "map one embedding space onto another (Procrustes, least squares, CCA, SVD, identical strings, VecMap, RCSLS, MUSE)"
    nonisolated(unsafe) static let methods: [any Magic.Type] = [
        AlignProcrustesMagic.self,
        AlignLstsqMagic.self,
        AlignCCAMagic.self,
        AlignSVDMagic.self,
        AlignIdenticalMagic.self,
        AlignVecMapMagic.self,
        AlignRCSLSMagic.self,
        AlignMUSEMagic.self,
    ]
    static let discussion = "The mapping keeps the (normalised) spaces it was fitted on; %eval bli, %neighbors and %hubness use them."
}

/// The keys the mapping methods share.
enum AlignKeys {
    static let src = Opt.required("src", .object, help: "the source vectors")
    static let tgt = Opt.required("tgt", .object, help: "the target vectors")
    static let dict = Opt.required("dict", .object, help: "the training dictionary")
    static let normalize = Opt.list(
        "normalize", note: "none",
        help: """
            normalisations applied to both spaces first, in order: unit, center, unitdim (VecMap: unit,center,unit)
            """)
    static let refine = Opt.int(
        "refine", min: 0, max: 100, default: 0,
        help: """
            Procrustes refinement steps with induced mutual-nearest-neighbour (CSLS) dictionaries (MUSE)
            """)
    static let maxRank = Opt.int(
        "max_rank", min: 1, default: 15_000,
        help: "refinement and identical: consider only the N most frequent words of each side")
    static let name = CommonOptions.name("SRC_TGT")
    /// The keys of every supervised method; a method adds its own.
    static let supervised: [any OptionDeclaration] = [src, tgt, dict, normalize]
}

/// A mapping method of `%align`: how it gets its training pairs and fits; the rest (spaces,
/// normalisation, refinement, storing, the summary) is shared.
protocol AlignMethod: Magic {
    /// The method's name, as written after `%align`.
    static var method: String { get }
    /// Whether source and target must have the same dimension (orthogonal maps).
    static var needsEqualDimensions: Bool { get }
    /// The validated arguments.
    var arguments: MagicArguments { get }
    /// Fits the map on the pairs.
    func fit(source: EmbeddingSpace, target: EmbeddingSpace, pairs: TrainingPairs) throws -> BilingualMapping
    /// Refinement steps after the fit (default 0).
    var refinementSteps: Int { get }
    /// The training pairs and a note for the summary (default: `dict=` looked up in both vocabularies).
    func trainingPairs(source: EmbeddingSpace, target: EmbeddingSpace, session: Session) throws -> (TrainingPairs, String)
    /// Rows the method adds to the summary table (default none).
    func summaryRows(_ mapping: BilingualMapping) -> [[TableCell]]
}

extension AlignMethod {
    static var method: String { spec.methodName ?? spec.name }
    static var needsEqualDimensions: Bool { false }

    /// Refinement steps after the fit (0: none); Procrustes methods read `refine=`.
    var refinementSteps: Int { 0 }

    /// The training pairs from `dict=`, with a note for the summary.
    func trainingPairs(source: EmbeddingSpace, target: EmbeddingSpace, session: Session) throws -> (TrainingPairs, String) {
        let dictName = arguments[AlignKeys.dict]
        let dictionary = try session.dictionary(dictName, for: "align")
        let lookup = TrainingPairs.lookUp(dictionary.wordPairs, source: source.vocabulary, target: target.vocabulary)
        let note = "\(lookup.pairs.count.formatted) of \(dictionary.dictionary.count.formatted) pairs of `\(dictName)` in both vocabularies"
        return (lookup.pairs, note)
    }

    /// Rows the method adds to the summary table.
    func summaryRows(_ mapping: BilingualMapping) -> [[TableCell]] { [] }

    /// A row with the five largest singular values or correlations of the fit, if it has any.
    static func topValuesRows(_ mapping: BilingualMapping, label: String) -> [[TableCell]] {
        guard !mapping.singularValues.isEmpty else { return [] }
        let top = mapping.singularValues.prefix(5).map { NumberText.fixed(Double($0), 3) }.joined(separator: ", ")
        return [[.text(label), .text(top)]]
    }

    /// Normalises both spaces, fits, refines (when asked), stores and summarises the mapping.
    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let sourceName = arguments[AlignKeys.src]
        let targetName = arguments[AlignKeys.tgt]
        var source = try session.space(sourceName, for: "align").space
        var target = try session.space(targetName, for: "align").space
        var steps: [EmbeddingSpace.Normalization] = []
        if let chain = arguments[AlignKeys.normalize]?.joined(separator: ",") {
            switch EmbeddingSpace.Normalization.chain(chain) {
            case .success(let parsed): steps = parsed
            case .failure(let error): throw arguments.usageError("normalize=: \(error)")
            }
        }
        source.normalize(steps)
        target.normalize(steps)
        if Self.needsEqualDimensions, source.dimension != target.dimension {
            throw Self.failure(
                """
                dimension mismatch: `\(sourceName)` has \(source.dimension) dimensions, `\(targetName)` has \(target.dimension); \
                \(Self.method) needs equal dimensions (lstsq, cca and svd do not)
                """)
        }
        let (pairs, dictionaryNote) = try trainingPairs(source: source, target: target, session: session)
        guard !pairs.isEmpty else {
            throw Self.failure(
                """
                no training pair: \(dictionaryNote); check that the dictionary's source side matches `\(sourceName)` and its target side \
                `\(targetName)` (same case, same direction)
                """)
        }
        let mapping = try fit(source: source, target: target, pairs: pairs)
        var refinement = RefinementReport()
        var final = mapping
        let refine = refinementSteps
        if refine > 0 {
            (final, refinement) = try Refinement.run(
                steps: refine, initial: mapping, source: source, target: target,
                maxRank: arguments[AlignKeys.maxRank], context: context)
        }
        let name = arguments.resultName("\(sourceName)_\(targetName)")
        let object = MappingObject(
            mapping: final, method: Self.method, sourceName: sourceName, targetName: targetName,
            source: source, target: target, pairsUsed: refinement.lastPairs ?? pairs.count)
        session.store(object, as: name, madeBy: "%align \(Self.method) src=\(sourceName) tgt=\(targetName)", cell: context.executionCount)
        let fitCosine = try Self.meanCosine(object, pairs: pairs)
        var rows: [[TableCell]] = [
            [.text("method"), .text(Self.method)], [.text("training pairs"), .text(dictionaryNote)],
            [.text("normalisation"), .text(steps.isEmpty ? "none" : steps.map(\.rawValue).joined(separator: ","))],
            [.text("dimensions"), .text("\(final.source.inputDimension) → \(final.source.outputDimension)")],
            [.text("mean cosine of training pairs after mapping"), .double(fitCosine)],
        ]
        rows += summaryRows(final)
        if let warning = Self.underdetermination(mapping, dimension: source.dimension, pairs: pairs.count, refine: refine) {
            rows.append([.text("warning"), .text(warning)])
        }
        if refine > 0 { rows.append([.text("refinement"), .text(refinement.summary)]) }
        return Table(
            title: "mapping `\(name)`", columns: ["property", "value"], rows: rows,
            footnote: "stored as `\(name)`; try `%eval bli \(name) dict=…` or `%neighbors WORD in=\(name)`"
        ).mimeBundle
    }

    /// A warning when an orthogonal fit is not determined by its pairs (`Procrustes.determinedDirections`
    /// below the dimension), else nil.
    static func underdetermination(_ mapping: BilingualMapping, dimension: Int, pairs: Int, refine: Int) -> String? {
        guard mapping.source.method == "procrustes", !mapping.singularValues.isEmpty else { return nil }
        let determined = Procrustes.determinedDirections(singularValues: mapping.singularValues)
        guard determined < dimension else { return nil }
        let cause =
            pairs < dimension
            ? "\(pairs.formatted) pairs for \(dimension) dimensions"
            : "\(pairs.formatted) pairs spanning fewer than \(dimension) directions"
        let after = refine > 0 ? "; refinement refits on its induced pairs but starts from this map" : ""
        return """
            \(cause): the pairs fix the map on \(determined) of \(dimension) directions; on the other \(dimension - determined) it is \
            arbitrary, decided by rounding, so results can differ between machines\(after); more pairs (at least \(dimension), spanning \
            the space) make it unique
            """
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
