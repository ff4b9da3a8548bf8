// swift-tools-version:6.0
import PackageDescription

/// xling: a Jupyter kernel for cross-lingual word embeddings.
/// The target graph is the DAG of DESIGN.md: only `XlingCore` (its `LinearAlgebra/` folder) sees
/// BLAS, FFTW and `CBFloat16` (our bfloat16 tile kernel in C), only `JupyterZMQ` sees ZeroMQ, and `xling` is a thin argv front end. `XlingCore` sits
/// below the engine: matrices, the seeded generator and shuffle, worker threads, the clock, the
/// progress/stop convention and the engine error shape. `Neural` (parameter store, tape, modules,
/// trainer) sits between `XlingCore` and `Embeddings`, so the compiler keeps it task-free.
let package = Package(
    name: "xling",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "xling", targets: ["xling"]),
        .executable(name: "xling-bench", targets: ["XlingBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CFFTW", path: "Sources/CFFTW"),
        .target(name: "CBFloat16", path: "Sources/CBFloat16", exclude: ["README.md"]),
        .target(name: "XlingCore", dependencies: ["COpenBLAS", "CFFTW", "CBFloat16"], exclude: ["README.md"]),
        .target(name: "Neural", dependencies: ["XlingCore"], exclude: ["README.md"]),
        .target(name: "Embeddings", dependencies: ["XlingCore", "Neural", "CZlib"], exclude: ["README.md"]),
        .target(name: "Jupyter", dependencies: [.product(name: "Crypto", package: "swift-crypto")], exclude: ["README.md"]),
        .target(name: "JupyterZMQ", dependencies: ["Jupyter", "CZeroMQ"], exclude: ["README.md"]),
        .target(name: "Notebook", dependencies: ["Jupyter", "Embeddings"], exclude: ["README.md"]),
        .executableTarget(
            name: "xling",
            dependencies: [
                "Notebook", "JupyterZMQ", "Embeddings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], exclude: ["README.md"]),
        .executableTarget(name: "XlingBench", dependencies: ["Embeddings"], exclude: ["README.md"]),
        .testTarget(name: "NeuralTests", dependencies: ["Neural"], exclude: ["Fixtures"]),
        .testTarget(name: "EmbeddingsTests", dependencies: ["Embeddings"], exclude: ["Fixtures"]),
        .testTarget(name: "JupyterTests", dependencies: ["Jupyter"]),
        .testTarget(
            name: "NotebookTests", dependencies: ["Notebook", "Jupyter"],
            exclude: ["Snapshots"]),
    ]
)
