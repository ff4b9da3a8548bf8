import Jupyter

/// `%plot bli E1,E2,… [k=1] [retrieval=csls] [x=pairs|order]`: BLI precision of stored
/// evaluations (`%eval bli … as=E`) against the size of the dictionary each mapping was
/// trained on, or in the order given: one line per retrieval method, P@k in percent on 0–100.
struct PlotBLIMagic: Magic {
    /// `x=`: what the horizontal axis shows.
    enum Axis: String, OptionChoice { case pairs, order }

    static let k = Opt.int("k", min: 1, default: 1, help: "the cut-off to draw (each evaluation must have measured it)")
    static let retrieval = Opt.list("retrieval", note: "every method the evaluations share", help: "nn, csls and/or isf")
    static let x = Opt.choice("x", default: Axis.pairs, help: "training pairs of the evaluated mapping, or the order given")
    static let spec = MagicSpec(
        name: "plot bli", abstract: "BLI P@k of stored evaluations against dictionary size (or in order)",
        positionals: [.init("evaluations", .list, help: "objects stored by %eval bli (as=NAME), as A,B,…")],
        keys: [k, retrieval, x],
        examples: ["%eval bli m500 dict=test as=e500\n%eval bli m5000 dict=test as=e5000\n%plot bli e500,e5000 k=1"])

    let names: [String]
    let arguments: MagicArguments

    init(_ arguments: MagicArguments) throws {
        self.arguments = arguments
        names = [String](optionText: arguments.words[0]) ?? []
        guard !names.isEmpty else { throw arguments.usageError("name at least one evaluation: `%plot bli A,B`") }
    }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let k = arguments[Self.k]
        let evaluations = try names.map { name -> EvaluationObject in
            let object = try session.object(name, for: "plot")
            guard let evaluation = object as? EvaluationObject else {
                throw Self.failure("`\(name)` holds \(object.kind), not a BLI evaluation; store one with `%eval bli M dict=D as=\(name)`")
            }
            guard evaluation.ks.contains(k) else {
                throw Self.failure(
                    "`\(name)` measured P@\(evaluation.ks.map(String.init).joined(separator: ",")), not P@\(k); "
                        + "choose k= among them")
            }
            return evaluation
        }
        let shared = evaluations.map { Set($0.precision.map(\.retrieval)) }.reduce(Set(evaluations[0].precision.map(\.retrieval))) {
            $0.intersection($1)
        }
        let methods = arguments[Self.retrieval] ?? evaluations[0].precision.map(\.retrieval).filter { shared.contains($0) }
        for method in methods where !shared.contains(method) {
            throw Self.failure("not every evaluation measured `\(method)`; they share \(shared.sorted().joined(separator: ", "))")
        }
        let byPairs = arguments[Self.x] == .pairs
        let series = methods.map { method in
            ChartSeries(
                name: method,
                points: evaluations.enumerated().map { index, evaluation in
                    let value = evaluation.precision.first { $0.retrieval == method }?.atK[k] ?? .nan
                    let x = byPairs ? Double(evaluation.trainingPairs) : Double(index + 1)
                    return ChartPoint(
                        x: x, y: value * 100, hover: "\(names[index]): \(evaluation.evaluated), \(evaluation.trainingPairs) pairs")
                })
        }
        return LineChart(
            title: "BLI P@\(k) of " + names.map { "`\($0)`" }.joined(separator: ", "),
            xLabel: byPairs ? "training pairs of the mapping" : "evaluation (in the order given)",
            yLabel: "P@\(k) (%)", series: series, yDomain: BarChart.percent
        ).mimeBundle
    }
}
