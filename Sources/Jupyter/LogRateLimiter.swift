/// Token buckets that keep a flood of similar log lines from filling the log: each key (the
/// line up to its first `:`, see `key(of:)`) may write a burst of `burst` lines, then
/// `perSecond` lines a second; the rest are counted and reported later by the caller
/// (`takeSuppressed()`).
///
/// At most `maxKeys` keys are tracked; when a new key finds no room, idle keys are forgotten
/// and, if there is still none, it shares one overflow bucket (`*`) with the other latecomers.
/// Not thread-safe: `KernelLog` calls it under its lock.
struct LogRateLimiter {
    /// Lines a key may write at once before the rate applies.
    let burst: Double
    /// Lines per second a key earns back.
    let perSecond: Double
    /// The number of keys tracked separately.
    let maxKeys: Int

    private struct Bucket {
        var tokens: Double
        var last: Double
        var suppressed: Int
    }

    private var buckets: [String: Bucket] = [:]

    /// Creates a limiter; by default a key writes 20 lines at once, then 2 a second.
    init(burst: Double = 20, perSecond: Double = 2, maxKeys: Int = 64) {
        self.burst = burst
        self.perSecond = perSecond
        self.maxKeys = maxKeys
    }

    /// The key a line is limited under: its text up to the first `:` (at most 60 characters),
    /// e.g. `dropped a message on shell` for every reason a shell message was dropped.
    static func key(of line: String) -> String {
        let head = line.prefix { $0 != ":" }
        return String(head.prefix(60))
    }

    /// Whether a line with `key` may be written at `now` (seconds, monotonic); a refused line
    /// is counted for `takeSuppressed()`.
    mutating func admit(_ key: String, now: Double) -> Bool {
        let key = room(for: key, now: now)
        var bucket = buckets[key] ?? Bucket(tokens: burst, last: now, suppressed: 0)
        bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.last) * perSecond)
        bucket.last = now
        let admitted = bucket.tokens >= 1
        if admitted { bucket.tokens -= 1 } else { bucket.suppressed += 1 }
        buckets[key] = bucket
        return admitted
    }

    /// The keys with lines refused since the last call and how many, sorted by key; their
    /// counts restart at zero.
    mutating func takeSuppressed() -> [(key: String, count: Int)] {
        var taken: [(key: String, count: Int)] = []
        for (key, bucket) in buckets where bucket.suppressed > 0 {
            taken.append((key, bucket.suppressed))
            buckets[key]?.suppressed = 0
        }
        return taken.sorted { $0.key < $1.key }
    }

    /// `key` itself when it is tracked or there is room for it, else the overflow key `*`.
    private mutating func room(for key: String, now: Double) -> String {
        if buckets[key] != nil || buckets.count < maxKeys { return key }
        let idle = buckets.filter { $0.value.suppressed == 0 && $0.value.tokens + (now - $0.value.last) * perSecond >= burst }
        for name in idle.keys { buckets[name] = nil }
        return buckets.count < maxKeys ? key : "*"
    }
}
