/// Count model of the log-linear trend (SPEC §6 field `model`; CLI `--model`).
public enum CountTrendModel: String, Sendable, Hashable, CaseIterable {
    /// Poisson GLM, log link (R `glm(family = poisson)`), METHODS §6.1.
    case poisson
    /// Quasi-Poisson: Poisson estimates, standard errors scaled by `√φ̂`, t tests on `n − 2` df
    /// (R `glm(family = quasipoisson)`), METHODS §6.2.
    case quasipoisson
    /// Negative binomial NB2 with maximum-likelihood θ (MASS `glm.nb`), METHODS §6.3.
    case negbin
    /// Choose by the overdispersion check (METHODS §6.4): Poisson unless the Pearson dispersion
    /// exceeds 1 significantly, then the negative binomial (quasi-Poisson if NB is unavailable).
    case auto
}

/// One year of a count series: the calendar year, the count (≥ 0) and, optionally, the
/// population at risk (the exposure; its logarithm is the model offset).
public struct CountTrendObservation: Sendable, Hashable {
    /// Calendar year.
    public var year: Int
    /// Number of events in the year (must be ≥ 0).
    public var count: Int
    /// Population (> 0) when the trend is to be judged on rates; `nil` for plain counts.
    /// Either every observation has one or none has.
    public var population: Double?

    /// An observation; `population: nil` for plain counts.
    public init(year: Int, count: Int, population: Double? = nil) {
        self.year = year
        self.count = count
        self.population = population
    }
}

/// Settings of the count-trend fits.
public struct CountTrendOptions: Sendable, Hashable {
    /// Confidence level of every interval, in (0, 1). Default 0.95.
    public var confidence: Double
    /// Level of the Pearson overdispersion test used by ``CountTrendModel/auto``, in (0, 1).
    /// Default 0.05.
    public var significanceLevel: Double
    /// IRLS stops when the deviance changes by less than `ε·(|D| + 0.1)` (R `glm.control(epsilon)`);
    /// the negative binomial alternation stops when `|Δℓ|/√(2·df) + |Δθ|/θ < ε`. Default 1e-10
    /// (R's default is 1e-8; the golden references use 1e-14).
    public var convergenceTolerance: Double
    /// Bound on IRLS iterations per fit and on negative binomial alternations. Default 100
    /// (R uses 25 and then warns; a fit that converges within 25 is identical).
    public var maximumIterations: Int

    /// Options with the defaults above.
    public init(
        confidence: Double = 0.95, significanceLevel: Double = 0.05,
        convergenceTolerance: Double = 1e-10, maximumIterations: Int = 100
    ) {
        self.confidence = confidence
        self.significanceLevel = significanceLevel
        self.convergenceTolerance = convergenceTolerance
        self.maximumIterations = maximumIterations
    }

    /// Whether every setting is in range (levels strictly inside (0, 1), tolerance in
    /// (0, 0.1], at least one iteration).
    var areValid: Bool {
        confidence > 0 && confidence < 1 && significanceLevel > 0 && significanceLevel < 1
            && convergenceTolerance > 0 && convergenceTolerance <= 0.1 && maximumIterations >= 1
    }
}

/// A regression coefficient with its Wald test.
public struct CoefficientEstimate: Sendable, Hashable {
    /// The estimate (log scale).
    public var estimate: Double
    /// Its standard error.
    public var standardError: Double
    /// `estimate / standardError` — a z statistic (Poisson, negative binomial) or a t statistic
    /// (quasi-Poisson).
    public var statistic: Double
    /// Two-sided p-value of `statistic` (normal, or Student t on the residual df).
    public var pValue: Double
}

/// Covariance matrix of the two coefficients (intercept at the first year, slope per year).
public struct CoefficientCovariance: Sendable, Hashable {
    /// `Var(β̂₀)`.
    public var intercept: Double
    /// `Cov(β̂₀, β̂₁)`.
    public var interceptSlope: Double
    /// `Var(β̂₁)`.
    public var slope: Double
}

