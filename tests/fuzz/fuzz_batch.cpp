// lsc — libFuzzer harness for the public batch APIs. SPDX-License-Identifier: MIT
//
// One input chooses a scalar type (float/double), shapes (including 0 and K > 2048, the heap
// path of the aggregation), a layout, reward / reference values (arbitrary bit patterns, NaN,
// ±inf, subnormals, extremes), weights (valid, negative, NaN, inf, the wrong count), groups
// (uniform with arbitrary P and G, ragged offsets, an index; valid or not), a quantile level,
// the output length, and calls the kernels, the Eigen API and the reference statistics.
// Properties checked (a violation aborts, which libFuzzer reports as a crash):
//   * the only exception is std::invalid_argument (any other escapes and aborts);
//   * on std::invalid_argument the caller's output still holds the poison it was given;
//   * log σ results are never > 0; the kernels give the same bits as the scalar functions and
//     the same bits as the Eigen API (one implementation);
//   * quantile / median / mean of finite samples lie within [min, max] of the group.
#include <lsc/lsc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "fuzz_input.hpp"

namespace {

// Same bits, except that any two NaNs are equal: which NaN payload and sign an operation on
// NaNs returns is not specified (x86 gives -nan for inf - inf, the first operand's NaN
// otherwise), and it differs between the vector body and the tail and between compilers.
template <class T>
bool same_value(const T& a, const T& b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0 || (std::isnan(a) && std::isnan(b));
}

template <class T>
bool same_bits(const T* a, const T* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!same_value(a[i], b[i])) return false;
  return true;
}

// Like same_bits, but prints the first difference before failing.
template <class T>
void require_same_bits(const T* a, const T* b, std::size_t n, const char* what) {
  for (std::size_t i = 0; i < n; ++i) {
    if (!same_value(a[i], b[i])) {
      std::fprintf(stderr, "%s: element %zu differs: %a vs %a\n", what, i,
                   static_cast<double>(a[i]), static_cast<double>(b[i]));
      std::abort();
    }
  }
}

template <class T>
T poison() {
  return T(-4242.5);
}

template <class V>
bool poisoned(const V& v) {
  using T = typename V::Scalar;
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    const T p = poison<T>();
    if (std::memcmp(&v.data()[i], &p, sizeof(T)) != 0) return false;
  }
  return true;
}

