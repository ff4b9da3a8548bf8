import Embeddings
import Jupyter

/// A live progress display (phase, step/total, rate, ETA, last loss) that updates in place:
/// `display_data` with a `transient.display_id` at start, `update_display_data` after, and a
/// final update that says `done`, `interrupted` or `failed`. Updates are throttled to one per
/// `minimumInterval` seconds so a fast loop does not flood the frontend.
///
/// With a `delay`, nothing is shown until the work has run that long (like tqdm's `delay`):
/// quick runs stay free of flicker, and `finish` of a never-shown display sends nothing.
///
/// The HTML root carries `class="xling-progress"` and `data-state="running|done|interrupted|failed"`.
/// Engine calls drive it through `ProgressReporter`.
public final class ProgressDisplay {
    /// Where the work stands; the raw value is the HTML root's `data-state`.
    public enum State: String, Sendable {
        /// The work goes on.
        case running
        /// The work completed.
        case done
        /// A stop request (an interrupt) ended the work early; its partial result may be kept.
        case interrupted
        /// An error ended the work.
        case failed
    }

    /// The `transient.display_id` that updates replace in place (`xling-progress-<id>`).
    public let displayID: String
    /// The number of steps at completion; at least 1.
    public let total: Int
    /// The name of a step in the text (`steps`, `epochs`, …), also used for the rate (`unit/s`).
    public let unit: String
    /// The current phase's name, shown first in the text; `advance` may change it.
    public private(set) var phase: String
    /// The last step reached, clamped to `0...total`.
    public private(set) var step = 0
    /// The last loss reported by `advance`, or nil when none was.
    public private(set) var loss: Double?
    /// `running` until `finish` sets `done`, `interrupted` or `failed`.
    public private(set) var state = State.running
    private let context: ExecutionContext
    private let started: Double
    private var lastShown = -Double.infinity
    private let minimumInterval: Double
    private let delay: Double
    private var shown = false

    /// Shows the display at step 0 of `total` (or, with `delay` > 0, once that many seconds
    /// have passed at an `advance`).
    public init(
        context: ExecutionContext, phase: String, total: Int, unit: String = "steps",
        minimumInterval: Double = 0.1, delay: Double = 0
    ) {
        self.context = context
        self.phase = phase
        self.total = max(total, 1)
        self.unit = unit
        self.minimumInterval = minimumInterval
        self.delay = delay
        self.displayID = "xling-progress-" + MessageID.make()
        self.started = Self.now()
        if delay <= 0 { show() }
    }

    private func show() {
        shown = true
        context.display(bundle(), displayID: displayID)
        lastShown = Self.now()
    }

    /// Advances to `step`; sends an update when the throttle allows.
    public func advance(to step: Int, phase: String? = nil, loss: Double? = nil) {
        self.step = min(max(step, 0), total)
        if let phase { self.phase = phase }
        if let loss { self.loss = loss }
        let now = Self.now()
        if !shown {
            if now - started >= delay { show() }
        } else if now - lastShown >= minimumInterval {
            lastShown = now
            context.update(bundle(), displayID: displayID)
        }
    }

    /// Sends the final update.
    public func finish(_ state: State) {
        self.state = state
        if state == .done { step = total }
        if shown { context.update(bundle(), displayID: displayID) }
    }

    /// Seconds since start.
    public var elapsed: Double { Self.now() - started }

    /// The rate in steps per second (0 before any progress).
    public var rate: Double { step > 0 ? Double(step) / max(elapsed, 1e-9) : 0 }

    /// The current rendering: text/plain and text/html.
    public func bundle() -> MimeBundle {
        let fraction = Double(step) / Double(total)
        var parts = ["\(phase): \(step)/\(total) \(unit)", "\(NumberText.short(rate)) \(unit)/s"]
        switch state {
        case .running:
            let eta = rate > 0 ? Double(total - step) / rate : Double.nan
            parts.append("ETA " + (eta.isFinite ? NumberText.short(eta) + " s" : "?"))
        case .done: parts.append("done in \(NumberText.short(elapsed)) s")
        case .interrupted: parts.append("interrupted after \(NumberText.short(elapsed)) s")
        case .failed: parts.append("failed after \(NumberText.short(elapsed)) s")
        }
        if let loss { parts.append("loss \(NumberText.short(loss))") }
        let text = parts.joined(separator: " · ")
        let percent = Int((fraction * 100).rounded())
        let html =
            "<div class=\"xling-progress\" data-state=\"\(state.rawValue)\">"
            + "<progress max=\"\(total)\" value=\"\(step)\" style=\"width: 240px; vertical-align: middle\"></progress> "
            + "<span>\(percent)% · \(HTMLText.escape(text))</span></div>"
        return ["text/plain": .string("[\(state.rawValue)] \(text)"), "text/html": .string(html)]
    }

    static func now() -> Double { MonotonicClock.seconds() }
}
