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
    private let options: ServerOptions
    private let kernelLog: KernelLog
    private let capture: OutputCapture?
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    /// Prepares a server. With `options.captureOutput`, fds 1 and 2 are redirected into the
    /// notebook; `log` keeps writing where it did (create it before the server).
    public init(connection: ConnectionInfo, kernel: Kernel, options: ServerOptions, log: KernelLog) {
        self.connection = connection
        self.kernel = kernel
        self.options = options
        self.kernelLog = log
        self.capture = options.captureOutput ? OutputCapture() : nil
    }

    private func log(_ line: String) { kernelLog(line) }

    /// Binds every socket, starts the threads, and serves shell on the calling thread until a
    /// shutdown request. Returns the requested restart flag.
    public func run() throws -> Bool {
        ProcessWatch.installSignalHandlers()
        ProcessWatch.watchParent(log: kernelLog)
        let context = try ZMQContext()
        let kernel = self.kernel
        let publisher = try IOPubPublisher(context: context, address: connection.endpoint(connection.iopubPort)) { topic in
            kernel.codec.encode(
                Message(
                    identities: [topic], header: kernel.headers.header("iopub_welcome"),
                    content: ["subscription": .string(String(decoding: topic, as: UTF8.self))]))
        }
        let heartbeat = try Heartbeat(
            context: context, address: connection.endpoint(connection.hbPort),
            maxMessageBytes: min(options.maxMessageBytes, Self.smallMessageBytes))
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
                    if frames.isEmpty {
                        logOversized(.control)
                        continue
                    }
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
        log(
            """
            listening on \(connection.ip) shell=\(connection.shellPort) iopub=\(connection.iopubPort) control=\(connection.controlPort) \
            stdin=\(connection.stdinPort) hb=\(connection.hbPort)
            """)

        let transport = ThreadTransport(requests: shell, iopub: shellPush, stdin: stdin, capture: capture)
        var abortCutoff: Double?
        var abortUntil = 0.0
        while !stopping.load(ordering: .acquiring) {
            guard ZMQSocket.poll([shell], timeout: 50)[0] else { continue }
            while !stopping.load(ordering: .acquiring), let frames = shell.receive(dontWait: true) {
                if frames.isEmpty {
                    logOversized(.shell)
                    continue
                }
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
        KernelThread(name: "xling-exit") { [self] in
            for _ in 0..<30 {
                usleep(100_000)
                if finished.load(ordering: .acquiring) { return }
            }
            log("shutdown: a cell did not stop within 3 s; exiting anyway")
            kernelLog.flush(timeout: 0.2)
            _exit(0)
        }.start()
    }

    /// The inbound bound of the heartbeat and of iopub subscriptions (pings and topics are tiny).
    static let smallMessageBytes = 1 << 20

    private func logOversized(_ channel: Channel) {
        log("dropped a message on \(channel.rawValue): its frames add up to more than \(options.maxMessageBytes) bytes")
    }

    private func router(_ context: ZMQContext, _ port: Int) throws -> ZMQSocket {
        let socket = try ZMQSocket(context, type: ZMQ_ROUTER)
        socket.limitInbound(bytes: options.maxMessageBytes)
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
