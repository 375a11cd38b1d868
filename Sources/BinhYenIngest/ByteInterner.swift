import Foundation

/// A hash table from short byte strings to small integers, looked up without allocating.
///
/// Used by the readers to resolve repeated cells (village names, categories) once per distinct
/// spelling instead of once per row. Keys are stored back to back in one arena.
struct ByteInterner {
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Open-addressing slots holding entry index + 1 (0 = empty); the count is a power of two.
    private var slots: [Int32]

    private struct Entry {
        var offset: Int
        var length: Int
        var hash: UInt64
        var value: Int32
    }

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
    }

    var count: Int { entries.count }

    /// FNV-1a, 64 bits.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The value stored for `key`, or nil.
    func value(for key: UnsafeRawBufferPointer, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return arena.withUnsafeBytes { stored -> Int32? in
            while true {
                let entryPlusOne = slots[slot]
                if entryPlusOne == 0 { return nil }
                let entry = entries[Int(entryPlusOne) - 1]
                if entry.hash == hash && entry.length == key.count {
                    if entry.length == 0 { return entry.value }
                    if let a = stored.baseAddress, let b = key.baseAddress,
                       memcmp(a + entry.offset, b, entry.length) == 0 {
                        return entry.value
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Stores `value` for `key` (which must not be present).
    mutating func insert(_ key: UnsafeRawBufferPointer, hash: UInt64, value: Int32) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        entries.append(Entry(offset: arena.count, length: key.count, hash: hash, value: value))
        arena.append(contentsOf: key)
        place(Int32(entries.count), hash: hash)
    }

    private mutating func place(_ entryPlusOne: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = entryPlusOne
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for (i, entry) in entries.enumerated() { place(Int32(i + 1), hash: entry.hash) }
    }
}
