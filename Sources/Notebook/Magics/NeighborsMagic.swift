import Embeddings
import Jupyter

/// `%neighbors WORD [in=S] [lang=…] [k=10] [retrieval=nn|csls]`: nearest words per language,
/// one column per language (like Table 2 of Shi et al. 2015).
struct NeighborsMagic: Magic {
    /// `retrieval=`: plain cosine or CSLS neighbours.
    enum Retrieval: String, OptionChoice { case nn, csls }
    static let space = Opt.text("in", .object, note: "the latest mapping", help: "a mapping (both languages) or vectors")
    static let lang = Opt.list("lang", note: "all of the space", help: "the languages to show")
    static let k = Opt.int("k", min: 1, max: 1000, default: 10, help: "neighbours per language")
    static let retrieval = Opt.choice("retrieval", default: Retrieval.nn, help: "nn (cosine) or csls (CSLS, k = 10)")
    static let spec = MagicSpec(
        name: "neighbors", abstract: "the nearest words of a word in each language of a space or mapping",
        positionals: [.init("word", .word, help: "the query word (looked up in the source language first)")],
        keys: [space, lang, k, retrieval],
        examples: ["%neighbors january in=en_fr", "%neighbors chat in=en_fr lang=en retrieval=csls"])

    let word: String
    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws {
        word = arguments.words[0]
        self.arguments = arguments
    }

    /// One language column: its (mapped) space, its unit rows, its language code, and for a
    /// mapping whether it is the source side (CSLS statistics are cached per direction).
    struct Side {
        let language: String
        let space: EmbeddingSpace
        let unit: Matrix
        let mapping: MappingObject?
        let isSource: Bool
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let sides = try Self.sides(of: arguments[Self.space], session: session)
        guard let home = sides.first(where: { $0.space.vocabulary.contains(word) }),
            let row = home.space.vocabulary.id(word)
        else {
            let vocabulary = sides.flatMap { $0.space.vocabulary.words.prefix(20_000) }
            let hint = Suggestion.closest(to: word, in: vocabulary).map { " — did you mean `\($0)`?" } ?? ""
            throw Self.failure("`\(word)` is not in the vocabulary of \(sides.map(\.language).joined(separator: " or "))\(hint)")
        }
        var shown = sides
        if let languages = arguments[Self.lang] {
            for language in languages where !sides.contains(where: { $0.language == language }) {
                throw Self.failure("no language `\(language)` here (have \(sides.map(\.language).joined(separator: ", ")))")
            }
            shown = sides.filter { languages.contains($0.language) }
        }
        let k = arguments[Self.k]
        let csls = arguments[Self.retrieval] == .csls
        var columns: [[(word: String, score: Float)]] = []
        for side in shown {
            let sameLanguage = side.language == home.language
            let useCSLS = csls && !sameLanguage
            let statistics = try useCSLS ? home.mapping?.cslsStatistics(fromSource: home.isSource, k: 10) : nil
            let found = try NeighborSearch().search(
                source: home.unit, target: sameLanguage ? home.unit : side.unit,
                queryRows: [row], k: min(k + (sameLanguage ? 1 : 0), side.unit.rows),
                method: useCSLS ? .csls(k: 10) : .nn, statistics: statistics)
            let list = found[query: 0].filter { !sameLanguage || $0.index != row }.prefix(k)
            columns.append(list.map { (side.space.vocabulary[$0.index], $0.score) })
        }
        var rows: [[TableCell]] = []
        for rank in 0..<k {
            var cells: [TableCell] = [.int(rank + 1)]
            for column in columns {
                cells += rank < column.count ? [.text(column[rank].word), .double(Double(column[rank].score))] : [.empty, .empty]
            }
            rows.append(cells)
        }
        let header =
            ["rank"]
            + shown.flatMap {
                [
                    $0.language,
                    """
                    \($0.language) \(csls && $0.language != home.language ? "CSLS" : "cosine")
                    """,
                ]
            }
        return Table(title: "nearest neighbours of `\(word)` (\(home.language))", columns: header, rows: rows).mimeBundle
    }

    /// The language columns of a stored object: both (mapped) sides of a mapping, or one space.
    static func sides(of name: String?, session: Session) throws(MagicError) -> [Side] {
        let latest = session.order.last(where: { session.objects[$0]?.object is MappingObject })
        guard let chosen = name ?? latest else {
            throw Self.failure("no mapping in the session; give in=NAME (vectors or a mapping)")
        }
        let object = try session.object(chosen, for: "neighbors")
        switch object {
        case let mapping as MappingObject:
            let mapped: (source: EmbeddingSpace, target: EmbeddingSpace)
            let unit: (source: Matrix, target: Matrix)
            do {
                mapped = try mapping.mapped()
                unit = try mapping.unitVectors()
            } catch {
                throw Self.failure("\(error)")
            }
            let sourceLanguage = mapped.source.language ?? mapping.sourceName
            var targetLanguage = mapped.target.language ?? mapping.targetName
            if targetLanguage == sourceLanguage { targetLanguage = mapping.targetName }
            return [
                Side(language: sourceLanguage, space: mapped.source, unit: unit.source, mapping: mapping, isSource: true),
                Side(language: targetLanguage, space: mapped.target, unit: unit.target, mapping: mapping, isSource: false),
            ]
        case let space as SpaceObject:
            return [
                Side(
                    language: space.space.language ?? chosen, space: space.space, unit: space.unitVectors(),
                    mapping: nil, isSource: true)
            ]
        default:
            throw Self.failure("`\(chosen)` is \(object.kind); give vectors or a mapping")
        }
    }
}
