import Jupyter

#if canImport(Glibc)
import Glibc
#endif

/// Process-level hooks of a kernel: SIGINT becomes an interrupt, and the process exits when
/// the process that started it (`JPY_PARENT_PID`) dies.
enum ProcessWatch {
    /// Routes SIGINT to `Interrupts.raise()` (async-signal-safe: one atomic add). SIGPIPE is
    /// ignored so a vanished client cannot kill the kernel.
    static func installSignalHandlers() {
        signal(SIGINT) { _ in Interrupts.raise() }
        signal(SIGPIPE, SIG_IGN)
    }

    /// Starts a thread that exits the process within ~0.5 s after the parent dies.
    /// The log gets up to 0.2 s to write its last line.
    static func watchParent(log: KernelLog) {
        guard let text = getenv("JPY_PARENT_PID"), let parent = pid_t(String(cString: text)), parent > 1 else { return }
        let thread = KernelThread(name: "xling-parent") {
            while true {
                if kill(parent, 0) != 0 && errno == ESRCH || getppid() != parent && getppid() == 1 {
                    log("parent process \(parent) is gone; exiting")
                    log.flush(timeout: 0.2)
                    _exit(0)
                }
                usleep(250_000)
            }
        }
        thread.start()
    }
}