/// Why a count-model quantity is unavailable, or what the model choice did — each with a
/// sentence in English and Vietnamese (NFC, full diacritics) for the `note` field (SPEC §6).
public enum CountModelNote: Sendable, Hashable {
    /// The options are out of range (levels not strictly in (0, 1), tolerance not in (0, 0.1],
    /// no iterations allowed).
    case invalidOptions
    /// Fewer than 3 years with data (the value is the number of years).
    case tooFewYears(Int)
    /// A count is negative (the value is its year).
    case negativeCount(year: Int)
    /// A count exceeds ``CountTrend/maximumCount``.
    case countTooLarge(year: Int)
    /// The same year occurs twice.
    case duplicateYear(Int)
    /// The years span more than ``CountTrend/maximumYearSpan`` years.
    case yearSpanTooLarge
    /// A population is not a positive finite number (the value is its year).
    case invalidPopulation(year: Int)
    /// Populations are given for some years but not all.
    case populationIncomplete
    /// Every count is 0: no trend can be estimated ("no events").
    case noEvents
    /// All events fall in the first (or last) year: the maximum-likelihood slope is −∞ (+∞).
    case eventsOnlyInEndYear(Int)
    /// The iterative fit did not converge within the allowed iterations.
    case fitDidNotConverge
    /// The fit is numerically singular (weights under- or overflowed).
    case numericallySingular
    /// The counts follow the fitted curve exactly (e.g. a constant series without population):
    /// the dispersion is 0 and quasi-Poisson tests are undefined.
    case noResidualVariation
    /// θ̂ → ∞ (θ̂ > 10⁶): the counts are no more variable than Poisson; the Poisson model is used.
    case noOverdispersion
    /// The negative binomial fit did not converge; the Poisson model is used.
    case negativeBinomialDidNotConverge
    /// `auto`: the Pearson dispersion is at most 1 — Poisson model.
    case autoPoissonNotOverdispersed
    /// `auto`: the dispersion exceeds 1 but not significantly — Poisson model.
    case autoPoissonOverdispersionNotSignificant
    /// `auto`: significant overdispersion — negative binomial model.
    case autoNegativeBinomial
    /// `auto`: significant overdispersion but no negative binomial fit — quasi-Poisson model.
    case autoQuasiPoisson
    /// The profile-likelihood interval could not be found; the Wald interval is reported.
    case profileIntervalUnavailable
    /// The requested model could not be fitted, so no forecast is made.
    case noForecastWithoutModel
    /// The target count given by the caller is negative.
    case invalidTarget
    /// The population given for the forecast year is not a positive finite number.
    case invalidForecastPopulation
    /// The upper end of the rate-ratio interval overflows double precision (reported as `nil`,
    /// i.e. +∞): the standard error is enormous.
    case rateRatioIntervalUnbounded
    /// Quasi-Poisson dispersion above ``CountTrend/maximumForecastDispersion``: no forecast.
    case dispersionTooLarge
    /// The forecast (mean interval or prediction interval) extends beyond
    /// ``CountTrend/forecastCountLimit`` counts or the double range: those ends are `nil`.
    case forecastOutOfRange

    /// The sentence in English.
    public var english: String {
        switch self {
        case .invalidOptions:
            return "invalid options: confidence and significance level must lie strictly between 0 and 1"
        case .tooFewYears(let count):
            return "only \(count) year(s) with data: a count trend needs at least 3"
        case .negativeCount(let year):
            return "negative count in \(year)"
        case .countTooLarge(let year):
            return "count in \(year) exceeds \(CountTrend.maximumCount), outside the range of the count model"
        case .duplicateYear(let year):
            return "year \(year) occurs more than once"
        case .yearSpanTooLarge:
            return "the years span more than \(CountTrend.maximumYearSpan) years"
        case .invalidPopulation(let year):
            return "population of \(year) is not a positive number"
        case .populationIncomplete:
            return "population given for some years only: give it for every year or for none"
        case .noEvents:
            return "no events in any year: no trend can be estimated"
        case .eventsOnlyInEndYear(let year):
            return "all events fall in \(year), at the end of the series: the trend is unbounded"
        case .fitDidNotConverge:
            return "the model fit did not converge"
        case .numericallySingular:
            return "the model fit is numerically singular"
        case .noResidualVariation:
            return "the counts follow the fitted trend exactly: dispersion 0, quasi-Poisson tests undefined"
        case .noOverdispersion:
            return "no overdispersion detected — Poisson model used"
        case .negativeBinomialDidNotConverge:
            return "the negative binomial fit did not converge — Poisson model used"
        case .autoPoissonNotOverdispersed:
            return "Poisson model chosen: dispersion not above 1"
        case .autoPoissonOverdispersionNotSignificant:
            return "Poisson model chosen: overdispersion not significant (Pearson test)"
        case .autoNegativeBinomial:
            return "negative binomial model chosen: significant overdispersion (Pearson test)"
        case .autoQuasiPoisson:
            return "quasi-Poisson model chosen: significant overdispersion, negative binomial not available"
        case .profileIntervalUnavailable:
            return "profile-likelihood interval not found: Wald interval reported"
        case .noForecastWithoutModel:
            return "no fitted model: no forecast"
        case .invalidTarget:
            return "the target count must not be negative"
        case .invalidForecastPopulation:
            return "the population of the forecast year is not a positive number"
        case .rateRatioIntervalUnbounded:
            return "the rate-ratio interval is unbounded above (standard error too large)"
        case .dispersionTooLarge:
            return "dispersion above 1,000,000: the counts are too erratic for a forecast"
        case .forecastOutOfRange:
            return "the forecast interval extends beyond \(CountTrend.forecastCountLimit) cases: not computed"
        }
    }

