/// Exact comparison of products of non-negative integers, for rule thresholds such as
/// `10000·curr·T_prev ≤ (10000 − p)·prev·T_curr` (METHODS §0 "Integer comparisons"), where the
/// products can exceed 64 bits (counts × populations × 10⁴). Multi-limb arithmetic on `UInt64`
/// with `multipliedFullWidth`; never traps, never rounds.
enum ExactProduct {
    /// The product of `factors` as little-endian 64-bit limbs (negative factors are treated as 0;
    /// callers pass counts and populations, which are never negative).
    static func limbs(_ factors: [Int]) -> [UInt64] {
        var result: [UInt64] = [1]
        for factor in factors {
            let multiplier = UInt64(max(0, factor))
            var carry: UInt64 = 0
            for index in result.indices {
                let (high, low) = result[index].multipliedFullWidth(by: multiplier)
                let (sum, overflow) = low.addingReportingOverflow(carry)
                result[index] = sum
                carry = high &+ (overflow ? 1 : 0)
            }
            if carry != 0 { result.append(carry) }
        }
        while result.count > 1 && result.last == 0 { result.removeLast() }
        return result
    }

    /// −1, 0 or 1 as `∏lhs` is less than, equal to or greater than `∏rhs`.
    static func compare(_ lhs: [Int], _ rhs: [Int]) -> Int {
        let a = limbs(lhs)
        let b = limbs(rhs)
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for index in a.indices.reversed() where a[index] != b[index] {
            return a[index] < b[index] ? -1 : 1
        }
        return 0
    }

    /// `∏lhs ≤ ∏rhs`.
    static func lessOrEqual(_ lhs: [Int], _ rhs: [Int]) -> Bool { compare(lhs, rhs) <= 0 }

    /// `∏lhs < ∏rhs`.
    static func less(_ lhs: [Int], _ rhs: [Int]) -> Bool { compare(lhs, rhs) < 0 }
}
