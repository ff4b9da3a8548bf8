import Embeddings
import Jupyter

extension TSNEMagic {
    /// Stores the 2-d map as `name` (`as=`): one language gives vectors (N × 2), two give a
    /// joint space (each language's chosen words × 2, identity map), for `%who` and `%save`.
    /// Rows follow the selection's order (frequency order within each language). Map
    /// coordinates are centred at the origin: Euclidean distances between near points carry
    /// the picture's meaning, cosines do not.
    func storeMap(
        _ result: TSNEResult, selection: Selection, objectName: String, as name: String,
        session: Session, context: ExecutionContext
    ) throws {
        var spaces: [EmbeddingSpace] = []
        for (l, language) in selection.languages.enumerated() {
            let rows = selection.points.indices.filter { selection.points[$0].language == l }
            var storage: [Float] = []
            storage.reserveCapacity(2 * rows.count)
            for i in rows { storage += [result.coordinates[i, 0], result.coordinates[i, 1]] }
            spaces.append(
                try EmbeddingSpace(
                    vocabulary: Vocabulary(rows.map { selection.word($0) }),
                    vectors: Matrix(rows: rows.count, cols: 2, values: storage), language: language.code))
        }
        let madeBy = "%tsne \(objectName) (\(selection.points.count) points, \(result.completedIterations) iterations)"
        if spaces.count == 2 {
            let object = MappingObject(
                mapping: BilingualMapping(source: .identity(2, method: "joint")), method: "t-SNE map",
                sourceName: selection.languages[0].code, targetName: selection.languages[1].code,
                source: spaces[0], target: spaces[1], pairsUsed: 0)
            session.store(object, as: name, madeBy: madeBy, cell: context.executionCount)
        } else if let space = spaces.first {
            session.store(SpaceObject(space, origin: madeBy), as: name, madeBy: madeBy, cell: context.executionCount)
        }
    }
}
