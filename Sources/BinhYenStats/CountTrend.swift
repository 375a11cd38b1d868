/// Log-linear trend of a yearly count series — Poisson, quasi-Poisson and negative binomial
/// (NB2) fits, the overdispersion check and the model choice (SPEC §6 "count model";
/// METHODS §6). See `docs/guides/CountTrend.md`.
public enum CountTrend {
    /// Largest yearly count accepted (10⁷). Commune counts are far smaller; beyond this the
    /// predictive probabilities would cost seconds, and counts near 2⁵³ lose integer precision.
    public static let maximumCount = 10_000_000
    /// Largest span between the first and the last year (1000 years).
    public static let maximumYearSpan = 1000
    /// θ̂ above this (10⁶) counts as "no overdispersion": the negative binomial is then
    /// indistinguishable from Poisson and its fit falls back to Poisson (METHODS §6.3).
    public static let thetaLimit = 1e6

    /// Fits every count model to `observations` and picks the one for the SPEC fields.
    ///
    /// - Parameters:
    ///   - observations: one per year, any order; counts ≥ 0; population for every year or none.
    ///   - model: the model whose results fill the SPEC fields; `.auto` chooses by the
    ///     overdispersion check (see ``CountTrendAnalysis/model``).
    ///   - options: confidence level, test level, convergence settings.
    /// - Returns: the analysis; never traps. Whatever cannot be computed is `nil` with the
    ///   reason in ``CountTrendAnalysis/notes``: invalid input, fewer than 3 years, no events,
    ///   all events in the first or last year (unbounded slope), non-convergence.
    public static func analyze(
        _ observations: [CountTrendObservation], model: CountTrendModel = .auto, options: CountTrendOptions = CountTrendOptions()
    ) -> CountTrendAnalysis {
        var analysis = CountTrendAnalysis(requestedModel: model, options: options)
        guard options.areValid else {
            analysis.notes.append(.invalidOptions)
            return analysis
        }
        let series: CountSeries
        switch CountSeries.make(observations) {
        case .success(let value): series = value
        case .failure(let failure):
            analysis.notes.append(failure.note)
            return analysis
        }
        analysis.series = series
        let poisson: PoissonTrendFit
        switch PoissonTrendFit.make(series, options: options) {
        case .success(let value): poisson = value
        case .failure(let failure):
            analysis.notes.append(failure.note)
            return analysis
        }
        analysis.poisson = poisson
        analysis.overdispersion = OverdispersionCheck(poisson: poisson)
        switch QuasiPoissonTrendFit.make(poisson, total: series.total, confidence: options.confidence) {
        case .success(let value): analysis.quasiPoisson = value
        case .failure(let failure): analysis.quasiPoissonUnavailable = failure.note
        }
        switch NegativeBinomialTrendFit.make(series, poisson: poisson.fit, options: options) {
        case .success(let value): analysis.negativeBinomial = value
        case .failure(let failure): analysis.negativeBinomialUnavailable = failure.note
        }
        let chosen = analysis.resolve(model, significanceLevel: options.significanceLevel)
        analysis.model = chosen.model
        analysis.notes = chosen.notes
        if chosen.model == .poisson, poisson.profileInterval == nil { analysis.notes.append(.profileIntervalUnavailable) }
        analysis.fillSummary()
        if analysis.annualRateRatio != nil, analysis.annualRateRatioLower != nil, analysis.annualRateRatioUpper == nil {
            analysis.notes.append(.rateRatioIntervalUnbounded)
        }
        return analysis
    }
}

