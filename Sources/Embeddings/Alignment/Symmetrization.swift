/// Heuristics that combine the two directional alignments of a corpus (source→target, where
/// each target word has ≤ 1 link, and target→source) into one, after Och & Ney (2003) and
/// Koehn et al. (2003) as described in Koehn, *Statistical Machine Translation* §4.5.3.
///
/// - `intersection`: links in both (high precision, one-to-one).
/// - `union`: links in either (high recall).
/// - `growDiag`: start from the intersection; repeatedly, for each link (in source, then target
///   order) add any of its 8 neighbours (horizontal, vertical, diagonal) that is in the union
///   and whose source or target word is still unaligned, until nothing is added.
/// - `growDiagFinal`: grow-diag, then add each remaining link of the forward and then of the
///   backward alignment whose source or target word is unaligned.
/// - `growDiagFinalAnd`: as `growDiagFinal`, but only links whose source *and* target words are
///   both unaligned.
///
/// Every result lies between the intersection and the union.
public enum Symmetrization: String, Sendable, CaseIterable {
    /// Links in both directions.
    case intersection
    /// Links in either direction.
    case union
    /// The intersection grown into neighbouring union links.
    case growDiag = "grow-diag"
    /// grow-diag, then directional links with an unaligned word.
    case growDiagFinal = "grow-diag-final"
    /// grow-diag, then directional links between two unaligned words.
    case growDiagFinalAnd = "grow-diag-final-and"

    /// Combines two alignments of the same corpus sentence by sentence.
    /// Precondition: both have the same number of sentences.
    public func apply(forward: WordAlignment, backward: WordAlignment) -> WordAlignment {
        precondition(forward.sentences.count == backward.sentences.count, "alignments of different corpora")
        return WordAlignment(sentences: zip(forward.sentences, backward.sentences).map { links(forward: $0, backward: $1) })
    }

    /// Combines the two directional link sets of one sentence pair; the result is sorted.
    public func links(forward: [AlignmentLink], backward: [AlignmentLink]) -> [AlignmentLink] {
        let a = Set(forward), b = Set(backward)
        switch self {
        case .intersection: return a.intersection(b).sorted()
        case .union: return a.union(b).sorted()
        case .growDiag, .growDiagFinal, .growDiagFinalAnd:
            var grower = Grower(start: a.intersection(b))
            grower.growDiagonally(within: a.union(b))
            if self != .growDiag {
                let both = self == .growDiagFinalAnd
                grower.final(forward.sorted(), requireBothUnaligned: both)
                grower.final(backward.sorted(), requireBothUnaligned: both)
            }
            return grower.links.sorted()
        }
    }

    /// The alignment being grown and which positions it covers.
    private struct Grower {
        var links: Set<AlignmentLink>
        var alignedSources: Set<Int32>
        var alignedTargets: Set<Int32>

        static let neighbours: [(Int32, Int32)] = [(-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)]

        init(start: Set<AlignmentLink>) {
            links = start
            alignedSources = Set(start.map(\.source))
            alignedTargets = Set(start.map(\.target))
        }

        mutating func add(_ link: AlignmentLink) {
            links.insert(link)
            alignedSources.insert(link.source)
            alignedTargets.insert(link.target)
        }

        mutating func growDiagonally(within union: Set<AlignmentLink>) {
            var added = true
            while added {
                added = false
                for link in links.sorted() {
                    for (ds, dt) in Self.neighbours {
                        let candidate = AlignmentLink(source: link.source + ds, target: link.target + dt)
                        guard union.contains(candidate), !links.contains(candidate),
                            !alignedSources.contains(candidate.source) || !alignedTargets.contains(candidate.target)
                        else { continue }
                        add(candidate)
                        added = true
                    }
                }
            }
        }

        mutating func final(_ directional: [AlignmentLink], requireBothUnaligned: Bool) {
            for link in directional where !links.contains(link) {
                let sourceFree = !alignedSources.contains(link.source), targetFree = !alignedTargets.contains(link.target)
                if requireBothUnaligned ? (sourceFree && targetFree) : (sourceFree || targetFree) { add(link) }
            }
        }
    }
}
