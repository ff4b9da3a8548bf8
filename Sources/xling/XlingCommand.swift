import ArgumentParser
import Embeddings
import Jupyter
import JupyterZMQ
import Notebook

#if canImport(Glibc)
import Glibc
#endif

/// `xling`: argv → the kernel, the kernelspec installer, or the script runner.
struct XlingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xling", abstract: "A Jupyter kernel for cross-lingual word embeddings.",
        subcommands: [KernelCommand.self, InstallCommand.self, RunCommand.self])
}

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kernel", abstract: "Run the kernel for a Jupyter connection file.")
    @Option(name: .shortAndLong, help: "The connection file written by the frontend.") var file: String

    func run() throws {
        BLAS.reexecWithFastCoreIfNeeded(arguments: CommandLine.arguments)
        let log = KernelLog()
        let connection = try ConnectionInfo.load(path: file)
        let options = ServerOptions.fromEnvironment { log($0) }
        let kernel = Kernel(
            interpreter: XlingInterpreter(), signer: MessageSigner(key: connection.key),
            historyLimits: options.history, history: options.makeHistory { log($0) }, log: { log($0) })
        let server = ZMQKernelServer(connection: connection, kernel: kernel, options: options, log: log)
        log(BLAS.summary)
        _ = try server.run()
        kernel.history.store?.flush(timeout: 1) // the last cells reach the history file
    }
}

struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "install", abstract: "Install the xling kernelspec.")
    @Flag(help: "Install for this user (default).") var user = false
    @Flag(help: "Install into the active virtualenv/conda environment.") var sysPrefix = false
    @Option(help: "Install under DIR/share/jupyter/kernels.") var prefix: String?
    @Option(help: "The kernelspec name.") var name = "xling"

    func run() throws {
        let resolved = realpath("/proc/self/exe", nil).flatMap { path -> String? in
            defer { free(path) }
            return String(validatingCString: path)
        }
        let executable = resolved ?? CommandLine.arguments[0]
        // The logos ship in the repository's kernelspec/ folder, found above the build directory.
        let parts = executable.split(separator: "/")
        let candidates =
            [getenv("XLING_KERNELSPEC_DIR").map { String(cString: $0) }]
            + (1..<min(parts.count, 7)).map { "/" + parts.dropLast($0).joined(separator: "/") + "/kernelspec" }
        let logos = candidates.compactMap { $0 }.first { access($0 + "/logo-64x64.png", R_OK) == 0 }
        let location: KernelspecInstaller.Location = prefix.map { .prefix($0) } ?? (sysPrefix ? .sysPrefix : .user)
        let installer = KernelspecInstaller(
            name: name, displayName: name == "xling" ? "xling" : "xling (\(name))",
            executable: executable, logoDirectory: logos)
        print("installed kernelspec \(name) in \(try installer.install(location))\(logos == nil ? " (no logos found)" : "")")
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a .xling script or a notebook's code cells headless.",
        discussion: """
            A .xling script is split into cells at '# %%' lines; a .ipynb notebook runs its code cells in order. Relative paths in \
            magics (path=, %save) resolve against the script's folder, and SVG pictures are written there as <stem>-<cell>-<n>.svg. \
            Each cell's output starts with a '# %% [N]' line. Exit status: 0 when every cell ran, 1 when a cell failed, 130 on \
            interrupt.
            """)
    @Argument(help: "The script (.xling; cells separated by '# %%' lines) or notebook (.ipynb).") var path: String
    @Flag(help: "Run the remaining cells after a failing cell (the exit status is still 1).") var continueOnError = false
    @Option(
        name: [.customShort("p"), .customLong("parameter")],
        help: "NAME=VALUE, set with %set in a cell after the one tagged (or titled) 'parameters', as papermill does; repeatable.")
    var parameters: [String] = []

    func validate() throws {
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "="), equals != parameter.startIndex else {
                throw ValidationError("-p \(parameter): write NAME=VALUE")
            }
        }
    }

    func run() throws {
        BLAS.reexecWithFastCoreIfNeeded(arguments: CommandLine.arguments)
        signal(SIGINT) { _ in Interrupts.raise() }
        let pairs = parameters.map { parameter in
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
        throw ExitCode(ScriptRunner(path: path, continueOnError: continueOnError, parameters: pairs).run())
    }
}
