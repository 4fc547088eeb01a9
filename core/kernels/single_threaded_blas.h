#pragma once
// OpenBLAS single-threaded for a scope. Where our own threads each call BLAS, and for one-row products between
// our own multi-threaded kernels: a multi-threaded OpenBLAS call leaves its worker threads spinning for a while
// after it returns, and they take the cores our next kernel's threads need (the decode step's bf16 products).
// Counted, so that products running at the same time on several caller threads (two models side by side) restore
// the caller's setting only when the last one ends.
#include <mutex>

extern "C" int openblas_get_num_threads(void);
extern "C" void openblas_set_num_threads(int);

namespace dynamax {

class SingleThreadedBlas {
 public:
  SingleThreadedBlas() {
    std::lock_guard lock(mutex());
    if (active()++ == 0) {
      saved() = openblas_get_num_threads();
      openblas_set_num_threads(1);
    }
  }
  ~SingleThreadedBlas() {
    std::lock_guard lock(mutex());
    if (--active() == 0) openblas_set_num_threads(saved());
  }
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static int& active() {
    static int n = 0;
    return n;
  }
  static int& saved() {
    static int n = 1;
    return n;
  }
};

}  // namespace dynamax
