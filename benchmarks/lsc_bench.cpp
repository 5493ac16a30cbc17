// lsc benchmark suite (Google Benchmark). SPDX-License-Identifier: MIT
//
// One executable, run by scripts/bench, which turns its JSON into BENCHMARKS.md. Every
// benchmark is named <type>/<case>/<log2 n> and processes n elements (for the K-column
// cases: n rows of K rewards), single thread, on buffers allocated and filled once:
//
//   baselines (the raw rewards a trainer has today)
//     memcpy          memcpy of the batch (n elements in, n out)
//     centre          out = r - ref, a plain loop
//     raw_sum_k<K>    out_i = sum_j w_j R_ij, R row-major n x K, K a compile-time constant
//   lsc
//     kernel          lsc::kernels::log_sigmoid(z, out, n)
//     kernel_transform lsc::kernels::transform(r, ref, out, n)     (log σ(r - ref))
//     expr            out = lsc::log_sigmoid(z) on Eigen::Map arrays (the Eigen API)
//     expr_transform  out = lsc::transform(r, ref) on Eigen::Map arrays
//     conjunction_k<K> lsc::kernels::conjunction(R, Ref, n, K, row_major, w, out)
//   peers
//     std_loop        out_i = std::min(z, 0) - std::log1p(std::exp(-std::abs(z)))  (stable)
//     naive           out_i = std::log(1 / (1 + std::exp(-z)))
//     eigen_composed  out = z.min(0) - (-z.abs()).exp().log1p()  (Eigen 3.4's own functions)
//
// Counters: items_per_second (elements, or rows for the K cases), bytes_per_second (the
// compulsory traffic: bytes read + bytes written), n, k. Inputs: centred rewards
// z ~ N(0, 2^2), rewards r ~ N(0.5, 2^2), references ref ~ N(0, 1) (fixed seed).
//
// Extra flags (before Google Benchmark's own):
//   --lsc_sizes=10,13,16,20,23,26   log2 of the sizes (default this set)
//   --lsc_quick                     one repetition, tiny min time (a smoke run; no timing)
// The K cases run only where n * K fits the shared buffers: n * K <= max(largest n, 2^26).
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <lsc/lsc.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "lsc_bench_config.hpp"

