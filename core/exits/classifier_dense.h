#pragma once
// The fully connected layer of the exit classifiers, forward and backward, on cblas_sgemm.
namespace dynamax {

// Y[T × out] = X[T × in] · Wᵀ + b, with W row-major [out × in] (as nn.Linear stores it); b may be null.
void dense_forward(const float* X, int T, int in, int out, const float* W, const float* b, float* Y);

// Given dY = ∂loss/∂Y: dW += dYᵀ · X, db += Σ_t dY[t] (when db is not null), and dX = dY · W (overwritten;
// skipped when dX is null, e.g. for the first layer, whose input is the frozen backbone's).
void dense_backward(const float* X, int T, int in, int out, const float* W, const float* dY, float* dW, float* db,
                    float* dX);

}  // namespace dynamax
