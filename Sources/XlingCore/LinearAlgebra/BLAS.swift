import COpenBLAS

#if canImport(Glibc)
import Glibc
#endif

/// The BLAS library this process runs on (Debian's OpenBLAS with `DYNAMIC_ARCH`), and the
/// choice of its kernel set.
public enum BLAS {
    /// The kernel set OpenBLAS picked for this CPU (e.g. `Haswell`, `SkylakeX`, `Prescott`).
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration string.
    public static var config: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }

    /// The number of threads BLAS calls use.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of BLAS threads (≥ 1).
    public static func setThreads(_ count: Int) { openblas_set_num_threads(Int32(max(1, count))) }

    /// One line for the kernel log: core, threads, configuration.
    public static var summary: String { "OpenBLAS core=\(coreName) threads=\(threads) config=\(config)" }

    /// Kernel sets that mean OpenBLAS did not recognise the CPU and fell back to an old
    /// generic one (SSE3-era kernels run sgemm about 5× slower than AVX2/AVX-512 ones).
    static let fallbackCores: Set<String> = [
        "prescott", "core2", "katmai", "coppermine", "northwood",
        "atom", "generic", "nehalem", "banias", "dunnington", "penryn", "opteron", "barcelona",
    ]

    /// The `OPENBLAS_CORETYPE` to re-exec with, or nil when the current choice is fine.
    ///
    /// - Parameters:
    ///   - coreName: what `openblas_get_corename()` reported.
    ///   - cpuFlags: the `flags` of `/proc/cpuinfo`.
    ///   - override: the current `OPENBLAS_CORETYPE`, if set (then never re-exec: no loops).
    public static func recommendedCoreType(coreName: String, cpuFlags: Set<String>, override: String?) -> String? {
        guard override == nil, fallbackCores.contains(coreName.lowercased()) else { return nil }
        if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512bw") && cpuFlags.contains("avx512vl") { return "SkylakeX" }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The flags of the first processor in `/proc/cpuinfo` (empty when unreadable).
    public static func cpuFlags(cpuinfo path: String = "/proc/cpuinfo") -> Set<String> {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            if text.hasPrefix("flags") {
                let value = text.split(separator: ":", maxSplits: 1).last ?? ""
                return Set(value.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
            }
        }
        return []
    }
}

extension BLAS {
    /// When OpenBLAS fell back to generic kernels on a CPU that has AVX2/AVX-512, restarts the
    /// process once (same argv, `execv` of `/proc/self/exe`) with `OPENBLAS_CORETYPE` set, so
    /// the library picks fast kernels from the start. Returns (only) when no re-exec is needed
    /// or it failed.
    public static func reexecWithFastCoreIfNeeded(arguments: [String]) {
        let override = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        guard let core = recommendedCoreType(coreName: coreName, cpuFlags: cpuFlags(), override: override) else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
    }
}
