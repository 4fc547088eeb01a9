#!/usr/bin/python3
"""Expected values for tests/core/test_calibration_statistics.cpp, computed independently with scipy.

The Hoeffding-Bentkus p-value of Learn then Test (Angelopoulos et al., 2021) for a mean loss r over n samples and
a risk level delta:  p = min(exp(-n * h1(min(r, delta), delta)), e * P(Binomial(n, delta) <= ceil(n r))),
h1(a, b) = a log(a/b) + (1 - a) log((1 - a)/(1 - b)).  n r is rounded up after taking off 1e-9 (as the C++ does,
so that an integer sum of losses stays one).  Run: /usr/bin/python3 make_expected.py  (writes the two CSV files).
"""
import csv
import math

from scipy.stats import binom


def h1(a, b):
    first = a * math.log(a / b) if a > 0 else 0.0
    second = (1 - a) * math.log((1 - a) / (1 - b)) if a < 1 else 0.0
    return first + second


def p_value(r, n, delta):
    hoeffding = math.exp(-n * h1(min(r, delta), delta))
    k = math.ceil(n * r - 1e-9)
    bentkus = math.e * binom.cdf(k, n, delta)
    return hoeffding, float(binom.cdf(k, n, delta)), min(hoeffding, bentkus)


with open("p_values.csv", "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["mean_loss", "n", "delta", "binomial_cdf", "hoeffding", "p_value"])
    for n in (1, 5, 22, 100, 1000, 5000):
        for delta in (0.01, 0.05, 0.1, 0.3):
            for r in (0.0, 0.5 * delta, 0.9 * delta, delta, 1.5 * delta, 0.037, 3 / 7, 1.0):
                hoeffding, cdf, p = p_value(r, n, delta)
                out.writerow([repr(r), n, repr(delta), repr(cdf), repr(hoeffding), repr(p)])

# The fewest n with p(0) = (1 - delta)^n <= epsilon.
with open("samples_to_certify.csv", "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["delta", "epsilon", "samples"])
    for delta in (0.01, 0.05, 0.1, 0.2, 0.5):
        for epsilon in (0.01, 0.05, 0.1, 0.2):
            n = 1
            while p_value(0.0, n, delta)[2] > epsilon:
                n += 1
            out.writerow([repr(delta), repr(epsilon), n])
