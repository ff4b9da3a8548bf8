/// Hubness of cross-lingual retrieval (Radovanović et al. 2010; Dinu et al. 2015):
/// k-occurrence N_k(y) = the number of queries that have target y among their k nearest
/// neighbours (under NN or CSLS), its skewness, and the strongest hubs.
///
/// A strongly right-skewed N_k distribution (a few targets that are neighbours of very many
/// queries) is the hubness problem CSLS is meant to reduce.
public enum Hubness {
    /// The hubness of one retrieval method.
    public struct Report: Sendable, Equatable {
        /// The retrieval method used to find each query's k neighbours.
        public var method: RetrievalMethod
        /// The neighbourhood size k of N_k.
        public var k: Int
        /// Number of queries.
        public var queryCount: Int
        /// N_k for every target row (Σ = queryCount × min(k, target rows)).
        public var occurrences: [Int]
        /// Population skewness of `occurrences` (see `skewness(_:)`).
        public var skewness: Double
        /// The top hubs as (target index, N_k), by N_k descending then index ascending.
        public var hubs: [(index: Int, count: Int)]
        /// Targets that are no query's neighbour (N_k = 0, "anti-hubs").
        public var orphans: Int

        /// Equality over all fields (hubs compared element-wise).
        public static func == (a: Report, b: Report) -> Bool {
            a.method == b.method && a.k == b.k && a.queryCount == b.queryCount
                && a.occurrences == b.occurrences && a.skewness == b.skewness && a.orphans == b.orphans
                && a.hubs.map(\.index) == b.hubs.map(\.index) && a.hubs.map(\.count) == b.hubs.map(\.count)
        }
    }

    /// Measures hubness of retrieving `target` rows for `source` rows.
    ///
    /// - Parameters:
    ///   - source: mapped source vectors (nS × d), unit rows.
    ///   - target: target vectors (nT × d), unit rows, same dimension.
    ///   - queryRows: the source rows used as queries (all when nil); CSLS statistics are
    ///     still over the whole source space.
    ///   - k: neighbourhood size of N_k (default 10).
    ///   - method: `.nn` or `.csls(k:)` (any `RetrievalMethod` works).
    ///   - topHubs: how many hubs to list.
    ///   - statistics: precomputed CSLS statistics to reuse.
    /// - Throws: `ShapeError` for a dimension mismatch, k < 1 or a bad query row.
    public static func analyze(
        source: Matrix, target: Matrix, queryRows: [Int]? = nil, k: Int = 10,
        method: RetrievalMethod, topHubs: Int = 10,
        statistics: CSLSStatistics? = nil,
        search: NeighborSearch = NeighborSearch()
    ) throws(ShapeError) -> Report {
        let found = try search.search(
            source: source, target: target, queryRows: queryRows, k: k,
            method: method, statistics: statistics)
        return report(found, targetCount: target.rows, k: k, method: method, topHubs: topHubs)
    }

    /// Hubness of NN and CSLS (k = `cslsK`) retrieval, sharing one CSLS statistics pass.
    /// - Throws: as `analyze`.
    public static func compare(
        source: Matrix, target: Matrix, queryRows: [Int]? = nil, k: Int = 10,
        cslsK: Int = 10, topHubs: Int = 10,
        search: NeighborSearch = NeighborSearch()
    ) throws(ShapeError) -> [Report] {
        let nn = try analyze(
            source: source, target: target, queryRows: queryRows, k: k, method: .nn,
            topHubs: topHubs, search: search)
        let csls = try analyze(
            source: source, target: target, queryRows: queryRows, k: k,
            method: .csls(k: cslsK), topHubs: topHubs, search: search)
        return [nn, csls]
    }

    /// Builds the report from retrieval results (`found.k` neighbours per query).
    static func report(
        _ found: NeighborSearch.Neighbors, targetCount: Int, k: Int,
        method: RetrievalMethod, topHubs: Int
    ) -> Report {
        var occurrences = [Int](repeating: 0, count: targetCount)
        for index in found.indices where index >= 0 { occurrences[index] += 1 }
        let order = occurrences.indices.sorted { a, b in
            occurrences[a] != occurrences[b] ? occurrences[a] > occurrences[b] : a < b
        }
        let hubs = order.prefix(max(0, topHubs)).map { (index: $0, count: occurrences[$0]) }
        return Report(
            method: method, k: k, queryCount: found.queryCount, occurrences: occurrences,
            skewness: skewness(occurrences), hubs: hubs,
            orphans: occurrences.lazy.filter { $0 == 0 }.count)
    }

    /// Population skewness (third standardised moment) E[(N − μ)³] / σ³ with σ² = E[(N − μ)²]
    /// (divide by n, no bias correction); 0 for an empty or constant sample.
    public static func skewness(_ values: [Int]) -> Double {
        guard !values.isEmpty else { return 0 }
        let n = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / n
        var m2 = 0.0, m3 = 0.0
        for v in values {
            let d = Double(v) - mean
            m2 += d * d
            m3 += d * d * d
        }
        m2 /= n
        m3 /= n
        guard m2 > 0 else { return 0 }
        return m3 / (m2 * m2.squareRoot())
    }
}