    /// The sentence in Vietnamese.
    public var vietnamese: String {
        switch self {
        case .invalidOptions:
            return "tùy chọn không hợp lệ: độ tin cậy và mức ý nghĩa phải nằm trong khoảng (0, 1)"
        case .tooFewYears(let count):
            return "chỉ có \(count) năm có số liệu: cần ít nhất 3 năm để ước lượng xu hướng"
        case .negativeCount(let year):
            return "số liệu năm \(year) bị âm"
        case .countTooLarge(let year):
            return "số liệu năm \(year) vượt quá \(CountTrend.maximumCount), ngoài phạm vi của mô hình đếm"
        case .duplicateYear(let year):
            return "năm \(year) xuất hiện nhiều lần"
        case .yearSpanTooLarge:
            return "các năm trải dài quá \(CountTrend.maximumYearSpan) năm"
        case .invalidPopulation(let year):
            return "dân số năm \(year) không phải là số dương"
        case .populationIncomplete:
            return "chỉ một số năm có dân số: cần có dân số cho mọi năm hoặc bỏ trống tất cả"
        case .noEvents:
            return "không có vụ việc nào trong mọi năm: không ước lượng được xu hướng"
        case .eventsOnlyInEndYear(let year):
            return "mọi vụ việc đều rơi vào năm \(year), ở đầu mút chuỗi số liệu: xu hướng không xác định"
        case .fitDidNotConverge:
            return "mô hình không hội tụ"
        case .numericallySingular:
            return "mô hình suy biến về mặt tính toán"
        case .noResidualVariation:
            return "số liệu khớp hoàn toàn với xu hướng: độ phân tán bằng 0, không kiểm định được theo quasi-Poisson"
        case .noOverdispersion:
            return "không phát hiện phân tán quá mức — dùng mô hình Poisson"
        case .negativeBinomialDidNotConverge:
            return "mô hình nhị thức âm không hội tụ — dùng mô hình Poisson"
        case .autoPoissonNotOverdispersed:
            return "chọn mô hình Poisson: độ phân tán không vượt quá 1"
        case .autoPoissonOverdispersionNotSignificant:
            return "chọn mô hình Poisson: phân tán quá mức không có ý nghĩa thống kê (kiểm định Pearson)"
        case .autoNegativeBinomial:
            return "chọn mô hình nhị thức âm: phân tán quá mức có ý nghĩa thống kê (kiểm định Pearson)"
        case .autoQuasiPoisson:
            return "chọn mô hình quasi-Poisson: phân tán quá mức có ý nghĩa, không ước lượng được mô hình nhị thức âm"
        case .profileIntervalUnavailable:
            return "không tìm được khoảng tin cậy hợp lý cực đại: dùng khoảng Wald"
        case .noForecastWithoutModel:
            return "không có mô hình: không dự báo"
        case .invalidTarget:
            return "ngưỡng mục tiêu không được âm"
        case .invalidForecastPopulation:
            return "dân số của năm dự báo không phải là số dương"
        case .rateRatioIntervalUnbounded:
            return "khoảng tin cậy của tỉ số tỉ suất không bị chặn trên (sai số chuẩn quá lớn)"
        case .dispersionTooLarge:
            return "độ phân tán vượt quá 1.000.000: số liệu biến động quá thất thường để dự báo"
        case .forecastOutOfRange:
            return "khoảng dự báo vượt quá \(CountTrend.forecastCountLimit) vụ: không tính"
        }
    }
}
