import Jupyter

#if canImport(Glibc)
import Glibc
#endif

/// `%sleep SECONDS`: an interruptible wait with a live progress display.
struct SleepMagic: Magic {
    static let spec = MagicSpec(
        name: "sleep", abstract: "wait, showing a live progress display; stops promptly on interrupt",
        positionals: [.init("seconds", .double(min: 0, max: 86_400), help: "how long to wait, in seconds")],
        discussion: """
            Interrupt the kernel (■ in JupyterLab) to stop the wait early: the cell ends with KeyboardInterrupt and the session keeps \
            everything.
            """,
        examples: ["%sleep 2", "%sleep 0.5"])

    let seconds: Double

    init(_ arguments: MagicArguments) throws { seconds = Double(arguments.words[0]) ?? 0 }

    func run(in session: Session, context: ExecutionContext) throws -> MimeBundle? {
        let steps = max(1, Int((seconds * 100).rounded()))
        let progress = ProgressDisplay(context: context, phase: "sleeping", total: steps, unit: "ticks")
        let tick = seconds / Double(steps)
        let start = ProgressDisplay.now()
        for step in 1...steps {
            if context.cancellation.isCancelled {
                progress.finish(.interrupted)
                throw Interrupted()
            }
            // Sleep until this tick's deadline, in slices of ≤ 10 ms so interrupts land fast.
            let deadline = start + tick * Double(step)
            while true {
                let left = deadline - ProgressDisplay.now()
                if left <= 0 || context.cancellation.isCancelled { break }
                usleep(UInt32(min(left, 0.01) * 1e6))
            }
            progress.advance(to: step)
        }
        progress.finish(.done)
        return nil
    }
}
