#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The project's one clock: monotonic wall-clock seconds (CLOCK_MONOTONIC), for elapsed times
/// in progress reports, histories and benchmarks. Never goes back; the origin is arbitrary, so
/// only differences mean anything.
public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point.
    public static func seconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// Seconds elapsed since `start`, a value of `seconds()`.
    public static func since(_ start: Double) -> Double { seconds() - start }
}
