#if canImport(Glibc)
import Glibc
#endif

/// Writes a kernelspec (`kernel.json` + logos) into `<prefix>/share/jupyter/kernels/<name>`,
/// atomically (a temp directory renamed into place), as `jupyter kernelspec install` would.
public struct KernelspecInstaller {
    /// Where to install: like `jupyter kernelspec install --user | --sys-prefix | --prefix`.
    public enum Location: Equatable {
        case user, sysPrefix
        case prefix(String)
    }

    /// The kernelspec's directory name under the kernels directory; what `--kernel NAME` selects.
    public var name: String
    /// The name shown in Jupyter's kernel picker (`display_name`).
    public var displayName: String
    /// Absolute path of the xling binary, the first word of `argv` in `kernel.json`.
    public var executable: String
    /// Directory holding `logo-32x32.png`, `logo-64x64.png`, `logo-svg.svg` (optional).
    public var logoDirectory: String?

    /// Creates an installer; `logoDirectory` is nil when no logos are to be copied.
    public init(name: String, displayName: String, executable: String, logoDirectory: String?) {
        self.name = name
        self.displayName = displayName
        self.executable = executable
        self.logoDirectory = logoDirectory
    }

    /// The `kernel.json` contents.
    public var kernelJSON: JSON {
        [
            "argv": .array([.string(executable), "kernel", "-f", "{connection_file}"]),
            "display_name": .string(displayName), "language": "xling", "interrupt_mode": "message",
            "metadata": ["debugger": false],
        ]
    }

    /// The kernels directory for a location; names the environment variable it needs.
    public static func kernelsDirectory(_ location: Location) throws(InstallError) -> String {
        func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        switch location {
        case .prefix(let dir): return dir + "/share/jupyter/kernels"
        case .sysPrefix:
            guard let prefix = env("VIRTUAL_ENV") ?? env("CONDA_PREFIX") else {
                throw InstallError(
                    """
                    --sys-prefix needs an active virtualenv or conda environment (VIRTUAL_ENV or CONDA_PREFIX); use --prefix DIR instead
                    """)
            }
            return prefix + "/share/jupyter/kernels"
        case .user:
            if let data = env("JUPYTER_DATA_DIR") { return data + "/kernels" }
            guard let home = env("HOME") else { throw InstallError("--user needs HOME to be set") }
            return (env("XDG_DATA_HOME") ?? home + "/.local/share") + "/jupyter/kernels"
        }
    }

    /// Installs and returns the kernelspec directory.
    @discardableResult
    public func install(_ location: Location) throws(InstallError) -> String {
        let kernels = try Self.kernelsDirectory(location)
        try Self.makeDirectories(kernels)
        let target = kernels + "/" + name
        let staging = kernels + "/.\(name).tmp-\(getpid())"
        _ = try? Self.removeTree(staging)
        guard mkdir(staging, 0o755) == 0 else { throw InstallError("cannot create \(staging)") }
        try Self.write(kernelJSON.bytes, to: staging + "/kernel.json")
        if let logoDirectory {
            for file in ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"] {
                if let bytes = FileBytes.read(logoDirectory + "/" + file) { try Self.write(bytes, to: staging + "/" + file) }
            }
        }
        _ = try? Self.removeTree(target)
        guard rename(staging, target) == 0 else { throw InstallError("cannot move the kernelspec into \(target)") }
        return target
    }

    static func makeDirectories(_ path: String) throws(InstallError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST { throw InstallError("cannot create directory \(current)") }
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws(InstallError) {
        guard let file = fopen(path, "wb") else { throw InstallError("cannot write \(path)") }
        let written = fwrite(bytes, 1, bytes.count, file)
        guard fclose(file) == 0, written == bytes.count else { throw InstallError("cannot write \(path)") }
    }

    static func removeTree(_ path: String) throws(InstallError) {
        guard let dir = opendir(path) else { return }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { unlink(path + "/" + name) }
        }
        closedir(dir)
        rmdir(path)
    }
}

/// A kernelspec that could not be installed; the message names the path or variable.
public struct InstallError: Error, CustomStringConvertible {
    /// What failed, naming the path or environment variable.
    public let description: String
    /// Creates an error with the given message.
    public init(_ description: String) { self.description = description }
}
