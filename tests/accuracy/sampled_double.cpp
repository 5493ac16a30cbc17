// lsc — sampled double accuracy: log_sigmoid, sigmoid and softplus on more than 10^8 double
// inputs, through the vectorised paths (kernels::log_sigmoid on blocks, the Eigen expressions
// lsc::sigmoid(Map) and -lsc::log_sigmoid(-Map)), against a long double reference:
//   e = expl(-|z|), l = log1pl(e)
//   log σ(z) = min(z, 0) - l,  softplus(z) = max(z, 0) + l,  σ(z) = (z < 0 ? e : 1) / (1 + e)
// (long double has 11 more bits than double: the reference is good to ~0.001 ulp of double).
// Wherever the error measured against it exceeds 0.75 ulp, the reference is recomputed with
// __float128 (expq, log1pq) and that value is used; every 100th input is also checked
// against __float128 directly, and the disagreement of the two references is printed.
//
// Inputs:
//   * bit space: a fixed odd stride through the 2^64 patterns (both signs, every binade,
//     subnormals, infinities if hit), NaN patterns skipped;
//   * uniform [-50, 50] and uniform [-750, 750] (stratified: one input per cell of an even
//     grid, at a hashed offset inside the cell), where the functions are non-trivial;
//   * special values: ±0, ±inf, ±denorm_min, ±DBL_MIN, ±DBL_MAX, ±1/eps = 2^52 and its
//     neighbours, the underflow and overflow thresholds of exp, and a handful of NaNs.
// The error is measured in ulps of double at the binade of the reference (subnormal spacing
// below DBL_MIN). Special values (NaN, ±inf, the sign of zeros) must match exactly, and so
// must the results that are exact for |z| >= 746 (z, ±0 or 1; see exact_results()).
// The scalar API (lsc::log_sigmoid / sigmoid / softplus) must agree bit for bit with the
// vectorised results on every 61st input. Threaded over all cores.
// Run: lsc_accuracy_sampled_double_<arch>   (optional argument: number of threads)
// SPDX-License-Identifier: MIT
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
#include <lsc/lsc.hpp>
#include <string>
#include <thread>
#include <vector>

#include "lsc_test_util.hpp"

#if LSC_HAVE_QUADMATH
#include <quadmath.h>
#endif

