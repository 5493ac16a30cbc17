// lsc — the error path without exceptions (error.hpp). This file is compiled with
// -fno-exceptions twice:
//   lsc_noexcept_abort    default behaviour: the message on stderr, then std::abort();
//   lsc_noexcept_handler  with LSC_ERROR_HANDLER(msg) defined: the handler gets the message.
// Each run makes one bad call, chosen by argv[1]. Before the call the outputs are filled with
// a poison value; when the error path is taken (SIGABRT, or the handler), the program checks
// the outputs still hold the poison and prints "outputs untouched". tests/reliability's
// CMakeLists.txt checks the exit status and both lines of stderr.
// SPDX-License-Identifier: MIT
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#if defined(LSC_RELIABILITY_USE_HANDLER)
// Declared before any lsc header, as error.hpp asks. Must not return: it exits.
[[noreturn]] void reliability_error_handler(const char* message);
#define LSC_ERROR_HANDLER(message) reliability_error_handler(message)
#endif

#include <lsc/lsc.hpp>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#error "noexcept_test.cpp must be compiled with -fno-exceptions"
#endif
#if LSC_HAS_EXCEPTIONS
#error "error.hpp did not detect -fno-exceptions"
#endif

namespace {

const float poison = -12345.0f;
std::vector<float*> outputs;  // buffers to check for the poison
std::vector<long> output_sizes;

template <class M>
M& poisoned(M& m) {
  m.setConstant(poison);
  outputs.push_back(m.data());
  output_sizes.push_back(static_cast<long>(m.size()));
  return m;
}

bool outputs_untouched() {
  for (std::size_t b = 0; b < outputs.size(); ++b) {
    for (long i = 0; i < output_sizes[b]; ++i) {
      if (std::memcmp(&outputs[b][i], &poison, sizeof poison) != 0) return false;
    }
  }
  return true;
}

void report_outputs() {
  const char* line = outputs_untouched() ? "outputs untouched\n" : "OUTPUTS MODIFIED\n";
  std::fputs(line, stderr);
  std::fflush(stderr);
}

#if !defined(LSC_RELIABILITY_USE_HANDLER)
extern "C" void on_abort(int) {
  // A test program: stdio from a signal handler is acceptable here.
  report_outputs();
  std::signal(SIGABRT, SIG_DFL);
  std::raise(SIGABRT);
}
#endif

int run(const char* name) {
  Eigen::MatrixXf R = Eigen::MatrixXf::Zero(4, 2), ref = Eigen::MatrixXf::Zero(4, 2);
  Eigen::MatrixXf wrong = Eigen::MatrixXf::Zero(3, 2);
  Eigen::VectorXf out(4), short_out(3);
  Eigen::MatrixXf m(4, 2);
  if (std::strcmp(name, "ref_shape") == 0) {
    lsc::conjunction_into(poisoned(out), R, wrong);
  } else if (std::strcmp(name, "out_length") == 0) {
    lsc::conjunction_into(poisoned(short_out), R, ref);
  } else if (std::strcmp(name, "weights_negative") == 0) {
    const float w[2] = {1.0f, -1.0f};
    lsc::kernels::conjunction(R.data(), ref.data(), 4, 2, lsc::Layout::col_major, w,
                              poisoned(out).data());
  } else if (std::strcmp(name, "weights_nan") == 0) {
    Eigen::VectorXf w(2);
    w << std::numeric_limits<float>::quiet_NaN(), 1.0f;
    lsc::conjunction_into(poisoned(out), R, ref, w);
  } else if (std::strcmp(name, "groups_rows") == 0) {
    lsc::conjunction_into(poisoned(out), R, Eigen::MatrixXf::Zero(2, 2),
                          lsc::Groups::uniform(2, 3));
  } else if (std::strcmp(name, "group_ref_shape") == 0) {
    lsc::conjunction_into(poisoned(out), R, Eigen::MatrixXf::Zero(3, 2),
                          lsc::Groups::uniform(2, 2));
  } else if (std::strcmp(name, "transform_shape") == 0) {
    poisoned(m) = lsc::transform(R, wrong);
  } else if (std::strcmp(name, "quantile_level") == 0) {
    poisoned(m) = lsc::reference::quantile(R, lsc::Groups::uniform(2, 2), 1.5);
  } else if (std::strcmp(name, "offsets") == 0) {
    poisoned(out);
    const std::vector<Eigen::Index> offsets{0, 3, 3};
    (void)lsc::Groups::from_offsets(offsets);
  } else if (std::strcmp(name, "index") == 0) {
    poisoned(out);
    const std::vector<int> index{0, 5, 1};
    (void)lsc::Groups::from_index(index, 3);
  } else {
    std::fprintf(stderr, "unknown case '%s'\n", name);
    return 2;
  }
  std::fprintf(stderr, "the bad call returned: the error path was not taken\n");
  return 1;
}

}  // namespace

#if defined(LSC_RELIABILITY_USE_HANDLER)
void reliability_error_handler(const char* message) {
  std::fprintf(stderr, "LSC_ERROR_HANDLER: %s\n", message);
  report_outputs();
  std::exit(outputs_untouched() ? 0 : 3);
}
#endif

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <case>\n", argv[0]);
    return 2;
  }
#if !defined(LSC_RELIABILITY_USE_HANDLER)
  std::signal(SIGABRT, on_abort);
#endif
  return run(argv[1]);
}
