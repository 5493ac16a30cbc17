// lsc — exhaustive float accuracy: all 2^32 inputs of log_sigmoid, the LSC transform with a
// zero reference, sigmoid and softplus, through the vectorised paths (raw-pointer kernels and
// Eigen expressions on blocks), against a double reference computed with libm:
//   e = exp(-|z|), l = log1p(e)
//   log σ(z) = -(l - min(z, 0)),  softplus(z) = max(z, 0) + l,  σ(z) = (z < 0 ? e : 1) / (1 + e)
// (double's 29 extra bits make the reference exact to ~1e-7 float ulp). The error is measured
// in ulps of float at the binade of the reference (subnormal spacing below FLT_MIN). Special
// values (NaN, ±inf, the sign of zeros) must match exactly. Threaded over all cores.
// Run: lsc_accuracy_exhaustive_float_<arch>   (optional argument: number of threads)
// SPDX-License-Identifier: MIT
#include <lsc/lsc.hpp>

#include "lsc_test_util.hpp"

#include <algorithm>
#include <atomic>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

namespace {

// ---- Bounds (ulp of float, all 2^32 inputs) -------------------------------------------
enum Function { log_sigmoid_fn, transform_fn, sigmoid_fn, softplus_fn, num_functions };
struct Bound {
  const char* name;
  double max_ulp;
};
constexpr Bound bounds[num_functions] = {
    {"log_sigmoid (kernels::log_sigmoid)", 2.0},
    {"transform r - 0 (kernels::transform)", 2.0},
    {"sigmoid (lsc::sigmoid expression)", 2.0},
    {"softplus (-lsc::log_sigmoid(-z) expression)", 2.0},
};
// ----------------------------------------------------------------------------------------

constexpr std::uint64_t total = std::uint64_t(1) << 32;
constexpr std::size_t chunk = std::size_t(1) << 16;
constexpr int scalar_stride = 61;  // every 61st input is also checked through the scalar API

float from_bits(std::uint32_t b) {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// 2^(exponent of ref - 23), from the bits of the double; subnormal spacing below FLT_MIN.
double ulp_of_float_at(double ref) {
  const double a = std::fabs(ref);
  if (a < static_cast<double>(FLT_MIN))
    return static_cast<double>(std::numeric_limits<float>::denorm_min());
  std::uint64_t bits;
  std::memcpy(&bits, &a, sizeof bits);
  const std::uint64_t ulp_bits =
      ((bits >> 52) - std::uint64_t(std::numeric_limits<float>::digits - 1)) << 52;
  double ulp;
  std::memcpy(&ulp, &ulp_bits, sizeof ulp);
  return ulp;
}

using lsc_test::same_value;

struct Worst {
  double ulp = 0;
  float z = 0;
  float got = 0;
  double ref = 0;
};

struct Stats {
  Worst worst[num_functions];
  std::uint64_t special_mismatches[num_functions] = {};
  // Paths that must agree bit for bit: transform(z, 0) vs log_sigmoid(z), and the scalar API
  // (lsc::log_sigmoid / sigmoid / softplus) vs the vectorised results.
  std::uint64_t path_mismatches[4] = {};
  float first_path[4] = {};
  float first_special[num_functions] = {};
};

// Compares one result with the double reference; returns false on a special-value mismatch.
bool compare(float got, double ref, float z, Worst& worst) {
  if (std::isnan(ref) || std::isnan(got)) return std::isnan(ref) && std::isnan(got);
  if (std::isinf(ref) || std::isinf(got)) return static_cast<double>(got) == ref;
  if (got == 0.0f && std::signbit(got) != std::signbit(ref)) return false;
  const double err = std::fabs(static_cast<double>(got) - ref) / ulp_of_float_at(ref);
  if (err > worst.ulp) worst = Worst{err, z, got, ref};
  return true;
}

void merge(Stats& into, const Stats& s) {
  for (int f = 0; f < num_functions; ++f) {
    if (s.worst[f].ulp > into.worst[f].ulp) into.worst[f] = s.worst[f];
    if (into.special_mismatches[f] == 0) into.first_special[f] = s.first_special[f];
    into.special_mismatches[f] += s.special_mismatches[f];
  }
  for (int k = 0; k < 4; ++k) {
    if (into.path_mismatches[k] == 0) into.first_path[k] = s.first_path[k];
    into.path_mismatches[k] += s.path_mismatches[k];
  }
}

void run_chunks(std::atomic<std::uint64_t>& next, Stats& stats) {
  std::vector<float> z(chunk), zero(chunk, 0.0f), ls(chunk), tr(chunk), sg(chunk), sp(chunk);
  using Map = Eigen::Map<Eigen::ArrayXf>;
  for (;;) {
    const std::uint64_t first = next.fetch_add(chunk);
    if (first >= total) return;
    for (std::size_t i = 0; i < chunk; ++i) z[i] = from_bits(static_cast<std::uint32_t>(first + i));
    const auto n = static_cast<Eigen::Index>(chunk);
    lsc::kernels::log_sigmoid(z.data(), ls.data(), chunk);
    lsc::kernels::transform(z.data(), zero.data(), tr.data(), chunk);
    Map(sg.data(), n) = lsc::sigmoid(Map(z.data(), n));
    Map(sp.data(), n) = -lsc::log_sigmoid(-Map(z.data(), n));
    for (std::size_t i = 0; i < chunk; ++i) {
      const float x = z[i];
      double ref[num_functions];
      if (std::isnan(x)) {
        for (double& r : ref) r = std::numeric_limits<double>::quiet_NaN();
      } else {
        // Three regimes, each exact far beyond float precision:
        //   |z| < 2^-26:  l = ln2 - |z|/2 + z^2/8 (next term z^4/192 < 2^-110), σ = 1/2 + z/4;
        //   |z| > 200:    e^-|z| < 2^-288, far below float's subnormals: a stand-in 2^-300 keeps
        //                 the sign of every result (and libm's slow underflow path out of it);
        //   otherwise:    e = exp(-|z|), l = log1p(e) (double, < 1 ulp of double each).
        const double zd = x;
        const double a = std::fabs(zd);
        double e = 0, l, sig;
        if (a < 0x1p-26) {
          l = 0.69314718055994530942 - 0.5 * a + 0.125 * a * a;
          sig = 0.5 + 0.25 * zd;
        } else {
          e = a > 200 ? 0x1p-300 : std::exp(-a);
          l = e < 0x1p-30 ? e - 0.5 * e * e : std::log1p(e);
          sig = (zd < 0 ? e : 1.0) / (1.0 + e);
        }
        ref[log_sigmoid_fn] = ref[transform_fn] = -(l - std::min(zd, 0.0));
        ref[softplus_fn] = std::max(zd, 0.0) + l;
        ref[sigmoid_fn] = sig;
      }
      const float got[num_functions] = {ls[i], tr[i], sg[i], sp[i]};
      for (int f = 0; f < num_functions; ++f) {
        if (!compare(got[f], ref[f], x, stats.worst[f])) {
          if (stats.special_mismatches[f]++ == 0) stats.first_special[f] = x;
        }
      }
      const bool path_ok[4] = {same_value(tr[i], ls[i]),
                               i % scalar_stride != 0 || same_value(lsc::log_sigmoid(x), ls[i]),
                               i % scalar_stride != 0 || same_value(lsc::sigmoid(x), sg[i]),
                               i % scalar_stride != 0 || same_value(lsc::softplus(x), sp[i])};
      for (int k = 0; k < 4; ++k) {
        if (!path_ok[k] && stats.path_mismatches[k]++ == 0) stats.first_path[k] = x;
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (argc > 1) threads = static_cast<unsigned>(std::max(1, std::atoi(argv[1])));
  const auto start = std::chrono::steady_clock::now();
  std::atomic<std::uint64_t> next{0};
  std::vector<Stats> per_thread(threads);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back(run_chunks, std::ref(next), std::ref(per_thread[t]));
  }
  for (auto& th : pool) th.join();
  Stats stats;
  for (const auto& s : per_thread) merge(stats, s);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf("lsc exhaustive float sweep: 2^32 inputs, %u threads, %.1f s, variant %s\n", threads,
              seconds,
#ifdef LSC_TEST_ARCH
              LSC_TEST_ARCH
#else
              "?"
#endif
  );
  std::printf("%-46s %8s %10s  %-16s %-16s %s\n", "function", "bound", "measured", "at z", "got",
              "reference");
  bool ok = true;
  for (int f = 0; f < num_functions; ++f) {
    const Worst& w = stats.worst[f];
    const bool pass = w.ulp <= bounds[f].max_ulp && stats.special_mismatches[f] == 0;
    ok = ok && pass;
    std::printf("%-46s %8.3f %10.4f  %-16a %-16a %.17g  %s\n", bounds[f].name, bounds[f].max_ulp,
                w.ulp, static_cast<double>(w.z), static_cast<double>(w.got), w.ref,
                pass ? "ok" : "FAIL");
    std::printf("%-46s special-value mismatches: %llu", "",
                static_cast<unsigned long long>(stats.special_mismatches[f]));
    if (stats.special_mismatches[f]) {
      std::printf(" (first at z = %a)", static_cast<double>(stats.first_special[f]));
    }
    std::printf("\n");
  }
  const char* path_names[4] = {"transform(z, 0) vs kernels::log_sigmoid",
                               "scalar lsc::log_sigmoid vs kernels::log_sigmoid",
                               "scalar lsc::sigmoid vs lsc::sigmoid expression",
                               "scalar lsc::softplus vs -lsc::log_sigmoid(-z) expression"};
  for (int k = 0; k < 4; ++k) {
    std::printf("bit-for-bit %-58s mismatches: %llu", path_names[k],
                static_cast<unsigned long long>(stats.path_mismatches[k]));
    if (stats.path_mismatches[k]) {
      std::printf(" (first at z = %a)", static_cast<double>(stats.first_path[k]));
      ok = false;
    }
    std::printf("\n");
  }
  std::printf("(scalar paths checked on every %dth input)\n", scalar_stride);
  std::printf("%s\n", ok ? "PASSED" : "FAILED");
  return ok ? 0 : 1;
}