namespace {

// ---- Bounds (ulp of double, all inputs below) ------------------------------------------
enum Function { log_sigmoid_fn, sigmoid_fn, softplus_fn, num_functions };
struct Bound {
  const char* name;
  double max_ulp;
};
constexpr Bound bounds[num_functions] = {
    {"log_sigmoid (kernels::log_sigmoid)", 2.0},
    {"sigmoid (lsc::sigmoid expression)", 2.0},
    {"softplus (-lsc::log_sigmoid(-z) expression)", 2.0},
};
// Above this error (ulp) against the long double reference, __float128 decides.
constexpr double recheck_ulp = 0.75;
// ----------------------------------------------------------------------------------------

// ---- Inputs ----------------------------------------------------------------------------
enum Segment { bits_segment, dense50_segment, dense750_segment, specials_segment, num_segments };
struct SegmentInfo {
  const char* name;
  std::uint64_t count;  // inputs generated (bit space: patterns visited, NaNs then skipped)
  double lo, hi;
};
constexpr SegmentInfo segments[num_segments] = {
    {"bit space, stride through 2^64", 50'050'000, 0, 0},
    {"uniform [-50, 50]", 30'000'000, -50, 50},
    {"uniform [-750, 750]", 20'000'000, -750, 750},
    {"special values", 0, 0, 0},
};
constexpr std::uint64_t min_total = 100'000'000;
constexpr std::uint64_t bit_stride = (~std::uint64_t(0) / segments[bits_segment].count) | 1;
constexpr std::uint64_t bit_offset = 0x2545F4914F6CDD1Dull % bit_stride;
[[maybe_unused]] constexpr std::uint64_t quad_subset_stride =
    100;                                     // __float128 ref. on every 100th
constexpr std::uint64_t scalar_stride = 61;  // scalar API checked on every 61st input
constexpr std::size_t chunk = std::size_t(1) << 15;
constexpr std::size_t block = 1021;  // kernel / expression calls on blocks: vector body + tail
// ----------------------------------------------------------------------------------------

#if LSC_HAVE_QUADMATH
using quad = __float128;
using wide = quad;  // the type a reference is kept in
#else
using wide = long double;
#endif

using lsc_test::from_bits;
using lsc_test::same_value;

// Input j of a segment. False for a NaN bit pattern (skipped; NaNs are special values).
bool make_input(int segment, std::uint64_t j, double& z) {
  const SegmentInfo& s = segments[segment];
  if (segment == bits_segment) {
    z = from_bits<double>(j * bit_stride + bit_offset);
    return !std::isnan(z);
  }
  const double h = (s.hi - s.lo) / static_cast<double>(s.count);
  const double u =
      static_cast<double>(lsc_test::splitmix64(j ^ (std::uint64_t(segment) << 56)) >> 11) * 0x1p-53;
  z = std::min(s.hi, s.lo + (static_cast<double>(j) + u) * h);
  return true;
}

std::vector<double> special_values() {
  const double dmin = std::numeric_limits<double>::denorm_min();
  const double inf = std::numeric_limits<double>::infinity();
  const double inv_eps = 1.0 / std::numeric_limits<double>::epsilon();  // 2^52
  const double positive[] = {0.0,
                             dmin,
                             2 * dmin,
                             DBL_MIN,
                             std::nextafter(DBL_MIN, 0.0),  // largest subnormal
                             DBL_MAX,
                             inf,
                             inv_eps,
                             std::nextafter(inv_eps, 0.0),
                             std::nextafter(inv_eps, inf),
                             2 * inv_eps,
                             std::numeric_limits<double>::epsilon(),
                             std::numeric_limits<double>::epsilon() / 2,
                             0x1p-26,
                             0x1p-60,
                             0.5,
                             1.0,
                             0.69314718055994530942,
                             2.0,
                             36.7368005696771,  // e^-z = eps / 2
                             37.0,
                             708.3964185322641,  // e^-z = DBL_MIN: σ(-z) turns subnormal
                             709.782712893384,   // log DBL_MAX
                             744.4400719213812,  // e^-z = denorm_min
                             745.1332191019411,  // e^-z = denorm_min / 2
                             std::nextafter(745.1332191019411, inf),
                             745.5,
                             746.0,  // the exp kernel's clamp
                             std::nextafter(746.0, 0.0),
                             std::nextafter(746.0, inf),
                             746.5,
                             1000.0,
                             1e300};
  std::vector<double> v;
  for (double p : positive) {
    v.push_back(p);
    v.push_back(-p);
  }
  const std::uint64_t nans[] = {0x7FF8000000000000ull, 0xFFF8000000000000ull, 0x7FF0000000000001ull,
                                0xFFF0000000000001ull, 0x7FF8DEADBEEF0000ull, 0x7FFFFFFFFFFFFFFFull,
                                0xFFFFFFFFFFFFFFFFull};
  for (std::uint64_t b : nans) v.push_back(from_bits<double>(b));
  return v;
}

// ---- References ------------------------------------------------------------------------
struct Refs {
  long double r[num_functions];
};

Refs long_double_refs(double x) {
  Refs out;
  if (std::isnan(x)) {
    for (long double& r : out.r) r = std::numeric_limits<long double>::quiet_NaN();
    return out;
  }
  const long double z = x;
  const long double e = std::exp(-std::fabs(z));  // expl
  const long double l = std::log1p(e);            // log1pl
  out.r[log_sigmoid_fn] = z < 0 ? z - l : -l;
  out.r[softplus_fn] = z > 0 ? z + l : l;
  out.r[sigmoid_fn] = (z < 0 ? e : 1.0L) / (1.0L + e);
  return out;
}

bool is_negative(long double x) { return std::signbit(x); }
bool is_nan(long double x) { return std::isnan(x); }
bool is_inf(long double x) { return std::isinf(x); }
long double abs_of(long double x) { return std::fabs(x); }
long double ulp_at(long double ref) { return lsc_test::ulp_at<double>(ref); }
double to_double(long double x) { return static_cast<double>(x); }
[[maybe_unused]] std::string to_text(long double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.21Lg", x);
  return buf;
}

#if LSC_HAVE_QUADMATH
struct QuadRefs {
  quad r[num_functions];
};

QuadRefs quad_refs(double x) {
  QuadRefs out;
  if (std::isnan(x)) {
    for (quad& r : out.r) r = nanq("");
    return out;
  }
  const quad z = x;
  const quad e = expq(-fabsq(z));
  const quad l = log1pq(e);
  out.r[log_sigmoid_fn] = z < 0 ? z - l : -l;
  out.r[softplus_fn] = z > 0 ? z + l : l;
  out.r[sigmoid_fn] = (z < 0 ? e : quad(1)) / (1 + e);
  return out;
}

bool is_negative(quad x) { return signbitq(x) != 0; }
bool is_nan(quad x) { return isnanq(x) != 0; }
bool is_inf(quad x) { return isinfq(x) != 0; }
quad abs_of(quad x) { return fabsq(x); }
// One ulp of double at the binade of `ref` (subnormal spacing below DBL_MIN).
quad ulp_at(quad ref) {
  const quad a = fabsq(ref);
  if (a < quad(DBL_MIN)) return quad(std::numeric_limits<double>::denorm_min());
  int e = 0;
  frexpq(a, &e);  // a = m 2^e, m in [0.5, 1)
  return ldexpq(quad(1), e - std::numeric_limits<double>::digits);
}
double to_double(quad x) { return static_cast<double>(x); }
std::string to_text(quad x) {
  char buf[64];
  quadmath_snprintf(buf, sizeof buf, "%.36Qg", x);
  return buf;
}
#endif

// A result that disagrees with the reference in a special value: NaN, an infinity, a zero
// where the reference is exactly zero, or the sign of a zero result.
template <class W>
bool special_ok(double got, W ref) {
  if (is_nan(ref) || std::isnan(got)) return is_nan(ref) && std::isnan(got);
  if (is_inf(ref) || std::isinf(got)) return W(got) == ref;
  if (ref == 0) return got == 0 && std::signbit(got) == is_negative(ref);
  if (got == 0) return std::signbit(got) == is_negative(ref);
  return true;
}

// |got - ref| in ulps of double at ref (0 for matching special values).
template <class W>
double ulp_error(double got, W ref) {
  if (is_nan(ref) || is_inf(ref) || ref == 0) return 0;
  return to_double(abs_of(W(got) - ref) / ulp_at(ref));
}

// Results that are exact whatever the rounding: NaN -> NaN; for |z| >= 746 (e^-|z| is below
// a quarter of denorm_min, and far below half an ulp of 1 or of z) the correctly rounded
// values are log σ = z or -0, σ = +0 or 1, softplus = +0 or z (infinities included);
// σ(±0) = σ(±denorm_min) = 0.5. has[f] says whether function f has an exact result at z.
bool exact_results(double z, double expect[num_functions], bool has[num_functions]) {
  for (int f = 0; f < num_functions; ++f) has[f] = false;
  if (std::isnan(z)) {
    for (int f = 0; f < num_functions; ++f) {
      expect[f] = z;
      has[f] = true;
    }
    return true;
  }
  if (std::fabs(z) >= 746.0) {
    expect[log_sigmoid_fn] = z > 0 ? -0.0 : z;
    expect[sigmoid_fn] = z > 0 ? 1.0 : 0.0;
    expect[softplus_fn] = z > 0 ? z : 0.0;
    for (int f = 0; f < num_functions; ++f) has[f] = true;
    return true;
  }
  if (std::fabs(z) <= std::numeric_limits<double>::denorm_min()) {
    expect[sigmoid_fn] = 0.5;
    has[sigmoid_fn] = true;
    return true;
  }
  return false;
}

// ---- Sweep -----------------------------------------------------------------------------
struct Worst {
  double ulp = 0;
  double z = 0;
  double got = 0;
  wide ref = 0;
};

struct Stats {
  Worst worst[num_functions];
  double segment_max[num_segments][num_functions] = {};
  std::uint64_t tested[num_segments] = {};
  std::uint64_t special_mismatches[num_functions] = {};
  double first_special[num_functions] = {};
  std::uint64_t exact_checked = 0;
  std::uint64_t rechecked[num_functions] = {};  // reference recomputed with __float128
  // The __float128 subset: error against __float128 directly, and how far the long double
  // reference is from __float128 (ulp of double), over the subset and the rechecked inputs.
  std::uint64_t quad_subset = 0;
  Worst worst_vs_quad[num_functions];
  double reference_gap[num_functions] = {};
  // Scalar API vs vectorised results, bit for bit.
  std::uint64_t path_mismatches[num_functions] = {};
  double first_path[num_functions] = {};
};

void record_special(Stats& stats, int f, double z) {
  if (stats.special_mismatches[f]++ == 0) stats.first_special[f] = z;
}

// Checks n inputs of one segment; global[i] numbers them for the subsets (quad_all: every
// input gets the __float128 reference directly).
void check_block(const double* z, const std::uint64_t* global, std::size_t n, int segment,
                 bool quad_all, Stats& stats, std::vector<double>& ls, std::vector<double>& sg,
                 std::vector<double>& sp) {
  using Map = Eigen::Map<Eigen::ArrayXd>;
  using ConstMap = Eigen::Map<const Eigen::ArrayXd>;
  for (std::size_t off = 0; off < n; off += block) {
    const std::size_t len = std::min(block, n - off);
    const auto m = static_cast<Eigen::Index>(len);
    lsc::kernels::log_sigmoid(z + off, ls.data() + off, len);
    Map(sg.data() + off, m) = lsc::sigmoid(ConstMap(z + off, m));
    Map(sp.data() + off, m) = -lsc::log_sigmoid(-ConstMap(z + off, m));
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double x = z[i];
    const double got[num_functions] = {ls[i], sg[i], sp[i]};
    const Refs ref = long_double_refs(x);
#if LSC_HAVE_QUADMATH
    const bool subset = quad_all || global[i] % quad_subset_stride == 0;
    QuadRefs q{};
    bool have_q = false;
    if (subset) {
      q = quad_refs(x);
      have_q = true;
      ++stats.quad_subset;
    }
#else
    (void)quad_all;
#endif
    for (int f = 0; f < num_functions; ++f) {
      if (!special_ok(got[f], ref.r[f])) {
        record_special(stats, f, x);
        continue;
      }
      double err = ulp_error(got[f], ref.r[f]);
      wide used = ref.r[f];
#if LSC_HAVE_QUADMATH
      if (err > recheck_ulp || subset) {
        if (!have_q) {
          q = quad_refs(x);
          have_q = true;
        }
        if (err > recheck_ulp) ++stats.rechecked[f];
        if (!special_ok(got[f], q.r[f])) {
          record_special(stats, f, x);
          continue;
        }
        const double err_q = ulp_error(got[f], q.r[f]);
        if (subset && err_q > stats.worst_vs_quad[f].ulp) {
          stats.worst_vs_quad[f] = Worst{err_q, x, got[f], q.r[f]};
        }
        if (!is_nan(q.r[f]) && !is_inf(q.r[f]) && q.r[f] != 0) {
          const double gap = to_double(fabsq(quad(ref.r[f]) - q.r[f]) / ulp_at(q.r[f]));
          stats.reference_gap[f] = std::max(stats.reference_gap[f], gap);
        }
        err = err_q;
        used = q.r[f];
      }
#endif
      if (err > stats.worst[f].ulp) stats.worst[f] = Worst{err, x, got[f], used};
      stats.segment_max[segment][f] = std::max(stats.segment_max[segment][f], err);
    }
    double expect[num_functions];
    bool has[num_functions];
    if (exact_results(x, expect, has)) {
      ++stats.exact_checked;
      for (int f = 0; f < num_functions; ++f) {
        if (has[f] && !same_value(got[f], expect[f])) record_special(stats, f, x);
      }
    }
    if (quad_all || global[i] % scalar_stride == 0) {
      const double scalar[num_functions] = {lsc::log_sigmoid(x), lsc::sigmoid(x), lsc::softplus(x)};
      for (int f = 0; f < num_functions; ++f) {
        if (!same_value(scalar[f], got[f]) && stats.path_mismatches[f]++ == 0) {
          stats.first_path[f] = x;
        }
      }
    }
  }
  stats.tested[segment] += n;
}

struct Chunk {
  int segment;
  std::uint64_t first, count;
};

void run_chunks(const std::vector<Chunk>& chunks, std::atomic<std::size_t>& next, Stats& stats) {
  std::vector<double> z(chunk), ls(chunk), sg(chunk), sp(chunk);
  std::vector<std::uint64_t> global(chunk);
  std::uint64_t base[num_segments] = {};
  for (int s = 1; s < num_segments; ++s) base[s] = base[s - 1] + segments[s - 1].count;
  for (;;) {
    const std::size_t c = next.fetch_add(1);
    if (c >= chunks.size()) return;
    const Chunk& ch = chunks[c];
    std::size_t n = 0;
    for (std::uint64_t j = ch.first; j < ch.first + ch.count; ++j) {
      double x;
      if (!make_input(ch.segment, j, x)) continue;
      z[n] = x;
      global[n] = base[ch.segment] + j;
      ++n;
    }
    check_block(z.data(), global.data(), n, ch.segment, false, stats, ls, sg, sp);
  }
}

void merge_worst(Worst& into, const Worst& w) {
  if (w.ulp > into.ulp) into = w;
}

void merge(Stats& into, const Stats& s) {
  for (int f = 0; f < num_functions; ++f) {
    merge_worst(into.worst[f], s.worst[f]);
    merge_worst(into.worst_vs_quad[f], s.worst_vs_quad[f]);
    if (into.special_mismatches[f] == 0) into.first_special[f] = s.first_special[f];
    into.special_mismatches[f] += s.special_mismatches[f];
    if (into.path_mismatches[f] == 0) into.first_path[f] = s.first_path[f];
    into.path_mismatches[f] += s.path_mismatches[f];
    into.rechecked[f] += s.rechecked[f];
    into.reference_gap[f] = std::max(into.reference_gap[f], s.reference_gap[f]);
    for (int g = 0; g < num_segments; ++g) {
      into.segment_max[g][f] = std::max(into.segment_max[g][f], s.segment_max[g][f]);
    }
  }
  for (int g = 0; g < num_segments; ++g) into.tested[g] += s.tested[g];
  into.exact_checked += s.exact_checked;
  into.quad_subset += s.quad_subset;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (argc > 1) threads = static_cast<unsigned>(std::max(1, std::atoi(argv[1])));
  const auto start = std::chrono::steady_clock::now();

  std::vector<Chunk> chunks;
  for (int s = 0; s < specials_segment; ++s) {
    for (std::uint64_t first = 0; first < segments[s].count; first += chunk) {
      chunks.push_back(Chunk{s, first, std::min<std::uint64_t>(chunk, segments[s].count - first)});
    }
  }
  std::atomic<std::size_t> next{0};
  std::vector<Stats> per_thread(threads + 1);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back(run_chunks, std::cref(chunks), std::ref(next), std::ref(per_thread[t]));
  }
  {
    // Special values, in one block (vectorised path, scalar API, __float128 on every one).
    const std::vector<double> specials = special_values();
    std::vector<std::uint64_t> global(specials.size(), 0);
    std::vector<double> ls(specials.size()), sg(specials.size()), sp(specials.size());
    check_block(specials.data(), global.data(), specials.size(), specials_segment, true,
                per_thread[threads], ls, sg, sp);
  }
  for (auto& th : pool) th.join();
  Stats stats;
  for (const auto& s : per_thread) merge(stats, s);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::uint64_t total = 0;
  for (std::uint64_t t : stats.tested) total += t;
  std::printf("lsc sampled double sweep: %llu inputs, %u threads, %.1f s, variant %s\n",
              static_cast<unsigned long long>(total), threads, seconds,
#ifdef LSC_TEST_ARCH
              LSC_TEST_ARCH
#else
              "?"
#endif
  );
#if LSC_HAVE_QUADMATH
  std::printf(
      "reference: long double (expl, log1pl); __float128 (expq, log1pq) above %.2f ulp "
      "and on every %lluth input\n",
      recheck_ulp, static_cast<unsigned long long>(quad_subset_stride));
#else
  std::printf("reference: long double (expl, log1pl); no __float128 (LSC_HAVE_QUADMATH unset)\n");
#endif
  bool ok = total >= min_total;
  std::printf("inputs: %llu (required >= %llu)%s\n", static_cast<unsigned long long>(total),
              static_cast<unsigned long long>(min_total), ok ? "" : "  FAIL");
  std::printf("%-46s %8s %10s  %-24s %-24s %s\n", "function", "bound", "measured", "at z", "got",
              "reference");
  for (int f = 0; f < num_functions; ++f) {
    const Worst& w = stats.worst[f];
    const bool pass = w.ulp <= bounds[f].max_ulp && stats.special_mismatches[f] == 0;
    ok = ok && pass;
    std::printf("%-46s %8.3f %10.4f  %-24a %-24a %s  %s\n", bounds[f].name, bounds[f].max_ulp,
                w.ulp, w.z, w.got, to_text(w.ref).c_str(), pass ? "ok" : "FAIL");
    std::printf("%-46s special-value mismatches: %llu", "",
                static_cast<unsigned long long>(stats.special_mismatches[f]));
    if (stats.special_mismatches[f]) std::printf(" (first at z = %a)", stats.first_special[f]);
    std::printf("; __float128 rechecks (> %.2f ulp vs long double): %llu\n", recheck_ulp,
                static_cast<unsigned long long>(stats.rechecked[f]));
  }
  std::printf("max error per input set (ulp):\n  %-34s", "");
  for (int f = 0; f < num_functions; ++f)
    std::printf(" %12s", f == 0 ? "log_sigmoid" : f == 1 ? "sigmoid" : "softplus");
  std::printf(" %12s\n", "inputs");
  for (int g = 0; g < num_segments; ++g) {
    std::printf("  %-34s", segments[g].name);
    for (int f = 0; f < num_functions; ++f) std::printf(" %12.4f", stats.segment_max[g][f]);
    std::printf(" %12llu\n", static_cast<unsigned long long>(stats.tested[g]));
  }
  std::printf(
      "exact results (NaN; |z| >= 746; sigma(0), sigma(denorm_min)) checked on %llu inputs\n",
      static_cast<unsigned long long>(stats.exact_checked));
#if LSC_HAVE_QUADMATH
  std::printf(
      "__float128 subset: %llu inputs (every %lluth + special values), measured against "
      "__float128 directly:\n",
      static_cast<unsigned long long>(stats.quad_subset),
      static_cast<unsigned long long>(quad_subset_stride));
  for (int f = 0; f < num_functions; ++f) {
    const Worst& w = stats.worst_vs_quad[f];
    const bool pass = w.ulp <= bounds[f].max_ulp;
    ok = ok && pass;
    std::printf("  %-44s %10.4f at z = %-24a (long double reference off by <= %.2e ulp)  %s\n",
                bounds[f].name, w.ulp, w.z, stats.reference_gap[f], pass ? "ok" : "FAIL");
  }
  if (stats.quad_subset < 1'000'000) {
    ok = false;
    std::printf("  FAIL: the __float128 subset has fewer than 10^6 inputs\n");
  }
#endif
  const char* path_names[num_functions] = {
      "scalar lsc::log_sigmoid vs kernels::log_sigmoid",
      "scalar lsc::sigmoid vs lsc::sigmoid expression",
      "scalar lsc::softplus vs -lsc::log_sigmoid(-z) expression"};
  for (int f = 0; f < num_functions; ++f) {
    std::printf("bit-for-bit %-58s mismatches: %llu", path_names[f],
                static_cast<unsigned long long>(stats.path_mismatches[f]));
    if (stats.path_mismatches[f]) {
      std::printf(" (first at z = %a)", stats.first_path[f]);
      ok = false;
    }
    std::printf("\n");
  }
  std::printf("(scalar paths checked on every %lluth input and every special value)\n",
              static_cast<unsigned long long>(scalar_stride));
  std::printf("%s\n", ok ? "PASSED" : "FAILED");
  return ok ? 0 : 1;
}
