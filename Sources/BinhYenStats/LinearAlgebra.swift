import COpenBLAS

/// Dense matrix of `Double` in column-major order (the layout of BLAS/LAPACK and R).
///
/// Element `(row, column)` is `elements[row + column * rows]`. Value type; copying is O(1)
/// until one copy is mutated.
public struct Matrix: Sendable, Hashable {
    /// Number of rows (≥ 0).
    public let rows: Int
    /// Number of columns (≥ 0).
    public let columns: Int
    /// The entries, column after column; `count == rows * columns`.
    public private(set) var elements: [Double]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        elements = Array(repeating: value, count: self.rows * self.columns)
    }

    /// A matrix from its entries in column-major order; `nil` unless
    /// `columnMajor.count == rows * columns` with non-negative dimensions.
    public init?(rows: Int, columns: Int, columnMajor: [Double]) {
        guard rows >= 0, columns >= 0, columnMajor.count == rows * columns else { return nil }
        self.rows = rows
        self.columns = columns
        elements = columnMajor
    }

    /// A matrix from a list of rows (as written on paper); `nil` when the rows have different
    /// lengths. An empty list gives the 0 × 0 matrix.
    public init?(rowMajor rowList: [[Double]]) {
        let width = rowList.first?.count ?? 0
        guard rowList.allSatisfy({ $0.count == width }) else { return nil }
        rows = rowList.count
        columns = width
        var entries = [Double](repeating: 0, count: rows * columns)
        for (row, values) in rowList.enumerated() {
            for (column, value) in values.enumerated() {
                entries[row + column * rows] = value
            }
        }
        elements = entries
    }

    /// A column vector (`values.count × 1`).
    public init(column values: [Double]) {
        rows = values.count
        columns = 1
        elements = values
    }

    /// The `n × n` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var matrix = Matrix(rows: n, columns: n)
        for index in 0..<matrix.rows {
            matrix[index, index] = 1
        }
        return matrix
    }

    /// Entry at (`row`, `column`), both zero-based. Out-of-range indices are a programming
    /// error (trap), as for arrays.
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return elements[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            elements[row + column * rows] = newValue
        }
    }

    /// Column `index` as an array.
    public func column(_ index: Int) -> [Double] {
        precondition(index >= 0 && index < columns, "Matrix column out of range")
        return Array(elements[(index * rows)..<((index + 1) * rows)])
    }

    /// The transpose.
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for column in 0..<columns {
            for row in 0..<rows {
                result.elements[column + row * columns] = elements[row + column * rows]
            }
        }
        return result
    }

    /// Whether every entry is finite.
    public var isFinite: Bool { elements.allSatisfy(\.isFinite) }
}

/// Why a linear-algebra operation could not produce a trustworthy result.
public enum LinearAlgebraError: Error, Sendable, Hashable {
    /// The operand shapes do not fit (`left` and `right` are "rows×columns").
    case dimensionMismatch(left: String, right: String)
    /// An operand contains NaN or ±∞.
    case nonFiniteInput
    /// The matrix is too large for the 32-bit LAPACK interface.
    case tooLarge
    /// Cholesky failed: the leading minor of this order (1-based) is not positive definite.
    case notPositiveDefinite(leadingMinor: Int)
    /// The matrix is positive definite in exact terms but numerically singular
    /// (reciprocal condition number in the 1-norm below the threshold).
    case illConditioned(reciprocalCondition: Double)
    /// The design matrix of a least-squares problem does not have full column rank
    /// (numerically: reciprocal condition number of its triangular factor below the threshold).
    case rankDeficient(reciprocalCondition: Double)
    /// The least-squares problem has fewer rows than columns.
    case underdetermined(rows: Int, columns: Int)
    /// LAPACK reported an argument error (negative `info`); indicates a bug, kept as an error.
    case lapackArgumentError(info: Int)
}

/// Solution of a linear least-squares problem `min ‖A·X − B‖₂`.
public struct LeastSquaresSolution: Sendable, Hashable {
    /// The minimiser `X` (`A.columns × B.columns`).
    public var coefficients: Matrix
    /// Residual sum of squares `‖A·x_j − b_j‖²` for each right-hand side `j`.
    public var residualSumOfSquares: [Double]
    /// Reciprocal 1-norm condition number of the triangular QR factor of `A` (LAPACK `dtrcon`);
    /// near 0 means nearly collinear columns.
    public var reciprocalCondition: Double
}

