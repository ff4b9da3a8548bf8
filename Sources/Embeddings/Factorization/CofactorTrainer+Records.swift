#if canImport(Glibc)
import Glibc
#endif

extension CofactorTrainer {
    /// The elements of all terms, in term order (monolingual 1, monolingual 2, cross), and how
    /// the cross term was weighed (`CofactorBalance`). A CLC count gives one element
    /// (`.words`) or two (`.wordsWithContexts`); with balancing every cross element is
    /// repeated `balance.repeats` times.
    func makeRecords(
        first: CooccurrenceMatrix, second: CooccurrenceMatrix, cross: CrossLingualObjective
    ) -> ([CofactorRecord], CofactorBalance) {
        var records: [CofactorRecord] = []
        records.reserveCapacity(first.count + second.count + 2 * cross.count)
        let firstMass = Self.appendPMI(
            first, kind: .first, xMax: options.monolingualXMax, alpha: options.alpha,
            weight: options.firstWeight, to: &records)
        let secondMass = Self.appendPMI(
            second, kind: .second, xMax: options.monolingualXMax, alpha: options.alpha,
            weight: options.secondWeight, to: &records)
        var crossRecords: [CofactorRecord] = []
        var crossMass = 0.0
        switch cross {
        case .cooccurrence(let matrix):
            switch options.crossFactors {
            case .words:
                crossMass = Self.appendPMI(
                    matrix, kind: .cross, xMax: options.crossXMax, alpha: options.alpha, weight: 1, to: &crossRecords)
            case .wordsWithContexts:
                crossMass = Self.appendPMI(
                    matrix, kind: .crossFirstWord, xMax: options.crossXMax, alpha: options.alpha, weight: 1,
                    to: &crossRecords)
                let count = crossRecords.count
                for i in 0..<count {
                    var r = crossRecords[i]
                    swap(&r.a, &r.b)
                    r.kind = .crossSecondWord
                    crossRecords.append(r)
                }
                crossMass *= 2
            }
        case .similarity(let pairs):
            for p in pairs {
                crossRecords.append(CofactorRecord(a: p.source, b: p.target, target: 0, weight: p.similarity, kind: .similarity))
                crossMass += Double(p.similarity)
            }
        case .none:
            break
        }
        let balance = CofactorBalance.make(
            first: firstMass, second: secondMass, cross: crossMass, crossWeight: options.crossWeight,
            balanced: options.balanceCross)
        let factor = options.crossWeight * balance.scale / Double(balance.repeats)
        records.reserveCapacity(records.count + crossRecords.count * balance.repeats)
        for _ in 0..<balance.repeats {
            for var r in crossRecords {
                r.weight = Float(factor * Double(r.weight))
                records.append(r)
            }
        }
        return (records, balance)
    }

    /// Appends the elements of `matrix` with PMI targets M_jk = log X_jk + log ΣX − log X_j· −
    /// log X_·k (computed in Double) and weights ω·f(X_jk), f of eq. 3; returns Σ f(X_jk)
    /// (without ω).
    @discardableResult
    static func appendPMI(
        _ matrix: CooccurrenceMatrix, kind: CofactorRecord.Kind, xMax: Double, alpha: Double,
        weight: Double, to records: inout [CofactorRecord]
    ) -> Double {
        var rowSums = [Double](repeating: 0, count: matrix.rowCount)
        var columnSums = [Double](repeating: 0, count: matrix.columnCount)
        var total = 0.0
        for e in 0..<matrix.count {
            rowSums[Int(matrix.rows[e])] += matrix.values[e]
            columnSums[Int(matrix.columns[e])] += matrix.values[e]
            total += matrix.values[e]
        }
        let logTotal = log(total)
        var mass = 0.0
        for e in 0..<matrix.count {
            let j = Int(matrix.rows[e]), k = Int(matrix.columns[e]), x = matrix.values[e]
            let pmi = log(x) + logTotal - log(rowSums[j]) - log(columnSums[k])
            let f = x < xMax ? pow(x / xMax, alpha) : 1
            mass += f
            records.append(CofactorRecord(a: Int32(j), b: Int32(k), target: Float(pmi), weight: Float(weight * f), kind: kind))
        }
        return mass
    }
}

/// One element of a co-factorization pass as the trainer visits it (`CofactorTrainer.elements`),
/// for reference implementations: the term, two rows, the PMI target and the weight.
public struct CofactorElement: Sendable, Equatable {
    /// 0: first monolingual (a word, b context of l1), 1: second monolingual, 2: CLC `.words`
    /// (a l1 word, b l2 word), 3: CLC w^l1_a·c^l2_b, 4: CLC w^l2_a·c^l1_b, 5: CLSim (a l1 word,
    /// b l2 word).
    public var kind: UInt8
    /// Row of the first factor.
    public var a: Int32
    /// Row of the second factor.
    public var b: Int32
    /// M_jk (0 for CLSim).
    public var target: Float
    /// ω·f(X_jk) (CLC also × balance scale / repeats), or ω_c·scale·sim / repeats.
    public var weight: Float
}

extension CofactorTrainer {
    /// The elements of one pass in the order a one-thread run visits them (the shuffled list of
    /// `train`), with the balance; the same validation as `train`.
    public func elements(
        first: CooccurrenceMatrix, second: CooccurrenceMatrix, cross: CrossLingualObjective
    ) throws(FactorizationError) -> (elements: [CofactorElement], balance: CofactorBalance) {
        try validate(first: first, second: second, cross: cross)
        var seeds = SplitMix64(seed: options.seed)
        _ = seeds.next()
        let (records, balance) = shuffledRecords(first: first, second: second, cross: cross, seeds: &seeds)
        return (records.map { CofactorElement(kind: $0.kind.rawValue, a: $0.a, b: $0.b, target: $0.target, weight: $0.weight) }, balance)
    }

    /// `makeRecords` shuffled by a generator seeded from the next value of `seeds`.
    func shuffledRecords(
        first: CooccurrenceMatrix, second: CooccurrenceMatrix, cross: CrossLingualObjective, seeds: inout SplitMix64
    ) -> ([CofactorRecord], CofactorBalance) {
        var shuffleGenerator = SplitMix64(seed: seeds.next())
        var (records, balance) = makeRecords(first: first, second: second, cross: cross)
        shuffleGenerator.shuffle(&records)
        return (records, balance)
    }
}
