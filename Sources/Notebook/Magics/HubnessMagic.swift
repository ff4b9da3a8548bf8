import Embeddings
import Jupyter

/// `%hubness M [k=10]`: how unevenly target words are retrieved, NN vs CSLS.
struct HubnessMagic: Magic {
    static let k = Opt.int("k", min: 1, max: 100, default: 10, help: "the neighbourhood size of the k-occurrence N_k")
    static let top = Opt.int("top", min: 1, max: 100, default: 10, help: "how many hubs to list")
    static let maxRank = Opt.int("max_rank", min: 1, note: "all", help: "query only the N most frequent source words")
    static let spec = MagicSpec(
        name: "hubness", abstract: "hubness of a mapping's retrieval: k-occurrence skewness, top hubs and orphans, NN vs CSLS",
        positionals: [.init("mapping", .object, help: "a mapping from %align")],
        keys: [k, top, maxRank],
        discussion: """
            N_k(y) counts the source words that have target y among their k nearest neighbours. A high positive skewness means a few hubs \
            are the neighbours of many words; CSLS (Conneau et al. 2018) is meant to reduce it.
            """,
        examples: ["%hubness en_fr", "%hubness en_fr k=5 max_rank=5000"])

    let name: String
    let k: Int
    let top: Int
    let maxRank: Int?

    init(_ arguments: MagicArguments) throws {
        name = arguments.words[0]
        k = arguments[Self.k]
        top = arguments[Self.top]
        maxRank = arguments[Self.maxRank]
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let mapping = try session.mapping(name, for: "hubness")
        let mapped = try mapping.mapped()
        let (source, target) = try mapping.unitVectors()
        let queries = maxRank.map { Array(0..<min($0, source.rows)) }
        let reports = try Hubness.compare(
            source: source, target: target, queryRows: queries,
            k: min(k, target.rows), topHubs: top)
        let rows: [[TableCell]] = reports.map { report in
            let hubs = report.hubs.map { "\(mapped.target.vocabulary[$0.index]) (\($0.count))" }.joined(separator: ", ")
            return [
                .text(report.method.token), .double(report.skewness),
                .percent(Double(report.orphans) / Double(max(1, target.rows)) * 100), .text(hubs),
            ]
        }
        return Table(
            title: "hubness of `\(name)` (N_\(k) over \((queries?.count ?? source.rows).formatted) source words)",
            columns: ["retrieval", "N_k skewness", "targets never retrieved (%)", "top hubs (N_k)"], rows: rows
        ).mimeBundle
    }
}