namespace {

// ---------------------------------------------------------------------------------------
// Buffers: one set per scalar type, 64-byte aligned (as a torch tensor's storage), filled
// once and shared by every benchmark of that type (each uses a prefix).

struct FreeDeleter {
  void operator()(void* p) const noexcept { std::free(p); }
};

template <class T>
using Buffer = std::unique_ptr<T[], FreeDeleter>;

template <class T>
Buffer<T> allocate(std::size_t n) {
  const std::size_t bytes = ((n * sizeof(T) + 63) / 64) * 64;
  void* p = std::aligned_alloc(64, bytes);
  if (p == nullptr) throw std::bad_alloc();
  return Buffer<T>(static_cast<T*>(p));
}

template <class T>
struct Pool {
  std::size_t capacity = 0;
  Buffer<T> z, r, ref, out;
  T weights[8] = {T(1), T(0.5), T(2), T(1), T(0.25), T(1.5), T(1), T(0.75)};
};

std::size_t g_capacity = 0;  // the largest n requested

template <class T>
Pool<T>& pool() {
  static Pool<T> p;
  if (p.capacity == 0) {
    const std::size_t n = g_capacity;
    p.z = allocate<T>(n);
    p.r = allocate<T>(n);
    p.ref = allocate<T>(n);
    p.out = allocate<T>(n);
    std::mt19937_64 rng(20240601);
    std::normal_distribution<T> centred(T(0), T(2)), reward(T(0.5), T(2)), reference(T(0), T(1));
    for (std::size_t i = 0; i < n; ++i) {
      p.z[i] = centred(rng);
      p.r[i] = reward(rng);
      p.ref[i] = reference(rng);
      p.out[i] = T(0);  // touch every page before timing
    }
    p.capacity = n;
  }
  return p;
}

template <class T>
using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Aligned64>;
template <class T>
using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Aligned64>;

// ---------------------------------------------------------------------------------------
// The measured bodies. Each is a plain function of the buffers; the benchmark loop calls
// it, then clobbers memory so that nothing is hoisted or elided.

template <class T>
void do_memcpy(Pool<T>& p, std::size_t n) {
  std::memcpy(p.out.get(), p.z.get(), n * sizeof(T));
}

template <class T>
void do_centre(Pool<T>& p, std::size_t n) {
  const T* r = p.r.get();
  const T* ref = p.ref.get();
  T* out = p.out.get();
  for (std::size_t i = 0; i < n; ++i) out[i] = r[i] - ref[i];
}

template <class T, int K>
void do_raw_sum(Pool<T>& p, std::size_t n) {
  const T* rewards = p.r.get();
  const T* w = p.weights;
  T* out = p.out.get();
  for (std::size_t i = 0; i < n; ++i) {
    T acc = T(0);
    for (int j = 0; j < K; ++j) acc += w[j] * rewards[i * K + static_cast<std::size_t>(j)];
    out[i] = acc;
  }
}

template <class T>
void do_kernel(Pool<T>& p, std::size_t n) {
  lsc::kernels::log_sigmoid(p.z.get(), p.out.get(), n);
}

template <class T>
void do_kernel_transform(Pool<T>& p, std::size_t n) {
  lsc::kernels::transform(p.r.get(), p.ref.get(), p.out.get(), n);
}

template <class T>
void do_expr(Pool<T>& p, std::size_t n) {
  const auto size = static_cast<Eigen::Index>(n);
  ArrayMap<T>(p.out.get(), size) = lsc::log_sigmoid(ConstArrayMap<T>(p.z.get(), size));
}

template <class T>
void do_expr_transform(Pool<T>& p, std::size_t n) {
  const auto size = static_cast<Eigen::Index>(n);
  ArrayMap<T>(p.out.get(), size) =
      lsc::transform(ConstArrayMap<T>(p.r.get(), size), ConstArrayMap<T>(p.ref.get(), size));
}

template <class T, int K>
void do_conjunction(Pool<T>& p, std::size_t n) {
  lsc::kernels::conjunction(p.r.get(), p.ref.get(), n, static_cast<std::size_t>(K),
                            lsc::Layout::row_major, p.weights, p.out.get());
}

template <class T>
void do_std_loop(Pool<T>& p, std::size_t n) {
  const T* z = p.z.get();
  T* out = p.out.get();
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = std::min(z[i], T(0)) - std::log1p(std::exp(-std::abs(z[i])));
  }
}

template <class T>
void do_naive(Pool<T>& p, std::size_t n) {
  const T* z = p.z.get();
  T* out = p.out.get();
  for (std::size_t i = 0; i < n; ++i) out[i] = std::log(T(1) / (T(1) + std::exp(-z[i])));
}

template <class T>
void do_eigen_composed(Pool<T>& p, std::size_t n) {
  const auto size = static_cast<Eigen::Index>(n);
  const ConstArrayMap<T> z(p.z.get(), size);
  ArrayMap<T>(p.out.get(), size) = z.min(T(0)) - (-z.abs()).exp().log1p();
}

// ---------------------------------------------------------------------------------------
// Registration.

struct Settings {
  std::vector<int> log2_sizes{10, 13, 16, 20, 23, 26};
  bool quick = false;
};

template <class T>
const char* type_name();
template <>
const char* type_name<float>() {
  return "float";
}
template <>
const char* type_name<double>() {
  return "double";
}

template <class T>
void add(const Settings& s, const char* name, int log2_n, int k, std::size_t bytes_per_item,
         void (*body)(Pool<T>&, std::size_t)) {
  const std::size_t n = std::size_t{1} << log2_n;
  if (n * static_cast<std::size_t>(std::max(k, 1)) > g_capacity) return;
  const std::string full = std::string(type_name<T>()) + "/" + name + "/" + std::to_string(log2_n);
  auto* b = benchmark::RegisterBenchmark(full.c_str(), [=](benchmark::State& state) {
    Pool<T>& p = pool<T>();
    for (auto _ : state) {
      body(p, n);
      benchmark::ClobberMemory();
    }
    const auto iterations = static_cast<std::int64_t>(state.iterations());
    state.SetItemsProcessed(iterations * static_cast<std::int64_t>(n));
    state.SetBytesProcessed(iterations * static_cast<std::int64_t>(n * bytes_per_item));
    state.counters["n"] = static_cast<double>(n);
    state.counters["k"] = static_cast<double>(k);
  });
  if (s.quick) {
    b->Repetitions(1)->Iterations(1);
  } else if (log2_n <= 16) {
    b->Repetitions(7)->MinTime(0.05);
  } else if (log2_n <= 20) {
    b->Repetitions(5)->MinTime(0.1);
  } else {
    b->Repetitions(3)->MinTime(0.1)->MinWarmUpTime(0.0);
  }
  b->Unit(benchmark::kMicrosecond);
}