/// Thin wrappers over OpenBLAS (CBLAS `dgemm`) and LAPACKE (`dposv`, `dgels`), returning typed
/// errors — never crashing — on singular, rank-deficient or malformed input.
/// Inputs are copied (LAPACK overwrites its arguments); no global state.
public enum LinearAlgebra {
    /// `op(A) · op(B)` with `op` = identity or transpose (BLAS `dgemm`).
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(left:right:)`` when the inner
    ///   dimensions differ; ``LinearAlgebraError/tooLarge`` beyond 32-bit sizes.
    /// Empty products (a zero inner dimension) give the zero matrix.
    public static func multiply(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false
    ) throws(LinearAlgebraError) -> Matrix {
        let m = transposeA ? a.columns : a.rows
        let inner = transposeA ? a.rows : a.columns
        let innerB = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        guard inner == innerB else {
            throw .dimensionMismatch(left: "\(m)×\(inner)", right: "\(innerB)×\(n)")
        }
        try checkSize(m, n, inner)
        var result = Matrix(rows: m, columns: n)
        if m == 0 || n == 0 || inner == 0 { return result }
        a.elements.withUnsafeBufferPointer { aBuffer in
            b.elements.withUnsafeBufferPointer { bBuffer in
                result.withMutableElements { cBuffer in
                    cblas_dgemm(
                        CblasColMajor,
                        transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        blasint(m), blasint(n), blasint(inner),
                        1.0, aBuffer.baseAddress, blasint(max(1, a.rows)),
                        bBuffer.baseAddress, blasint(max(1, b.rows)),
                        0.0, cBuffer.baseAddress, blasint(max(1, m))
                    )
                }
            }
        }
        return result
    }

