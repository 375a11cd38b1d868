/// An undirected neighbour graph of `count` locations (villages), as sorted index lists: the
/// binary contiguity `w_ij ∈ {0, 1}`, `w_ii = 0` of METHODS §8.1.
///
/// Built from a list of pairs; each pair is one undirected edge (listing both directions, or
/// the same pair twice, is harmless). A location without neighbours is an *island*.
public struct SpatialNeighbours: Sendable, Hashable {
    /// Number of locations `n`; indices run `0..<count`.
    public let count: Int
    /// Neighbours of each location, ascending, without the location itself.
    public let lists: [[Int]]

    /// Why a neighbour graph cannot be built.
    public enum Problem: Error, Sendable, Hashable {
        /// An index is negative or not below `count`.
        case indexOutOfRange(Int)
        /// A location is listed as its own neighbour (self-weights are set by the Gi* variant, not the graph).
        case selfNeighbour(Int)
        /// `count` is negative.
        case negativeCount
    }

    /// The graph of `count` locations with the undirected `edges`.
    /// - Throws: ``Problem`` for an index outside `0..<count` or a pair `(i, i)`.
    public init(count: Int, edges: [(Int, Int)]) throws(Problem) {
        guard count >= 0 else { throw Problem.negativeCount }
        var sets = [Set<Int>](repeating: [], count: count)
        for (a, b) in edges {
            guard (0..<count).contains(a) else { throw Problem.indexOutOfRange(a) }
            guard (0..<count).contains(b) else { throw Problem.indexOutOfRange(b) }
            guard a != b else { throw Problem.selfNeighbour(a) }
            sets[a].insert(b)
            sets[b].insert(a)
        }
        self.count = count
        lists = sets.map { $0.sorted() }
    }

    /// Locations without neighbours.
    public var islands: [Int] { lists.indices.filter { lists[$0].isEmpty } }

    /// Number of undirected edges.
    public var edgeCount: Int { lists.reduce(0) { $0 + $1.count } / 2 }

    /// The graph induced on `kept` (indices into this graph, in the order given): locations are
    /// renumbered `0..<kept.count`, edges to dropped locations disappear. Used when some
    /// locations have no value in a year. Unknown or repeated indices are skipped.
    public func induced(on kept: [Int]) -> SpatialNeighbours {
        var position: [Int: Int] = [:]
        var order: [Int] = []
        for index in kept where (0..<count).contains(index) && position[index] == nil {
            position[index] = order.count
            order.append(index)
        }
        let renumbered = order.map { old in lists[old].compactMap { position[$0] }.sorted() }
        return SpatialNeighbours(count: order.count, lists: renumbered)
    }

    private init(count: Int, lists: [[Int]]) {
        self.count = count
        self.lists = lists
    }
}
