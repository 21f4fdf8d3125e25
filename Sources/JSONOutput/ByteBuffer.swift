/// A growable byte buffer that appends without Array's per-call uniqueness and bounds checks: the
/// encoder appends a few bytes tens of thousands of times per answer. Owned by one encode call.
final class ByteBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// The bytes written so far in `range` (valid until the next write).
    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// Replaces everything from `offset` to the end with `bytes`.
    func replaceTail(from offset: Int, with bytes: [UInt8]) {
        count = offset
        append(bytes)
    }

    /// Reverses the bytes from `offset` to the end (digits are produced least significant first).
    func reverseTail(from offset: Int) {
        var tail = UnsafeMutableBufferPointer(start: base + offset, count: count - offset)
        tail.reverse()
    }

    func array() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}
