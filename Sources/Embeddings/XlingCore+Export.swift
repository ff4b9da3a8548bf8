/// The engine re-exports its core (matrices, `SplitMix64`, `WorkerThreads`, `MonotonicClock`,
/// `Progress`, `EngineError`), so `import Embeddings` is all a client needs.
@_exported import XlingCore
