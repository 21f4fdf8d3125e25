import Glibc

/// Cryptographically secure bytes straight from the kernel, for tokens and keys.
///
/// Uses `getentropy`: Swift's Glibc module does not export `<sys/random.h>`, and glibc's
/// `getentropy` is `getrandom(buf, n, 0)` with the partial-read/EINTR loop built in
/// (at most 256 bytes per call). Blocks only at early boot, until the kernel pool is ready.
/// Traps if the kernel cannot supply randomness; there is deliberately no weaker fallback.
public enum SecureRandom {
    public static func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: negative count")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            fill(buffer)
            initializedCount = count
        }
    }

    private static func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        guard var p = buffer.baseAddress else { return }
        var remaining = buffer.count
        while remaining > 0 {
            let chunk = Swift.min(remaining, 256)
            if getentropy(p, chunk) != 0 {
                let code = errno
                if code == EINTR { continue }
                fatalError("SecureRandom: kernel randomness unavailable (errno \(code))")
            }
            p += chunk
            remaining -= chunk
        }
    }
}
