/// The option group every training or sampling method shares (swift-argument-parser's
/// `@OptionGroup`): `seed=`, `threads=` (both falling back to `%set`) and `as=`.
enum CommonOptions {
    /// The seed of every random choice of the run; `%set seed` when left out.
    static let seed = Opt.int("seed", min: 0, note: "%set seed", help: "the seed of the run's random choices")
    /// Worker threads; `%set threads` when left out.
    static let threads = Opt.int(
        "threads", min: 1, max: 256, note: "%set threads",
        help: "worker threads; threads=1 with a seed is reproducible")

    /// `as=NAME`, the name the result is stored under; `fallback` says what it is when left out.
    static func name(_ fallback: String) -> OptionalKey<String> {
        Opt.text("as", .string, note: fallback, help: "the name the result is stored under")
    }
}

extension MagicArguments {
    /// `seed=`, else the session's seed.
    func seed(_ session: Session) -> UInt64 { UInt64(self[CommonOptions.seed] ?? session.settings.seed) }

    /// `threads=`, else the session's thread count.
    func threads(_ session: Session) -> Int { self[CommonOptions.threads] ?? session.settings.threads }

    /// `as=`, else `fallback`.
    func resultName(_ fallback: @autoclosure () -> String) -> String { values["as"] ?? fallback() }
}
