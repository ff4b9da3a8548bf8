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

    /// OpenBLAS's AVX-512 kernel sets (what Debian's 0.3.21 picks on AMD Zen 4 too).
    static let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]

    /// The `OPENBLAS_CORETYPE` to re-exec with, or nil when the current choice is fine.
    ///
    /// A generic fallback core is replaced from the CPU flags (SkylakeX for AVX-512, Haswell for
    /// AVX2). On AMD family 25 (Zen 3 and Zen 4) the AVX-512 sets are replaced too, by Haswell's
    /// AVX2 kernels: Zen 4 runs 512-bit operations on 256-bit units, and on an EPYC of family 25,
    /// model 17 (one core) OpenBLAS 0.3.21's Haswell sgemm does 110 GFLOP per CPU-second at
    /// 2,000³ against 104 for Cooperlake, and 98–101 against 94–97 on the MLM's output-layer
    /// shapes (256 × 10,001 × 300). Later AMD families (Zen 5's full-width AVX-512) are left alone.
    ///
    /// - Parameters:
    ///   - coreName: what `openblas_get_corename()` reported.
    ///   - cpuFlags: the `flags` of `/proc/cpuinfo`.
    ///   - vendor: the `vendor_id` of `/proc/cpuinfo` (`AuthenticAMD`, `GenuineIntel`).
    ///   - family: its `cpu family`.
    ///   - override: the current `OPENBLAS_CORETYPE`, if set (then never re-exec: no loops).
    public static func recommendedCoreType(
        coreName: String, cpuFlags: Set<String>, vendor: String = "", family: Int? = nil, override: String?
    ) -> String? {
        guard override == nil else { return nil }
        let avx2 = cpuFlags.contains("avx2") && cpuFlags.contains("fma")
        let core = coreName.lowercased()
        if vendor == "AuthenticAMD" && family == 25 && avx2 && (fallbackCores.contains(core) || avx512Cores.contains(core)) {
            return "Haswell"
        }
        guard fallbackCores.contains(core) else { return nil }
        if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512bw") && cpuFlags.contains("avx512vl") { return "SkylakeX" }
        if avx2 { return "Haswell" }
        return nil
    }

    /// The `vendor_id` of the first processor in `/proc/cpuinfo` (empty when unreadable).
    public static func cpuVendor(cpuinfo path: String = "/proc/cpuinfo") -> String {
        String((cpuinfoField("vendor_id", path: path) ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first ?? "")
    }

    /// The `cpu family` of the first processor in `/proc/cpuinfo` (nil when unreadable).
    public static func cpuFamily(cpuinfo path: String = "/proc/cpuinfo") -> Int? {
        (cpuinfoField("cpu family", path: path) ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first
            .flatMap { Int($0) }
    }

    /// The flags of the first processor in `/proc/cpuinfo` (empty when unreadable).
    public static func cpuFlags(cpuinfo path: String = "/proc/cpuinfo") -> Set<String> {
        let value = cpuinfoField("flags", path: path) ?? ""
        return Set(value.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
    }

    /// The text after the colon of the first `/proc/cpuinfo` line starting with `name`, or nil.
    static func cpuinfoField(_ name: String, path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            if text.hasPrefix(name) { return String(text.split(separator: ":", maxSplits: 1).last ?? "") }
        }
        return nil
    }
}

extension BLAS {
    /// When OpenBLAS's choice is not the recommended one (`recommendedCoreType`: a generic
    /// fallback on a CPU with AVX2/AVX-512, or AVX-512 kernels on AMD family 25), restarts the
    /// process once (same argv, `execv` of `/proc/self/exe`) with `OPENBLAS_CORETYPE` set, so
    /// the library picks the faster kernels from the start. Returns (only) when no re-exec is needed
    /// or it failed.
    public static func reexecWithFastCoreIfNeeded(arguments: [String]) {
        let override = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        guard
            let core = recommendedCoreType(
                coreName: coreName, cpuFlags: cpuFlags(), vendor: cpuVendor(), family: cpuFamily(), override: override)
        else {
            return
        }
        setenv("OPENBLAS_CORETYPE", core, 1)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
    }
}
