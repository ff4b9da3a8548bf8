/// The engine re-exports its core (matrices, `SplitMix64`, `WorkerThreads`, `MonotonicClock`,
/// `Progress`, `EngineError`) and the neural engine, so `import Embeddings` is all a client needs.
@_exported import Neural
@_exported import XlingCore
