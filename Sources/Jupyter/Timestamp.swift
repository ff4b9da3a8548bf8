#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ISO 8601 UTC timestamps with microseconds, as message headers carry them
/// (`2026-11-21T20:06:18.123456Z`).
public enum Timestamp {
    /// The current time.
    public static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let s = String(value)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let micros = Int32(spec.tv_nsec / 1000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(micros, 6))Z"
    }
}

extension Timestamp {
    /// Seconds since the Unix epoch, now.
    public static func epochSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    /// Parses an ISO 8601 date-time as headers carry it (`2026-11-21T20:06:18.123456Z`,
    /// `…+00:00`, `…+05:30`, fraction optional) to seconds since the epoch; nil otherwise.
    public static func epochSeconds(from text: String) -> Double? {
        let s = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= s.count else { return nil }
            var value = 0
            for i in range {
                guard (0x30...0x39).contains(s[i]) else { return nil }
                value = value * 10 + Int(s[i] - 0x30)
            }
            return value
        }
        guard s.count >= 19, let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < s.count, s[i] == 0x2E {
            i += 1
            var scale = 0.1
            while i < s.count, (0x30...0x39).contains(s[i]) {
                fraction += Double(s[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        var offset = 0
        if i < s.count, s[i] == 0x2B || s[i] == 0x2D {
            guard let h = number((i + 1)..<(i + 3)), let m = number((i + 4)..<(i + 6)) else { return nil }
            offset = (s[i] == 0x2D ? -1 : 1) * (h * 3600 + m * 60)
        }
        // Days from the civil date (Howard Hinnant's algorithm), independent of the local zone.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
}