/// Result of ``CountTrend/analyze(_:model:options:)``: the fits of all three count models,
/// the overdispersion check, the model used and its summary in SPEC §6 fields.
///
/// Every optional is `nil` exactly when the value is undefined, with the reason in ``notes``.
public struct CountTrendAnalysis: Sendable, Hashable {
    /// The model asked for.
    public var requestedModel: CountTrendModel
    /// The model used (SPEC `model`; never `.auto`): the requested one, except that `negbin`
    /// falls back to `poisson` when NB is unavailable (``CountModelNote/noOverdispersion``,
    /// ``CountModelNote/negativeBinomialDidNotConverge``), and `auto` resolves to `poisson` if
    /// `φ̂ ≤ 1` or the Pearson test is not significant at the chosen level, else `negbin`, else
    /// `quasipoisson`. `nil` when nothing could be fitted.
    public var model: CountTrendModel?
    /// Annual rate ratio `exp(β̂₁)` of the model used (SPEC `annual_rr`).
    public var annualRateRatio: Double?
    /// Lower end of its interval (SPEC `annual_rr_lo`): profile likelihood for Poisson (Wald if
    /// the profile fails), t-based Wald for quasi-Poisson, Wald for NB.
    public var annualRateRatioLower: Double?
    /// Upper end of the same interval (SPEC `annual_rr_hi`); `nil` with
    /// ``CountModelNote/rateRatioIntervalUnbounded`` if it overflows.
    public var annualRateRatioUpper: Double?
    /// Two-sided p-value of the slope under the model used (SPEC `model_p`): Wald z for
    /// Poisson and NB, t on `n − 2` df for quasi-Poisson; `nil` for quasi-Poisson without
    /// residual variation.
    public var modelP: Double?
    /// Pearson dispersion `X²/(n − 2)` of the Poisson fit (SPEC `dispersion`), whatever the model.
    public var dispersion: Double?
    /// θ̂ when the negative binomial is the model used (SPEC `theta`), else `nil`.
    public var theta: Double?
    /// Reasons for every `nil` above and the model-choice explanation, in order.
    public var notes: [CountModelNote] = []

    /// Poisson fit (`nil` only when nothing could be fitted; see ``notes``).
    public var poisson: PoissonTrendFit?
    /// Quasi-Poisson fit; `nil` with ``quasiPoissonUnavailable`` when there is no residual variation.
    public var quasiPoisson: QuasiPoissonTrendFit?
    /// Why ``quasiPoisson`` is `nil` while the Poisson fit exists.
    public var quasiPoissonUnavailable: CountModelNote?
    /// Negative binomial fit; `nil` with ``negativeBinomialUnavailable`` when θ̂ > 10⁶ or it
    /// did not converge.
    public var negativeBinomial: NegativeBinomialTrendFit?
    /// Why ``negativeBinomial`` is `nil` while the Poisson fit exists.
    public var negativeBinomialUnavailable: CountModelNote?
    /// Pearson and deviance overdispersion tests of the Poisson fit.
    public var overdispersion: OverdispersionCheck?

    /// Confidence level and settings used.
    public var options: CountTrendOptions
    /// The validated series (kept for forecasts).
    var series: CountSeries?

    init(requestedModel: CountTrendModel, options: CountTrendOptions) {
        self.requestedModel = requestedModel
        self.options = options
    }

    /// The model used for `requested`, with the notes explaining the choice.
    func resolve(_ requested: CountTrendModel, significanceLevel: Double) -> (model: CountTrendModel, notes: [CountModelNote]) {
        let negativeBinomialNotes = negativeBinomialUnavailable.map { [$0] } ?? []
        switch requested {
        case .poisson:
            return (.poisson, [])
        case .quasipoisson:
            return (.quasipoisson, quasiPoissonUnavailable.map { [$0] } ?? [])
        case .negbin:
            return negativeBinomial == nil ? (.poisson, negativeBinomialNotes) : (.negbin, [])
        case .auto:
            guard let overdispersion else { return (.poisson, []) }
            if !(overdispersion.dispersion > 1) { return (.poisson, [.autoPoissonNotOverdispersed]) }
            if !(overdispersion.pearsonPValue < significanceLevel) {
                return (.poisson, [.autoPoissonOverdispersionNotSignificant])
            }
            if negativeBinomial != nil { return (.negbin, [.autoNegativeBinomial]) }
            return (.quasipoisson, negativeBinomialNotes + [.autoQuasiPoisson])
        }
    }

    /// Copies the SPEC fields from the fit of ``model``.
    mutating func fillSummary() {
        guard let poisson, let model else { return }
        dispersion = poisson.dispersion
        switch model {
        case .negbin:
            guard let fit = negativeBinomial else { return }
            annualRateRatio = fit.annualRateRatio
            annualRateRatioLower = fit.waldInterval.lower
            annualRateRatioUpper = fit.waldInterval.upper
            modelP = fit.slope.pValue
            theta = fit.theta
        case .quasipoisson:
            annualRateRatio = poisson.annualRateRatio
            guard let fit = quasiPoisson else { return }
            annualRateRatioLower = fit.waldInterval.lower
            annualRateRatioUpper = fit.waldInterval.upper
            modelP = fit.slope.pValue
        case .poisson, .auto:
            annualRateRatio = poisson.annualRateRatio
            let interval = poisson.profileInterval ?? poisson.waldInterval
            annualRateRatioLower = interval.lower
            annualRateRatioUpper = interval.upper
            modelP = poisson.slope.pValue
        }
    }
}
