#pragma once
// The Hoeffding–Bentkus p-value of Learn then Test (Angelopoulos, Bates, Candès, Jordan, Lei, 2021; from Bates et
// al.'s risk-controlling prediction sets): a valid p-value for the null hypothesis "the expected loss exceeds δ",
// given the mean r̂ of n independent losses in [0, 1]:
//   p = min( exp(−n · h1(min(r̂, δ), δ)),  e · P(Binomial(n, δ) ≤ ⌈n r̂⌉) ),
//   h1(a, b) = a log(a/b) + (1 − a) log((1 − a)/(1 − b))   (with 0 log 0 = 0).
// The first term is Hoeffding's inequality in its Kullback–Leibler form, the second Bentkus's; each alone is a
// valid p-value, so their minimum is one too (the paper's construction).
#include <cstdint>

namespace dynamax {

// P(X ≤ k) for X ~ Binomial(n, p), n ≥ 0, p in [0, 1]: 0 for k < 0, 1 for k ≥ n.
double binomial_cdf(int64_t k, int64_t n, double p);

// h1(a, b) above, for a in [0, 1] and b in (0, 1).
double bernoulli_kl(double a, double b);

// The p-value above for a mean loss r̂ in [0, 1] over n ≥ 1 samples and a risk level δ in (0, 1). n r̂ is rounded
// up after taking off 1e-9, so that a sum of losses that is an integer stays one despite rounding in r̂.
double hoeffding_bentkus_p_value(double mean_loss, int64_t n, double delta);

// The fewest samples with which a zero observed risk gives p ≤ ε: p(0) = (1 − δ)^n, so ⌈log ε / log(1 − δ)⌉.
// Below it no threshold can be certified at (δ, ε), whatever the data. δ and ε in (0, 1).
int64_t samples_to_certify(double delta, double epsilon);

}  // namespace dynamax