template <class T>
void register_type(const Settings& s) {
  constexpr std::size_t e = sizeof(T);
  for (const int lg : s.log2_sizes) {
    add<T>(s, "memcpy", lg, 0, 2 * e, do_memcpy<T>);
    add<T>(s, "centre", lg, 0, 3 * e, do_centre<T>);
    add<T>(s, "raw_sum_k2", lg, 2, 3 * e, do_raw_sum<T, 2>);
    add<T>(s, "raw_sum_k4", lg, 4, 5 * e, do_raw_sum<T, 4>);
    add<T>(s, "raw_sum_k8", lg, 8, 9 * e, do_raw_sum<T, 8>);
    add<T>(s, "kernel", lg, 0, 2 * e, do_kernel<T>);
    add<T>(s, "kernel_transform", lg, 0, 3 * e, do_kernel_transform<T>);
    add<T>(s, "expr", lg, 0, 2 * e, do_expr<T>);
    add<T>(s, "expr_transform", lg, 0, 3 * e, do_expr_transform<T>);
    add<T>(s, "conjunction_k2", lg, 2, 5 * e, do_conjunction<T, 2>);
    add<T>(s, "conjunction_k4", lg, 4, 9 * e, do_conjunction<T, 4>);
    add<T>(s, "conjunction_k8", lg, 8, 17 * e, do_conjunction<T, 8>);
    add<T>(s, "std_loop", lg, 0, 2 * e, do_std_loop<T>);
    add<T>(s, "naive", lg, 0, 2 * e, do_naive<T>);
    add<T>(s, "eigen_composed", lg, 0, 2 * e, do_eigen_composed<T>);
  }
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Takes the --lsc_* flags out of argv; returns false on a malformed one.
bool parse_own_flags(int& argc, char** argv, Settings& s) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (starts_with(arg, "--lsc_sizes=")) {
      s.log2_sizes.clear();
      std::stringstream list(arg.substr(std::string("--lsc_sizes=").size()));
      std::string item;
      while (std::getline(list, item, ',')) {
        const int lg = std::atoi(item.c_str());
        if (lg < 1 || lg > 30) return false;
        s.log2_sizes.push_back(lg);
      }
      if (s.log2_sizes.empty()) return false;
    } else if (arg == "--lsc_quick") {
      s.quick = true;
    } else if (starts_with(arg, "--lsc_")) {
      return false;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return true;
}

std::string join_sizes(const std::vector<int>& sizes) {
  std::string out;
  for (const int lg : sizes) out += (out.empty() ? "" : ",") + std::to_string(lg);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  if (!parse_own_flags(argc, argv, settings)) {
    std::fprintf(stderr,
                 "usage: lsc_bench [--lsc_sizes=10,13,...] [--lsc_quick] [benchmark flags]\n");
    return 2;
  }
  // Room for the largest n, and for n x 8 rewards up to 2^26 elements.
  const std::size_t largest =
      std::size_t{1} << *std::max_element(settings.log2_sizes.begin(), settings.log2_sizes.end());
  g_capacity = std::max(largest, std::min(8 * largest, std::size_t{1} << 26));

  benchmark::AddCustomContext("lsc_compiler", LSC_BENCH_COMPILER);
  benchmark::AddCustomContext("lsc_build_type", LSC_BENCH_BUILD_TYPE);
  benchmark::AddCustomContext("lsc_flags", LSC_BENCH_FLAGS);
  benchmark::AddCustomContext("lsc_version", std::to_string(LSC_VERSION_MAJOR) + "." +
                                                 std::to_string(LSC_VERSION_MINOR) + "." +
                                                 std::to_string(LSC_VERSION_PATCH));
  benchmark::AddCustomContext("eigen_version", std::to_string(EIGEN_WORLD_VERSION) + "." +
                                                   std::to_string(EIGEN_MAJOR_VERSION) + "." +
                                                   std::to_string(EIGEN_MINOR_VERSION));
  benchmark::AddCustomContext("eigen_simd", Eigen::SimdInstructionSetsInUse());
  benchmark::AddCustomContext("lsc_log2_sizes", join_sizes(settings.log2_sizes));

  register_type<float>(settings);
  register_type<double>(settings);

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
