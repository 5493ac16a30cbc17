// lsc — the allocation guarantees (kernels.hpp, expr.hpp, aggregate.hpp), enforced by replacing
// the global operator new / delete in this program and counting calls while a test is "armed":
//   * kernels::log_sigmoid / transform / transform_grouped / conjunction: no allocation
//     (conjunction: none for k <= 2048; exactly one scratch buffer for k > 2048);
//   * lsc::log_sigmoid / sigmoid / centre / transform expressions evaluated into preallocated
//     outputs (plain, fused with rowwise().sum(), into blocks and strided views): none;
//   * conjunction_into with N x K references (matrices, Maps, constant expressions) or P x K
//     references with uniform / ragged / indexed groups, with and without weights: none for
//     K <= 2048, exactly one for K > 2048;
// for float and double, row- and column-major inputs. Inputs, outputs and Groups are built
// before arming; only the library call is counted.
// SPDX-License-Identifier: MIT
#include <lsc/lsc.hpp>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <new>
#include <string>
#include <vector>

#include "check.hpp"

// ---------------------------------------------------------------------------------------
// Counting replacements of every replaceable allocation function. Counting is done on the
// allocation side only; the aligned forms keep their own malloc-compatible storage.
namespace {
std::atomic<bool> armed{false};
std::atomic<long> allocations{0};

void* counted_alloc(std::size_t size) {
  if (armed.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) std::abort();  // this program has no use for bad_alloc
  return p;
}
void* counted_aligned_alloc(std::size_t size, std::size_t alignment) {
  if (armed.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  if (alignment < sizeof(void*)) alignment = sizeof(void*);
  void* p = nullptr;
  if (posix_memalign(&p, alignment, size == 0 ? 1 : size) != 0) std::abort();
  return p;
}
}  // namespace

void* operator new(std::size_t size) { return counted_alloc(size); }
void* operator new[](std::size_t size) { return counted_alloc(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted_alloc(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return counted_alloc(size);
}
void* operator new(std::size_t size, std::align_val_t a) {
  return counted_aligned_alloc(size, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t size, std::align_val_t a) {
  return counted_aligned_alloc(size, static_cast<std::size_t>(a));
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_aligned_alloc(size, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_aligned_alloc(size, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

namespace {

// Runs f() armed and returns the number of allocations it made.
template <class F>
long count_allocations(F&& f) {
  allocations.store(0);
  armed.store(true);
  f();
  armed.store(false);
  return allocations.load();
}

#define LSC_EXPECT_ALLOCATIONS(expected, what, ...)                                               \
  do {                                                                                            \
    const long lsc_n = count_allocations([&] { __VA_ARGS__; });                                   \
    LSC_CHECK(lsc_n == (expected), "%s <%s>: %ld allocation(s), expected %ld", what, type, lsc_n, \
              static_cast<long>(expected));                                                       \
    ++checks;                                                                                     \
  } while (0)

int checks = 0;

template <class T>
const char* type_name() {
  return sizeof(T) == sizeof(float) ? "float" : "double";
}

// Deterministic values spanning the interesting range, including NaN, ±inf and subnormals.
template <class T>
T value(long i) {
  switch (i % 11) {
    case 0:
      return std::numeric_limits<T>::quiet_NaN();
    case 1:
      return std::numeric_limits<T>::infinity();
    case 2:
      return -std::numeric_limits<T>::infinity();
    case 3:
      return std::numeric_limits<T>::denorm_min();
    default:
      return static_cast<T>((i * 7919) % 2001 - 1000) / T(37);
  }
}

template <class M>
void fill(M& m, long seed) {
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = value<typename M::Scalar>(seed + i);
}

template <class T>
void kernels_and_expressions() {
  const char* type = type_name<T>();
  using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using ArrayXX = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

  for (const long n : {0L, 1L, 3L, 17L, 1000L, 4099L}) {
    Array z(n), ref(n), out(n);
    fill(z, 1);
    fill(ref, 5);
    const auto un = static_cast<std::size_t>(n);
    LSC_EXPECT_ALLOCATIONS(0, "kernels::log_sigmoid",
                           lsc::kernels::log_sigmoid(z.data(), out.data(), un));
    LSC_EXPECT_ALLOCATIONS(0, "kernels::transform",
                           lsc::kernels::transform(z.data(), ref.data(), out.data(), un));
    LSC_EXPECT_ALLOCATIONS(0, "kernels::transform in place",
                           lsc::kernels::transform(out.data(), ref.data(), out.data(), un));
    LSC_EXPECT_ALLOCATIONS(0, "lsc::log_sigmoid(array) into array", out = lsc::log_sigmoid(z));
    LSC_EXPECT_ALLOCATIONS(0, "lsc::sigmoid(array) into array", out = lsc::sigmoid(z));
    LSC_EXPECT_ALLOCATIONS(0, "lsc::transform(array) into array", out = lsc::transform(z, ref));
    LSC_EXPECT_ALLOCATIONS(0, "lsc::centre(array) into array", out = lsc::centre(z, ref));
    T sum{};
    LSC_EXPECT_ALLOCATIONS(0, "lsc::transform fused with a sum",
                           sum = lsc::transform(z, ref).sum());
    (void)sum;
  }
  for (const long groups : {1L, 4L, 33L}) {
    for (const long size : {1L, 5L, 64L}) {
      Array r(groups * size), out(groups * size), ref(groups);
      fill(r, 3);
      fill(ref, 9);
      LSC_EXPECT_ALLOCATIONS(
          0, "kernels::transform_grouped",
          lsc::kernels::transform_grouped(r.data(), ref.data(), static_cast<std::size_t>(groups),
                                          static_cast<std::size_t>(size), out.data()));
    }
  }
  // Matrix expressions into preallocated matrices, blocks and strided views.
  Matrix a(40, 7), b(40, 7), m(40, 7);
  fill(a, 2);
  fill(b, 4);
  Vector rowsum(40);
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rm(40, 7);
  ArrayXX aa = a.array(), bb = b.array(), oo(40, 7);
  LSC_EXPECT_ALLOCATIONS(0, "lsc::transform(matrix) into matrix", m = lsc::transform(a, b));
  LSC_EXPECT_ALLOCATIONS(0, "lsc::transform(matrix) into row-major matrix",
                         rm = lsc::transform(a, b));
  LSC_EXPECT_ALLOCATIONS(0, "lsc::transform(row-major, col-major)", m = lsc::transform(rm, b));
  LSC_EXPECT_ALLOCATIONS(0, "lsc::transform(array) into array", oo = lsc::transform(aa, bb));
  LSC_EXPECT_ALLOCATIONS(0, "lsc::transform(...).rowwise().sum()",
                         rowsum = lsc::transform(a, b).rowwise().sum());
  LSC_EXPECT_ALLOCATIONS(0, "lsc::log_sigmoid into a block",
                         m.block(3, 2, 10, 4) = lsc::log_sigmoid(a.block(1, 1, 10, 4)));
  LSC_EXPECT_ALLOCATIONS(0, "lsc::transform into a row (strided)",
                         m.row(5) = lsc::transform(a.row(1), b.row(2)));
  LSC_EXPECT_ALLOCATIONS(0, "lsc::transform against a constant reference",
                         m = lsc::transform(a, Matrix::Constant(40, 7, T(0.25))));
}

template <class T, int Order>
void conjunction_paths() {
  const char* type = type_name<T>();
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Order>;
  using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  const lsc::Layout layout =
      Order == Eigen::RowMajor ? lsc::Layout::row_major : lsc::Layout::col_major;

  for (const long k : {0L, 1L, 2L, 3L, 7L, 64L, 1000L, 2048L, 2049L}) {
    const long expected = k > 2048 ? 1 : 0;  // aggregate.hpp: one scratch buffer when K > 2048
    // n = 40 spans several row blocks once k > 51; n = 4500 spans several for k <= 2.
    for (const long n : {0L, 1L, 6L, 40L, 4500L}) {
      if (n > 40 && k > 2) continue;
      const long p = n == 0 ? 0 : (n == 1 ? 1 : 3);
      Matrix r(n, k), ref(n, k), ref_p(p, k);
      fill(r, 11);
      fill(ref, 13);
      fill(ref_p, 17);
      Vector w(k), out(n);
      for (long j = 0; j < k; ++j) w(j) = T(0.5) + T(j % 3);
      // A strided output: column 1 of a row-major n x 3 matrix.
      Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> strided_out(n, 3);

      // Groups for N rows and P prompts, built before arming.
      std::vector<Eigen::Index> offsets{0}, index;
      for (long g = 0; g < p; ++g) offsets.push_back(n * (g + 1) / (p > 0 ? p : 1));
      for (long i = 0; i < n; ++i) index.push_back((i * 2) % (p > 0 ? p : 1));
      const bool groupable = n % (p > 0 ? p : 1) == 0;
      const auto uniform = lsc::Groups::uniform(p, p > 0 && groupable ? n / p : 1);
      const auto ragged = lsc::Groups::from_offsets(offsets);
      bool index_ok = true;
      for (long g = 0; g < p; ++g) {
        bool used = false;
        for (const auto i : index) used = used || i == g;
        index_ok = index_ok && used;
      }
      const auto indexed =
          lsc::Groups::from_index(index_ok ? index : std::vector<Eigen::Index>{}, index_ok ? p : 0);

      const auto un = static_cast<std::size_t>(n), uk = static_cast<std::size_t>(k);
      LSC_EXPECT_ALLOCATIONS(expected, "kernels::conjunction",
                             lsc::kernels::conjunction(r.data(), ref.data(), un, uk, layout,
                                                       static_cast<const T*>(nullptr), out.data()));
      LSC_EXPECT_ALLOCATIONS(
          expected, "kernels::conjunction weighted",
          lsc::kernels::conjunction(r.data(), ref.data(), un, uk, layout, w.data(), out.data()));
      LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into N x K",
                             lsc::conjunction_into(out, r, ref));
      LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into N x K weighted",
                             lsc::conjunction_into(out, r, ref, w));
      LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into N x K strided out",
                             lsc::conjunction_into(strided_out.col(1), r, ref));
      LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into Map",
                             lsc::conjunction_into(out, Eigen::Map<const Matrix>(r.data(), n, k),
                                                   Eigen::Map<const Matrix>(ref.data(), n, k)));
      LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into constant reference",
                             lsc::conjunction_into(out, r, Matrix::Constant(n, k, T(0.5))));
      LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into array expression",
                             lsc::conjunction_into(out, r.array(), ref.array() + T(1)));
      if (groupable) {
        LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into uniform groups",
                               lsc::conjunction_into(out, r, ref_p, uniform));
        LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into uniform groups weighted",
                               lsc::conjunction_into(out, r, ref_p, uniform, w));
      }
      LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into ragged groups",
                             lsc::conjunction_into(out, r, ref_p, ragged));
      LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into ragged groups weighted",
                             lsc::conjunction_into(out, r, ref_p, ragged, w));
      if (index_ok) {
        LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into indexed groups",
                               lsc::conjunction_into(out, r, ref_p, indexed));
        LSC_EXPECT_ALLOCATIONS(expected, "conjunction_into indexed groups weighted",
                               lsc::conjunction_into(out, r, ref_p, indexed, w));
      }
    }
  }
}

}  // namespace

int main() {
  kernels_and_expressions<float>();
  kernels_and_expressions<double>();
  conjunction_paths<float, Eigen::ColMajor>();
  conjunction_paths<float, Eigen::RowMajor>();
  conjunction_paths<double, Eigen::ColMajor>();
  conjunction_paths<double, Eigen::RowMajor>();

  // The counter itself works: an allocation made while armed is seen.
  const long seen = count_allocations([] { ::operator delete(::operator new(16)); });
  LSC_CHECK(seen == 1, "the counting operator new saw %ld allocations of 1", seen);

  std::printf("alloc_test: %d checks, %d failure(s)\n", checks, lsc_reliability::failures());
  return lsc_reliability::failures() == 0 && checks > 0 ? 0 : 1;
}
