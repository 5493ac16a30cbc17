// lsc — a tiny byte reader for the fuzz harnesses (portable: the harnesses also build with GCC
// and a plain main() that replays the corpus, so no <fuzzer/FuzzedDataProvider.h>).
// SPDX-License-Identifier: MIT
#ifndef LSC_FUZZ_INPUT_HPP
#define LSC_FUZZ_INPUT_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <type_traits>

// A property every input must satisfy: report it and abort, which libFuzzer records as a crash.
#define LSC_FUZZ_REQUIRE(condition)                                                           \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace lsc_fuzz {

class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::size_t remaining() const { return size_ - pos_; }

  // The next sizeof(T) bytes as a T's bit pattern (zero bytes once the input is used up).
  template <class T>
  T bits() {
    static_assert(std::is_trivially_copyable<T>::value, "bits<T>: T must be trivially copyable");
    unsigned char raw[sizeof(T)] = {};
    const std::size_t n = remaining() < sizeof(T) ? remaining() : sizeof(T);
    if (n > 0) std::memcpy(raw, data_ + pos_, n);
    pos_ += n;
    T value;
    std::memcpy(&value, raw, sizeof(T));
    return value;
  }

  std::uint8_t byte() { return bits<std::uint8_t>(); }
  bool flag() { return (byte() & 1u) != 0; }

  // An integer in [lo, hi] (hi - lo < 2^32).
  long range(long lo, long hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1u;
    return lo + static_cast<long>(bits<std::uint32_t>() % span);
  }

  // A floating-point value: mostly "interesting" (small integers, halves, ±0, ±inf, NaN,
  // subnormals, extremes), sometimes an arbitrary bit pattern.
  template <class T>
  T number() {
    using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    const std::uint8_t kind = byte();
    switch (kind % 16) {
      case 0:
      case 1:
      case 2: {
        Bits b = bits<Bits>();
        T v;
        std::memcpy(&v, &b, sizeof v);
        return v;
      }
      case 3:
        return std::numeric_limits<T>::quiet_NaN();
      case 4:
        return std::numeric_limits<T>::infinity();
      case 5:
        return -std::numeric_limits<T>::infinity();
      case 6:
        return (kind & 16) ? std::numeric_limits<T>::denorm_min()
                           : -std::numeric_limits<T>::denorm_min();
      case 7:
        return (kind & 16) ? std::numeric_limits<T>::max() : std::numeric_limits<T>::lowest();
      case 8:
        return (kind & 16) ? T(0) : -T(0);
      default:
        return static_cast<T>(static_cast<std::int8_t>(byte())) / T(4);
    }
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace lsc_fuzz

#endif  // LSC_FUZZ_INPUT_HPP