    /// Solves `A·X = B` for symmetric positive-definite `A` by Cholesky factorisation
    /// (LAPACK `dposv`; only the upper triangle of `A` is read).
    ///
    /// - Parameter minimumReciprocalCondition: threshold on LAPACK's `dpocon` estimate of
    ///   `1/κ₁(A)`; below it the system is reported as numerically singular. Default `ε`
    ///   (2.2e-16): results are then accurate to roughly `κ·ε` relative.
    /// - Throws: ``LinearAlgebraError/notPositiveDefinite(leadingMinor:)``,
    ///   ``LinearAlgebraError/illConditioned(reciprocalCondition:)``,
    ///   ``LinearAlgebraError/dimensionMismatch(left:right:)`` (A not square or rows of B ≠ n),
    ///   ``LinearAlgebraError/nonFiniteInput``.
    public static func solveSymmetricPositiveDefinite(
        _ a: Matrix, _ b: Matrix, minimumReciprocalCondition: Double = Double.ulpOfOne
    ) throws(LinearAlgebraError) -> Matrix {
        guard a.rows == a.columns, b.rows == a.rows else {
            throw .dimensionMismatch(left: "\(a.rows)×\(a.columns)", right: "\(b.rows)×\(b.columns)")
        }
        guard a.isFinite, b.isFinite else { throw .nonFiniteInput }
        let n = a.rows
        try checkSize(n, b.columns, 1)
        if n == 0 || b.columns == 0 { return Matrix(rows: n, columns: b.columns) }
        var factor = a
        var solution = b
        let norm = factor.elements.withUnsafeBufferPointer { buffer in
            LAPACKE_dlange(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "1")), LapackInteger(n), LapackInteger(n), buffer.baseAddress, LapackInteger(n))
        }
        let info = factor.withMutableElements { aBuffer in
            solution.withMutableElements { bBuffer in
                LAPACKE_dposv(
                    LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), LapackInteger(n), LapackInteger(b.columns),
                    aBuffer.baseAddress, LapackInteger(n), bBuffer.baseAddress, LapackInteger(n)
                )
            }
        }
        if info < 0 { throw .lapackArgumentError(info: Int(info)) }
        if info > 0 { throw .notPositiveDefinite(leadingMinor: Int(info)) }
        var reciprocalCondition = 0.0
        let conditionInfo = factor.elements.withUnsafeBufferPointer { buffer in
            LAPACKE_dpocon(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), LapackInteger(n), buffer.baseAddress, LapackInteger(n), norm, &reciprocalCondition)
        }
        if conditionInfo < 0 { throw .lapackArgumentError(info: Int(conditionInfo)) }
        guard reciprocalCondition >= minimumReciprocalCondition else {
            throw .illConditioned(reciprocalCondition: reciprocalCondition)
        }
        return solution
    }

    /// Least-squares solution of `A·X ≈ B` for a full-column-rank `A` with `rows ≥ columns`,
    /// by Householder QR (LAPACK `dgels`, no pivoting), with the residual sum of squares.
    ///
    /// - Parameter minimumReciprocalCondition: threshold on LAPACK's `dtrcon` estimate of
    ///   `1/κ₁(R)` for the triangular factor; below it the columns are reported as collinear.
    ///   Default `ε·max(rows, columns)` (NumPy's `lstsq` default cut-off on singular values).
    /// - Throws: ``LinearAlgebraError/rankDeficient(reciprocalCondition:)``,
    ///   ``LinearAlgebraError/underdetermined(rows:columns:)``,
    ///   ``LinearAlgebraError/dimensionMismatch(left:right:)`` (rows of B ≠ rows of A),
    ///   ``LinearAlgebraError/nonFiniteInput``.
    public static func leastSquares(
        _ a: Matrix, _ b: Matrix, minimumReciprocalCondition: Double? = nil
    ) throws(LinearAlgebraError) -> LeastSquaresSolution {
        guard b.rows == a.rows else {
            throw .dimensionMismatch(left: "\(a.rows)×\(a.columns)", right: "\(b.rows)×\(b.columns)")
        }
        guard a.rows >= a.columns else { throw .underdetermined(rows: a.rows, columns: a.columns) }
        guard a.isFinite, b.isFinite else { throw .nonFiniteInput }
        let m = a.rows
        let n = a.columns
        let rightHandSides = b.columns
        try checkSize(m, n, rightHandSides)
        if n == 0 || rightHandSides == 0 {
            let sums = (0..<rightHandSides).map { b.column($0).reduce(0) { $0 + $1 * $1 } }
            return LeastSquaresSolution(coefficients: Matrix(rows: n, columns: rightHandSides), residualSumOfSquares: sums, reciprocalCondition: 1)
        }
        var factor = a
        var work = b
        let info = factor.withMutableElements { aBuffer in
            work.withMutableElements { bBuffer in
                LAPACKE_dgels(
                    LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), LapackInteger(m), LapackInteger(n), LapackInteger(rightHandSides),
                    aBuffer.baseAddress, LapackInteger(m), bBuffer.baseAddress, LapackInteger(m)
                )
            }
        }
        if info < 0 { throw .lapackArgumentError(info: Int(info)) }
        if info > 0 { throw .rankDeficient(reciprocalCondition: 0) }
        var reciprocalCondition = 0.0
        let conditionInfo = factor.elements.withUnsafeBufferPointer { buffer in
            LAPACKE_dtrcon(
                LAPACK_COL_MAJOR, CChar(UInt8(ascii: "1")), CChar(UInt8(ascii: "U")), CChar(UInt8(ascii: "N")),
                LapackInteger(n), buffer.baseAddress, LapackInteger(m), &reciprocalCondition
            )
        }
        if conditionInfo < 0 { throw .lapackArgumentError(info: Int(conditionInfo)) }
        let threshold = minimumReciprocalCondition ?? Double.ulpOfOne * Double(max(m, n))
        guard reciprocalCondition >= threshold else { throw .rankDeficient(reciprocalCondition: reciprocalCondition) }
        var coefficients = Matrix(rows: n, columns: rightHandSides)
        var sums = [Double](repeating: 0, count: rightHandSides)
        for column in 0..<rightHandSides {
            for row in 0..<n {
                coefficients[row, column] = work[row, column]
            }
            // dgels leaves the residual components in rows n..<m of each column.
            for row in n..<m {
                sums[column] += work[row, column] * work[row, column]
            }
        }
        return LeastSquaresSolution(coefficients: coefficients, residualSumOfSquares: sums, reciprocalCondition: reciprocalCondition)
    }

    /// Rejects sizes that do not fit the 32-bit integers of the LAPACK/BLAS interface.
    private static func checkSize(_ first: Int, _ second: Int, _ third: Int) throws(LinearAlgebraError) {
        let limit = Int(Int32.max)
        guard first <= limit, second <= limit, third <= limit,
              !first.multipliedReportingOverflow(by: max(1, second)).overflow,
              first * max(1, second) <= limit, max(1, third) * max(first, second) <= limit
        else { throw .tooLarge }
    }
}

extension Matrix {
    /// Gives LAPACK/BLAS mutable access to the column-major storage.
    fileprivate mutating func withMutableElements<Result>(_ body: (inout UnsafeMutableBufferPointer<Double>) -> Result) -> Result {
        elements.withUnsafeMutableBufferPointer { buffer in body(&buffer) }
    }
}

/// LAPACKE's `lapack_int` (a C macro, not visible to Swift): 32-bit in Debian's LP64 build.
private typealias LapackInteger = Int32
