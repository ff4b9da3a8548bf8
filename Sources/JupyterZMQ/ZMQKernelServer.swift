import CZeroMQ
import Jupyter
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Serves a `Kernel` over the five ZeroMQ sockets of a connection file.
///
/// Threads: the caller's thread runs shell (and stdin, which only shell uses); control,
/// heartbeat and the iopub publisher each have their own thread; everything published reaches
/// the publisher through `inproc` PUSH sockets. Sockets bind to the connection file's `ip` only.
public final class ZMQKernelServer: @unchecked Sendable {
    private let connection: ConnectionInfo
    private let kernel: Kernel
    private let log: @Sendable (String) -> Void
    private let capture: OutputCapture?
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    /// Prepares a server. With `captureOutput`, fds 1 and 2 are redirected into the notebook;
    /// `log` must then write to `logDescriptor`.
    public init(connection: ConnectionInfo, kernel: Kernel, captureOutput: Bool, log: @escaping @Sendable (String) -> Void) {
        self.connection = connection
        self.kernel = kernel
        self.log = log
        self.capture = captureOutput ? OutputCapture() : nil
    }

    /// The descriptor the kernel log should write to (the original stderr when captured).
    public var logDescriptor: Int32 { capture?.logDescriptor ?? 2 }

    /// Binds every socket, starts the threads, and serves shell on the calling thread until a
    /// shutdown request. Returns the requested restart flag.
    public func run() throws -> Bool {
        ProcessWatch.installSignalHandlers()
        ProcessWatch.watchParent(log: log)
        let context = try ZMQContext()
        let kernel = self.kernel
        let publisher = try IOPubPublisher(context: context, address: connection.endpoint(connection.iopubPort)) { topic in
            kernel.codec.encode(Message(identities: [topic], header: kernel.headers.header("iopub_welcome"),
                                        content: ["subscription": .string(String(decoding: topic, as: UTF8.self))]))
        }
        let heartbeat = try Heartbeat(context: context, address: connection.endpoint(connection.hbPort))
        let shell = try router(context, connection.shellPort)
        let stdin = try router(context, connection.stdinPort)
        let control = try router(context, connection.controlPort)
        let shellPush = try push(context)
        let controlPush = try push(context)

        let publisherThread = KernelThread(name: "xling-iopub") { publisher.run() }
        let heartbeatThread = KernelThread(name: "xling-hb") { heartbeat.run() }
        var restart = false
        let controlThread = KernelThread(name: "xling-control") { [self] in
            let transport = ThreadTransport(requests: control, iopub: controlPush)
            while !stopping.load(ordering: .acquiring) {
                guard ZMQSocket.poll([control], timeout: 100)[0] else { continue }
                while let frames = control.receive(dontWait: true) {
                    if case .shutdown(let again) = kernel.handle(frames, from: .control, via: transport) {
                        restart = again
                        beginShutdown()
                        break
                    }
                }
            }
            control.close()
            controlPush.close()
        }
        publisherThread.start()
        heartbeatThread.start()
        controlThread.start()
        log("listening on \(connection.ip) shell=\(connection.shellPort) iopub=\(connection.iopubPort) control=\(connection.controlPort) stdin=\(connection.stdinPort) hb=\(connection.hbPort)")

        let transport = ThreadTransport(requests: shell, iopub: shellPush, stdin: stdin, capture: capture)
        var abortCutoff: Double?
        var abortUntil = 0.0
        while !stopping.load(ordering: .acquiring) {
            guard ZMQSocket.poll([shell], timeout: 50)[0] else { continue }
            while !stopping.load(ordering: .acquiring), let frames = shell.receive(dontWait: true) {
                let cutoff = Self.monotonic() < abortUntil ? abortCutoff : nil
                switch kernel.handle(frames, from: .shell, via: transport, abortingRequestsSentBefore: cutoff) {
                case .proceed: break
                case .abortQueued(let failedAt):
                    abortCutoff = failedAt
                    abortUntil = Self.monotonic() + Self.abortWindow
                case .shutdown(let again):
                    restart = again
                    beginShutdown()
                }
            }
        }
        shell.close()
        stdin.close(linger: 0)
        shellPush.send([IOPubPublisher.stopFrame])
        shellPush.close()
        publisherThread.join()
        context.shutdown()
        controlThread.join()
        heartbeatThread.join()
        context.terminate()
        finished.store(true, ordering: .releasing)
        return restart
    }

    /// How long after a failed cell (with `stop_on_error`) arriving requests are checked for
    /// having been sent before the failure. A failing cell can end within microseconds, before
    /// requests the client sent in the same burst have arrived (ipykernel sees them because a
    /// separate thread keeps reading while cells run); their header dates tell them apart from
    /// requests sent after the client saw the error, which run normally.
    static let abortWindow = 0.5

    static func monotonic() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// Stops serving: interrupts a running cell, and guarantees the process ends within 3 s
    /// even if that cell ignores the interrupt.
    private func beginShutdown() {
        stopping.store(true, ordering: .releasing)
        kernel.interrupts.raise()
        let log = self.log
        KernelThread(name: "xling-exit") { [self] in
            for _ in 0..<30 {
                usleep(100_000)
                if finished.load(ordering: .acquiring) { return }
            }
            log("shutdown: a cell did not stop within 3 s; exiting anyway")
            _exit(0)
        }.start()
    }

    private func router(_ context: ZMQContext, _ port: Int) throws -> ZMQSocket {
        let socket = try ZMQSocket(context, type: ZMQ_ROUTER)
        try socket.bind(connection.endpoint(port))
        return socket
    }

    private func push(_ context: ZMQContext) throws -> ZMQSocket {
        let socket = try ZMQSocket(context, type: ZMQ_PUSH)
        socket.setOption(ZMQ_SNDHWM, 0)
        try socket.connect(IOPubPublisher.endpoint)
        return socket
    }
}
