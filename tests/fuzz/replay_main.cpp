// lsc — a main() for the fuzz harnesses when the compiler has no libFuzzer (GCC): runs
// LLVMFuzzerTestOneInput once on every file named on the command line, or on every file of
// every directory named, so the seed corpus and the crash regressions are replayed in every
// build (and under the asan/tsan presets). SPDX-License-Identifier: MIT
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {
int replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", file.string().c_str());
    return 1;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  int failures = 0, runs = 0;
  for (int a = 1; a < argc; ++a) {
    const std::filesystem::path arg(argv[a]);
    if (!std::filesystem::exists(arg)) {
      std::printf("skipping %s: does not exist (no regressions yet)\n", arg.string().c_str());
    } else if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::directory_iterator(arg)) {
        if (entry.is_regular_file()) {
          failures += replay(entry.path());
          ++runs;
        }
      }
    } else {
      failures += replay(arg);
      ++runs;
    }
  }
  std::printf("replayed %d input(s)\n", runs);
  return failures == 0 && runs > 0 ? 0 : 1;
}
