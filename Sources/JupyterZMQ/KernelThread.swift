#if canImport(Glibc)
import Glibc
#endif

/// A plain pthread running one closure (the socket threads must be real threads, never
/// Swift concurrency tasks: a blocked pool thread is half of a 2-core machine).
final class KernelThread: @unchecked Sendable {
    /// A name for debugging (shown in logs).
    let name: String
    private let body: () -> Void
    private var thread = pthread_t()

    init(name: String, body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }

    func start() {
        let box = Unmanaged.passRetained(self)
        pthread_create(
            &thread, nil,
            { raw in
                guard let raw else { return nil }
                let me = Unmanaged<KernelThread>.fromOpaque(raw).takeRetainedValue()
                me.body()
                return nil
            }, box.toOpaque())
    }

    func join() { pthread_join(thread, nil) }
}
