// lsc — log-sigmoid-centred reward utilities. SPDX-License-Identifier: MIT
//
// Raw-pointer kernels for callers with their own buffers (a torch tensor's data_ptr(), a
// NumPy array, a ring buffer). They take no Eigen types; inside, they map the buffers and
// run the same functors and the same aggregation loop as the Eigen API, so there is one
// implementation of the math. Vectorised for whatever the translation unit is compiled for
// (SSE2 by default on x86-64; AVX2/AVX-512 with -mavx2 -mfma / -mavx512f / -march=native);
// the scalar tail runs the same packet code on a broadcast packet, so every element gets
// the same bits whatever its position. No allocation (conjunction: unless k > 2048), no
// shared state: safe to call concurrently. Buffers need no particular alignment; `out` may
// be the same buffer as an input of the same length (in place).
#ifndef LSC_KERNELS_HPP
#define LSC_KERNELS_HPP

#include <Eigen/Core>

#include <cstddef>
#include <type_traits>

#include "aggregate.hpp"
#include "expr.hpp"

namespace lsc {

/// Storage order of an n x k buffer: row_major = element (i, j) at i*k + j (a [N, K] tensor).
enum class Layout { row_major, col_major };

namespace kernels {

namespace detail {
template <class T>
using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
template <class T>
Eigen::Map<const Array<T>> in(const T* p, std::size_t n) {
  return Eigen::Map<const Array<T>>(p, static_cast<Index>(n));
}
template <class T>
Eigen::Map<Array<T>> out(T* p, std::size_t n) {
  return Eigen::Map<Array<T>>(p, static_cast<Index>(n));
}
}  // namespace detail

/// out[i] = log σ(z[i]), i < n. Contract of lsc::log_sigmoid. noexcept, no allocation.
template <class T>
void log_sigmoid(const T* z, T* out, std::size_t n) noexcept {
  detail::out(out, n) = detail::in(z, n).unaryExpr(functors::log_sigmoid_op<T>());
}

/// out[i] = log σ(r[i] - ref[i]), i < n: the LSC transform with a reference per element.
template <class T>
void transform(const T* r, const T* ref, T* out, std::size_t n) noexcept {
  detail::out(out, n) = detail::in(r, n).binaryExpr(detail::in(ref, n), functors::lsc_op<T>());
}

/// The LSC transform for contiguous groups: r holds num_groups x group_size rewards, group
/// g at r[g*group_size ...]; ref holds one reference per group. out has the layout of r.
template <class T>
void transform_grouped(const T* r, const T* ref, std::size_t num_groups, std::size_t group_size,
                       T* out) noexcept {
  for (std::size_t g = 0; g < num_groups; ++g) {
    const std::size_t first = g * group_size;
    detail::out(out + first, group_size) =
        (detail::in(r + first, group_size) - ref[g]).unaryExpr(functors::log_sigmoid_op<T>());
  }
}

/// Fused conjunction: out[i] = Σ_j w[j] log σ(R(i, j) - ref(i, j)) for an n x k reward buffer
/// R and a reference buffer ref of the same shape and layout; weights may be nullptr (all 1)
/// or k finite non-negative values (std::invalid_argument otherwise, `out` untouched).
/// Reads each reward and reference once and writes each utility once.
template <class T>
void conjunction(const T* rewards, const T* ref, std::size_t n, std::size_t k, Layout layout,
                 const typename std::remove_cv<T>::type* weights, T* out) {
  using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using ColMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  const auto rows = static_cast<Index>(n), cols = static_cast<Index>(k);
  const Eigen::Map<Vector<T>> result(out, rows);
  const auto run = [&](const auto& r, const auto& f) {
    lsc::detail::checked_aggregate<functors::lsc_op<T>>(
        "lsc::kernels::conjunction", result, r, lsc::detail::per_row<std::decay_t<decltype(f)>>{f},
        weights, weights ? cols : lsc::detail::unweighted);
  };
  if (layout == Layout::row_major) {
    run(Eigen::Map<const RowMajor>(rewards, rows, cols),
        Eigen::Map<const RowMajor>(ref, rows, cols));
  } else {
    run(Eigen::Map<const ColMajor>(rewards, rows, cols),
        Eigen::Map<const ColMajor>(ref, rows, cols));
  }
}

}  // namespace kernels
}  // namespace lsc

#endif  // LSC_KERNELS_HPP
