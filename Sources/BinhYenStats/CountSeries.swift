#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A validated yearly count series prepared for the log-linear models: sorted by year, time
/// `t = year − first year` (gaps kept), centred times for the fits, offsets `log(population)`.
struct CountSeries: Sendable, Hashable {
    /// Years in increasing order.
    let years: [Int]
    /// Counts as integers (for target arithmetic) and as doubles (for the fits).
    let integerCounts: [Int]
    let counts: [Double]
    /// `t − t̄`, where `t = year − years[0]` and `t̄` is the mean of `t`.
    let centredTimes: [Double]
    /// `t̄`, the mean of `t = year − years[0]`.
    let timeCentre: Double
    /// `log(population)` per year, or all 0 without populations.
    let offsets: [Double]
    /// Populations, when given.
    let populations: [Double]?
    /// `Σ y`.
    let total: Double

    var count: Int { years.count }
    var firstYear: Int { years[0] }
    var lastYear: Int { years[years.count - 1] }
    var hasOffset: Bool { populations != nil }

    /// Validates `observations` (any order). Fails with the first problem found, in the order:
    /// negative or too large count, invalid or partly missing population, duplicate year,
    /// fewer than 3 years, year span too large, all counts zero, events only at one end.
    static func make(_ observations: [CountTrendObservation]) -> Result<CountSeries, CountModelFailure> {
        for observation in observations {
            if observation.count < 0 { return .failure(CountModelFailure(.negativeCount(year: observation.year))) }
            if observation.count > CountTrend.maximumCount {
                return .failure(CountModelFailure(.countTooLarge(year: observation.year)))
            }
            if let population = observation.population, !(population > 0 && population.isFinite) {
                return .failure(CountModelFailure(.invalidPopulation(year: observation.year)))
            }
        }
        let withPopulation = observations.filter { $0.population != nil }.count
        if withPopulation != 0 && withPopulation != observations.count {
            return .failure(CountModelFailure(.populationIncomplete))
        }
        let sorted = observations.sorted { $0.year < $1.year }
        for index in sorted.indices.dropFirst() where sorted[index].year == sorted[index - 1].year {
            return .failure(CountModelFailure(.duplicateYear(sorted[index].year)))
        }
        guard sorted.count >= 3, let first = sorted.first, let last = sorted.last else {
            return .failure(CountModelFailure(.tooFewYears(sorted.count)))
        }
        let span = last.year.subtractingReportingOverflow(first.year)
        if span.overflow || span.partialValue > CountTrend.maximumYearSpan {
            return .failure(CountModelFailure(.yearSpanTooLarge))
        }
        let integerCounts = sorted.map(\.count)
        let positive = sorted.filter { $0.count > 0 }
        guard let firstPositive = positive.first, let lastPositive = positive.last else {
            return .failure(CountModelFailure(.noEvents))
        }
        // Events in a single year at either end: the likelihood keeps increasing as the slope
        // tends to ∓∞ (no maximum-likelihood estimate; R reports a huge slope and warns).
        if firstPositive.year == lastPositive.year, firstPositive.year == first.year || firstPositive.year == last.year {
            return .failure(CountModelFailure(.eventsOnlyInEndYear(firstPositive.year)))
        }
        let times = sorted.map { Double($0.year - first.year) }
        let centre = times.reduce(0, +) / Double(times.count)
        let populations: [Double]? = withPopulation == 0 ? nil : sorted.compactMap(\.population)
        return .success(CountSeries(
            years: sorted.map(\.year),
            integerCounts: integerCounts,
            counts: integerCounts.map(Double.init),
            centredTimes: times.map { $0 - centre },
            timeCentre: centre,
            offsets: populations.map { $0.map { log($0) } } ?? Array(repeating: 0, count: sorted.count),
            populations: populations,
            total: integerCounts.map(Double.init).reduce(0, +)
        ))
    }
}

/// A failure of a count-model computation, carrying the note that explains it.
struct CountModelFailure: Error, Sendable, Hashable {
    let note: CountModelNote

    init(_ note: CountModelNote) {
        self.note = note
    }
}
