/// SHA-256 per FIPS 180-4, so the service needs no crypto dependency.
///
/// Traps: too fast for password hashing (use it for high-entropy tokens only).
/// A hasher is single-use: `update` or `finalize` after `finalize` traps.
public struct SHA256: Sendable {
    private var state = State()
    /// Pending partial block; allocated once per hasher, never per block.
    private var block = [UInt8](repeating: 0, count: 64)
    private var blockCount = 0
    private var messageLength: UInt64 = 0
    private var finalized = false

    public init() {}

    /// One-shot digest (32 bytes).
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public mutating func update(_ bytes: some Collection<UInt8>) {
        precondition(!finalized, "SHA256.update after finalize")
        let done: Void? = bytes.withContiguousStorageIfAvailable { absorb($0) }
        if done == nil {
            Array(bytes).withUnsafeBufferPointer { absorb($0) }
        }
    }

    /// Pads, returns the 32-byte digest, and retires the hasher.
    public mutating func finalize() -> [UInt8] {
        precondition(!finalized, "SHA256.finalize called twice")
        let bitLength = messageLength &* 8
        // 0x80, zeros, then the 64-bit big-endian bit length, ending on a block boundary.
        let padCount = blockCount < 56 ? 64 - blockCount : 128 - blockCount
        var pad = [UInt8](repeating: 0, count: padCount)
        pad[0] = 0x80
        for i in 0..<8 {
            pad[padCount - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> UInt64(8 * i))
        }
        pad.withUnsafeBufferPointer { absorb($0) }
        assert(blockCount == 0)
        finalized = true

        var digest = [UInt8]()
        digest.reserveCapacity(32)
        for word in [state.a, state.b, state.c, state.d, state.e, state.f, state.g, state.h] {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    // MARK: - Compression

    private struct State: Sendable {
        var a: UInt32 = 0x6a09e667, b: UInt32 = 0xbb67ae85, c: UInt32 = 0x3c6ef372, d: UInt32 = 0xa54ff53a
        var e: UInt32 = 0x510e527f, f: UInt32 = 0x9b05688c, g: UInt32 = 0x1f83d9ab, h: UInt32 = 0x5be0cd19
    }

    private mutating func absorb(_ input: UnsafeBufferPointer<UInt8>) {
        guard var p = input.baseAddress, !input.isEmpty else { return }
        var remaining = input.count
        messageLength &+= UInt64(remaining)

        // Message schedule lives on the stack for the whole call.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            let w = schedule.baseAddress!
            SHA256.roundConstants.withUnsafeBufferPointer { constants in
                let k = constants.baseAddress!
                if blockCount > 0 {
                    let take = Swift.min(64 - blockCount, remaining)
                    let offset = blockCount
                    block.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<UInt8>) in
                        (b.baseAddress! + offset).update(from: p, count: take)
                    }
                    blockCount += take
                    p += take
                    remaining -= take
                    if blockCount == 64 {
                        block.withUnsafeBufferPointer { b in
                            SHA256.compress(&state, b.baseAddress!, w, k)
                        }
                        blockCount = 0
                    }
                }
                while remaining >= 64 {
                    SHA256.compress(&state, p, w, k)
                    p += 64
                    remaining -= 64
                }
                if remaining > 0 {
                    let count = remaining
                    block.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<UInt8>) in
                        b.baseAddress!.update(from: p, count: count)
                    }
                    blockCount = count
                }
            }
        }
    }

    @inline(__always)
    private static func compress(
        _ s: inout State,
        _ block: UnsafePointer<UInt8>,
        _ w: UnsafeMutablePointer<UInt32>,
        _ k: UnsafePointer<UInt32>
    ) {
        for t in 0..<16 {
            let q = block + 4 &* t
            let hi = UInt32(q[0]) << 24 | UInt32(q[1]) << 16
            let lo = UInt32(q[2]) << 8 | UInt32(q[3])
            w[t] = hi | lo
        }
        for t in 16..<64 {
            let x = w[t - 15]
            let y = w[t - 2]
            let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
            let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }

        var a = s.a, b = s.b, c = s.c, d = s.d
        var e = s.e, f = s.f, g = s.g, h = s.h
        for t in 0..<64 {
            let bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let choose = (e & f) ^ (~e & g)
            let t1 = h &+ bigSigma1 &+ choose &+ k[t] &+ w[t]
            let bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let t2 = bigSigma0 &+ majority
            h = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
        }
        s.a &+= a; s.b &+= b; s.c &+= c; s.d &+= d
        s.e &+= e; s.f &+= f; s.g &+= g; s.h &+= h
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x &>> n) | (x &<< (32 &- n))
    }

    /// FIPS 180-4 §4.2.2: first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}