// Calls f(); returns true if it succeeded, false if it threw std::invalid_argument.
template <class F>
bool accepted(F&& f) {
  try {
    f();
    return true;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

lsc::Groups make_groups(lsc_fuzz::Input& in, Eigen::Index n, bool& ok) {
  ok = true;
  try {
    switch (in.byte() % 4) {
      case 0: {  // uniform with arbitrary parameters, including negative and huge ones
        const auto p = in.bits<std::int64_t>() >> (in.byte() % 64);
        const auto g = in.bits<std::int64_t>() >> (in.byte() % 64);
        return lsc::Groups::uniform(p, g);
      }
      case 1: {  // ragged offsets, possibly invalid
        std::vector<Eigen::Index> offsets;
        const long count = in.range(0, 10);
        Eigen::Index at = in.flag() ? 0 : in.range(-2, 2);
        for (long i = 0; i < count; ++i) {
          offsets.push_back(at);
          at += in.range(-1, n > 0 ? n : 1);
        }
        if (in.flag() && !offsets.empty()) offsets.back() = n;
        return lsc::Groups::from_offsets(offsets);
      }
      case 2: {  // an index over P prompts, possibly out of range or missing a prompt
        const long p = in.range(0, 8);
        std::vector<long> index(static_cast<std::size_t>(n));
        for (auto& i : index) i = in.range(-1, p);
        return lsc::Groups::from_index(index, p);
      }
      default: {  // a valid uniform split of n
        const long g = in.range(1, 4);
        return lsc::Groups::uniform(n / g, g);
      }
    }
  } catch (const std::invalid_argument&) {
    ok = false;
    return lsc::Groups::uniform(0, 1);
  }
}

template <class T>
void run(lsc_fuzz::Input& in) {
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

  const bool wide = (in.byte() % 8) == 0;  // K around block_elements: the heap scratch path
  const Eigen::Index n = wide ? in.range(0, 3) : in.range(0, 40);
  const Eigen::Index k = wide ? in.range(2040, 2060) : in.range(0, 9);
  const bool row_major = in.flag();
  Matrix r(n, k), ref(n, k);
  for (Eigen::Index i = 0; i < r.size(); ++i) r.data()[i] = in.number<T>();
  for (Eigen::Index i = 0; i < ref.size(); ++i) ref.data()[i] = in.number<T>();
  const RowMatrix r_rm = r, ref_rm = ref;
  const auto un = static_cast<std::size_t>(n), uk = static_cast<std::size_t>(k);
  const std::size_t nk = un * uk;

  // --- Element-wise kernels vs the scalar functions and the expressions.
  std::vector<T> out(nk), out2(nk);
  lsc::kernels::log_sigmoid(r.data(), out.data(), nk);
  for (std::size_t i = 0; i < nk; ++i) {
    const T expected = lsc::log_sigmoid(r.data()[i]);
    LSC_FUZZ_REQUIRE(same_bits(&out[i], &expected, 1));
    LSC_FUZZ_REQUIRE(!(out[i] > T(0)));
  }
  lsc::kernels::transform(r.data(), ref.data(), out.data(), nk);
  const Matrix expr = lsc::transform(r, ref);
  LSC_FUZZ_REQUIRE(same_bits(out.data(), expr.data(), nk));
  out2.assign(r.data(), r.data() + nk);
  lsc::kernels::transform(out2.data(), ref.data(), out2.data(), nk);  // in place
  LSC_FUZZ_REQUIRE(same_bits(out.data(), out2.data(), nk));
  if (k > 0 && n > 0) {  // groups of the flat buffer: one reference per column of r
    lsc::kernels::transform_grouped(r.data(), ref.data(), uk, un, out.data());
    for (std::size_t j = 0; j < uk; ++j)
      for (std::size_t i = 0; i < un; ++i) {
        const T expected = lsc::log_sigmoid(r.data()[j * un + i] - ref.data()[j]);
        LSC_FUZZ_REQUIRE(same_bits(&out[j * un + i], &expected, 1));
      }
  }

  // --- Weights: absent, valid, or whatever the input says (negative, NaN, inf, wrong count).
  const std::uint8_t weight_mode = in.byte() % 3;
  Vector w;
  if (weight_mode == 1) {
    w.resize(k);
    for (Eigen::Index j = 0; j < k; ++j) w(j) = std::fabs(static_cast<T>(in.range(0, 8)) / T(2));
  } else if (weight_mode == 2) {
    // Any count, empty included: an empty vector must be rejected for k > 0, not read as
    // "no weights" (a fixed finding, docs/reliability.md).
    w.resize(in.flag() ? k : in.range(0, 10));
    for (Eigen::Index j = 0; j < w.size(); ++j) w(j) = in.number<T>();
  }
  const T* wp = weight_mode == 0 ? nullptr : w.data();
  if (std::getenv("LSC_FUZZ_VERBOSE")) {
    std::fprintf(stderr, "%s n=%ld k=%ld %s weights=%d (%ld)\n",
                 sizeof(T) == 4 ? "float" : "double", static_cast<long>(n), static_cast<long>(k),
                 row_major ? "row-major" : "col-major", weight_mode, static_cast<long>(w.size()));
  }
  const bool weights_valid =
      weight_mode == 0 || (w.size() == k && std::all_of(w.data(), w.data() + w.size(), [](T x) {
                             return x >= T(0) && std::isfinite(x);
                           }));

  // --- Raw-pointer conjunction (n x k), then the Eigen API on the same data.
  Vector kernel_out = Vector::Constant(n, poison<T>());
  const bool kernel_ok = accepted([&] {
    if (weight_mode == 2 && w.size() != k) {
      // The kernel takes k weights by pointer; a shorter buffer is the caller's bug, not
      // an input lsc can see. Only the values are fuzzed here.
      if (w.size() < k) throw std::invalid_argument("skip");
    }
    lsc::kernels::conjunction(
        row_major ? r_rm.data() : r.data(), row_major ? ref_rm.data() : ref.data(), un, uk,
        row_major ? lsc::Layout::row_major : lsc::Layout::col_major, wp, kernel_out.data());
  });
  if (!kernel_ok) LSC_FUZZ_REQUIRE(poisoned(kernel_out));

  const Eigen::Index out_len = in.flag() ? n : in.range(0, 41);
  Vector api_out = Vector::Constant(out_len, poison<T>());
  const bool api_ok = accepted([&] {
    if (weight_mode == 0) {
      row_major ? lsc::conjunction_into(api_out, r_rm, ref_rm)
                : lsc::conjunction_into(api_out, r, ref);
    } else {
      row_major ? lsc::conjunction_into(api_out, r_rm, ref_rm, w)
                : lsc::conjunction_into(api_out, r, ref, w);
    }
  });
  LSC_FUZZ_REQUIRE(api_ok == (weights_valid && out_len == n));
  if (!api_ok) {
    LSC_FUZZ_REQUIRE(poisoned(api_out));
  } else {
    LSC_FUZZ_REQUIRE(kernel_ok);
    require_same_bits(api_out.data(), kernel_out.data(), un,
                      "conjunction_into vs kernels::conjunction");
    for (Eigen::Index i = 0; i < n; ++i) LSC_FUZZ_REQUIRE(!(api_out(i) > T(0)));
    // Same layout, same bits. (Row- and column-major inputs are not compared bit for bit: the
    // sum over k is evaluated in a different order for each, see docs/reliability.md.)
    const Vector returned =
        weight_mode == 0
            ? (row_major ? lsc::conjunction(r_rm, ref_rm) : lsc::conjunction(r, ref))
            : (row_major ? lsc::conjunction(r_rm, ref_rm, w) : lsc::conjunction(r, ref, w));
    LSC_FUZZ_REQUIRE(same_bits(returned.data(), api_out.data(), un));
  }

  // --- Shape errors: a reference with another shape leaves the output untouched.
  {
    const Matrix wrong(in.range(0, 5), in.range(0, 5));
    Vector o = Vector::Constant(n, poison<T>());
    if (wrong.rows() != n || wrong.cols() != k) {
      LSC_FUZZ_REQUIRE(!accepted([&] { lsc::conjunction_into(o, r, wrong); }));
      LSC_FUZZ_REQUIRE(poisoned(o));
      LSC_FUZZ_REQUIRE(!accepted([&] { (void)lsc::transform(r, wrong); }));
    }
  }

  // --- Groups (uniform / ragged / index, valid or not) and P x K references.
  bool groups_ok = false;
  const lsc::Groups groups = make_groups(in, n, groups_ok);
  if (groups_ok) {
    const Eigen::Index p = groups.num_groups();
    Matrix ref_p(std::min<Eigen::Index>(p, 64), k);
    for (Eigen::Index i = 0; i < ref_p.size(); ++i) ref_p.data()[i] = in.number<T>();
    Vector g_out = Vector::Constant(n, poison<T>());
    const bool shapes_ok = groups.num_rows() == n && ref_p.rows() == p;
    const bool ok = accepted([&] {
      if (weight_mode == 0) {
        lsc::conjunction_into(g_out, r, ref_p, groups);
      } else {
        lsc::conjunction_into(g_out, r, ref_p, groups, w);
      }
    });
    LSC_FUZZ_REQUIRE(ok == (shapes_ok && weights_valid));
    if (!ok) {
      LSC_FUZZ_REQUIRE(poisoned(g_out));
    } else {
      // Same as broadcasting the references and using the N x K path.
      const Matrix full = lsc::broadcast(ref_p, groups);
      const Vector direct =
          weight_mode == 0 ? lsc::conjunction(r, full) : lsc::conjunction(r, full, w);
      LSC_FUZZ_REQUIRE(same_bits(direct.data(), g_out.data(), un));
      const Matrix u = lsc::utilities(r, ref_p, groups);
      const Matrix u_full = lsc::transform(r, full);
      LSC_FUZZ_REQUIRE(same_bits(u.data(), u_full.data(), nk));
      (void)lsc::centred_sum(r, ref_p, groups);
      (void)lsc::probability_all_good(r, ref_p, groups);
    }

    // Reference statistics over samples grouped the same way (rows of r as samples).
    const double q =
        in.flag() ? static_cast<double>(in.range(0, 100)) / 100.0 : in.number<double>();
    const bool q_ok = q >= 0.0 && q <= 1.0;
    const int which = in.byte() % 4;
    Matrix stat = Matrix::Constant(2, 2, poison<T>());
    const bool stat_ok = accepted([&] {
      switch (which) {
        case 0:
          stat = lsc::reference::quantile(r, groups, q);
          break;
        case 1:
          stat = lsc::reference::median(r, groups);
          break;
        case 2:
          stat = lsc::reference::mean(r, groups);
          break;
        default:
          stat = lsc::reference::gaussian_quantile(r, groups, q);
          break;
      }
    });
    const bool needs_q = which == 0 || which == 3;
    LSC_FUZZ_REQUIRE(stat_ok == (groups.num_rows() == n && (!needs_q || q_ok)));
    if (!stat_ok) {
      LSC_FUZZ_REQUIRE(poisoned(stat));
    } else {
      LSC_FUZZ_REQUIRE(stat.rows() == p && stat.cols() == k);
      if (which != 3) {
        for (Eigen::Index g = 0; g < p; ++g) {
          for (Eigen::Index c = 0; c < k; ++c) {
            T lo = std::numeric_limits<T>::infinity(), hi = -lo;
            bool finite = true, any = false;
            for (Eigen::Index j = 0; j < groups.size(g); ++j) {
              const T v = r(groups.row(g, j), c);
              if (std::isnan(v)) continue;
              any = true;
              finite = finite && std::isfinite(v);
              lo = std::min(lo, v);
              hi = std::max(hi, v);
            }
            if (!any) {
              LSC_FUZZ_REQUIRE(std::isnan(stat(g, c)));
            } else if (finite && which != 2 &&
                       std::isfinite(static_cast<double>(hi) - static_cast<double>(lo))) {
              // Not checked: the mean (its sum may overflow), and quantiles whose range
              // hi - lo overflows: numpy's lerp then gives ±inf or NaN, and so does lsc.
              if (!(stat(g, c) >= lo && stat(g, c) <= hi)) {
                std::fprintf(
                    stderr,
                    "statistic %d q=%.17g group %ld column %ld: %.17g not in [%.17g, %.17g]\n",
                    which, q, static_cast<long>(g), static_cast<long>(c),
                    static_cast<double>(stat(g, c)), static_cast<double>(lo),
                    static_cast<double>(hi));
                for (Eigen::Index j = 0; j < groups.size(g); ++j)
                  std::fprintf(stderr, "  sample %.17g\n",
                               static_cast<double>(r(groups.row(g, j), c)));
                std::abort();
              }
            }
          }
        }
      }
    }
  }

  // --- The P x M single-model form: quantile of each row.
  {
    const double q = static_cast<double>(in.range(0, 4)) / 4.0;
    Vector v = Vector::Constant(1, poison<T>());
    const bool ok = accepted([&] { v = lsc::reference::quantile(r, q); });
    LSC_FUZZ_REQUIRE(ok == (k > 0));
    if (!ok) LSC_FUZZ_REQUIRE(poisoned(v));
  }

  // --- raw_sum with weights.
  {
    Vector v = Vector::Constant(1, poison<T>());
    if (weight_mode != 0) {
      const bool ok = accepted([&] { v = lsc::raw_sum(r, w); });
      LSC_FUZZ_REQUIRE(ok == weights_valid);
      if (!ok) LSC_FUZZ_REQUIRE(poisoned(v));
    } else {
      v = lsc::raw_sum(r);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  lsc_fuzz::Input in(data, size);
  if (in.flag()) {
    run<double>(in);
  } else {
    run<float>(in);
  }
  return 0;
}
