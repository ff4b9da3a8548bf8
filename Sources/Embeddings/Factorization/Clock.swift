#if canImport(Glibc)
import Glibc
#endif

/// Monotonic wall-clock seconds for the trainers' progress reports.
enum Clock {
    /// Seconds since an arbitrary fixed point (CLOCK_MONOTONIC).
    static func seconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}
