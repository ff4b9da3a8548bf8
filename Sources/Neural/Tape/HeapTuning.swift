#if canImport(Glibc)
import Glibc
#endif

/// Keeps glibc's allocator from returning the tape's large buffers to the kernel between
/// batches. Every batch allocates and frees the same few hundred buffers of 0.1–10 MB; with
/// glibc's defaults the larger ones are `mmap`ped and unmapped (or the heap top trimmed) each
/// time, and the pages are faulted in and zeroed again: a profile of MF-CNN training spent a
/// quarter of its time in page faults (140k minor faults in two SIB-200 epochs, 12k after).
///
/// Applied once per process, by the first `Tape`: blocks below 256 MB come from the heap and
/// the heap top is trimmed only past 512 MB of free space. The cost: the process keeps up to
/// that much freed memory mapped (its resident size stays near its peak after training).
enum HeapTuning {
    static let applied: Bool = {
        #if canImport(Glibc)
        // `mallopt` is not in Swift's Glibc module; glibc's <malloc.h>: M_TRIM_THRESHOLD −1,
        // M_MMAP_THRESHOLD −3.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 256 << 20)
        _ = mallopt(-1, 512 << 20)
        #endif
        return true
    }()
}
