// lsc — concurrent use (kernels.hpp: "no shared state: safe to call concurrently"; groups.hpp:
// "a Groups object is immutable after construction and can be shared between threads").
// Several std::threads run the transforms, the conjunction (N x K and P x K references with
// shared Groups, weighted), the kernels and the reference statistics on the same const inputs,
// each into its own outputs, many times; every result must equal, bit for bit, the result of
// a single-threaded run. Built in every configuration; under the `tsan` preset ThreadSanitizer
// checks that there is no data race. SPDX-License-Identifier: MIT
#include <lsc/lsc.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <thread>
#include <vector>

#include "check.hpp"

namespace {

template <class T>
T value(long i) {
  switch (i % 13) {
    case 0:
      return std::numeric_limits<T>::quiet_NaN();
    case 1:
      return -std::numeric_limits<T>::infinity();
    case 2:
      return std::numeric_limits<T>::denorm_min();
    default:
      return static_cast<T>((i * 104729) % 4001 - 2000) / T(97);
  }
}

template <class T>
struct Results {
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> utilities, transformed, reference;
  Eigen::Matrix<T, Eigen::Dynamic, 1> conjunction, grouped, indexed, weighted, kernel;
  std::vector<T> kernel_transform, kernel_grouped;
};

template <class T>
bool same_bits(const T* a, const T* b, Eigen::Index n) {
  return std::memcmp(a, b, static_cast<std::size_t>(n) * sizeof(T)) == 0;
}

template <class T>
bool operator==(const Results<T>& a, const Results<T>& b) {
  auto same = [](const auto& x, const auto& y) {
    return x.size() == y.size() &&
           same_bits(x.data(), y.data(), static_cast<Eigen::Index>(x.size()));
  };
  return same(a.utilities, b.utilities) && same(a.transformed, b.transformed) &&
         same(a.reference, b.reference) && same(a.conjunction, b.conjunction) &&
         same(a.grouped, b.grouped) && same(a.indexed, b.indexed) && same(a.weighted, b.weighted) &&
         same(a.kernel, b.kernel) && same(a.kernel_transform, b.kernel_transform) &&
         same(a.kernel_grouped, b.kernel_grouped);
}

template <class T>
struct Inputs {
  static constexpr Eigen::Index P = 16, G = 8, N = P * G, K = 5;
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rewards{N, K};
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> ref_rows{N, K}, samples{4 * N, K};
  Eigen::Matrix<T, Eigen::Dynamic, 1> weights{K};
  lsc::Groups uniform = lsc::Groups::uniform(P, G);
  lsc::Groups sample_groups = lsc::Groups::uniform(P, 4 * G);
  lsc::Groups indexed = lsc::Groups::uniform(0, 1);

  Inputs() {
    for (Eigen::Index i = 0; i < rewards.size(); ++i) rewards.data()[i] = value<T>(i);
    for (Eigen::Index i = 0; i < ref_rows.size(); ++i) ref_rows.data()[i] = value<T>(3 * i + 7);
    for (Eigen::Index i = 0; i < samples.size(); ++i) samples.data()[i] = value<T>(5 * i + 1);
    for (Eigen::Index k = 0; k < K; ++k) weights(k) = T(1) + T(k) / T(4);
    std::vector<Eigen::Index> index(static_cast<std::size_t>(N));
    for (Eigen::Index i = 0; i < N; ++i) index[static_cast<std::size_t>(i)] = (i * 5) % P;
    indexed = lsc::Groups::from_index(index, P);
  }
};

template <class T>
Results<T> compute(const Inputs<T>& in) {
  Results<T> r;
  const auto N = in.rewards.rows(), K = in.rewards.cols();
  r.reference = lsc::reference::quantile(in.samples, in.sample_groups, 0.85);
  r.utilities = lsc::utilities(in.rewards, r.reference, in.uniform);
  r.transformed.resize(N, K);
  r.transformed = lsc::transform(in.rewards, in.ref_rows);
  r.conjunction.resize(N);
  lsc::conjunction_into(r.conjunction, in.rewards, in.ref_rows);
  r.grouped = lsc::conjunction(in.rewards, r.reference, in.uniform);
  r.indexed = lsc::conjunction(in.rewards, r.reference, in.indexed);
  r.weighted = lsc::conjunction(in.rewards, r.reference, in.uniform, in.weights);
  r.kernel.resize(N);
  const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> ref_rm = in.ref_rows;
  lsc::kernels::conjunction(in.rewards.data(), ref_rm.data(), static_cast<std::size_t>(N),
                            static_cast<std::size_t>(K), lsc::Layout::row_major, in.weights.data(),
                            r.kernel.data());
  r.kernel_transform.resize(static_cast<std::size_t>(N * K));
  lsc::kernels::transform(in.rewards.data(), ref_rm.data(), r.kernel_transform.data(),
                          static_cast<std::size_t>(N * K));
  // Column 0 of the per-prompt references, as one reference per group of G*K elements.
  const Eigen::Matrix<T, Eigen::Dynamic, 1> group_ref = r.reference.col(0);
  r.kernel_grouped.resize(static_cast<std::size_t>(N * K));
  lsc::kernels::transform_grouped(
      in.rewards.data(), group_ref.data(), static_cast<std::size_t>(Inputs<T>::P),
      static_cast<std::size_t>(Inputs<T>::G * K), r.kernel_grouped.data());
  return r;
}

template <class T>
void run(const char* type, unsigned threads, int iterations) {
  const Inputs<T> inputs;  // shared, const, read by every thread
  const Results<T> expected = compute(inputs);
  std::vector<int> mismatches(threads, 0);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int it = 0; it < iterations; ++it) {
        if (!(compute(inputs) == expected)) ++mismatches[t];
      }
    });
  }
  for (auto& th : pool) th.join();
  for (unsigned t = 0; t < threads; ++t) {
    LSC_CHECK(mismatches[t] == 0,
              "<%s> thread %u: %d of %d runs differ from the single-threaded run", type, t,
              mismatches[t], iterations);
  }
}

}  // namespace

int main() {
  const unsigned threads = 4;
  run<float>("float", threads, 50);
  run<double>("double", threads, 50);
  std::printf("concurrency_test: %u threads, %d failure(s)\n", threads,
              lsc_reliability::failures());
  return lsc_reliability::failures() == 0 ? 0 : 1;
}
