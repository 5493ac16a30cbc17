// lsc — libFuzzer harness for the alignment demo's CSV reader (examples/alignment/csv_reader.hpp),
// through its public function read_rewards_csv. SPDX-License-Identifier: MIT
// Properties: every bad input is a CsvError (any other exception escapes and aborts); a pool
// that is read has consistent shapes, finite rewards, offsets that cover every row; and writing
// it with write_rewards_csv and reading it back gives the same shapes.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "csv_reader.hpp"
#include "fuzz_input.hpp"

namespace {

void check(const lsc_demo::Pool& pool) {
  const auto P = pool.prompts();
  LSC_FUZZ_REQUIRE(P >= 1);
  LSC_FUZZ_REQUIRE(pool.offsets.size() == pool.ref_offsets.size());
  LSC_FUZZ_REQUIRE(pool.offsets.front() == 0 && pool.ref_offsets.front() == 0);
  LSC_FUZZ_REQUIRE(pool.offsets.back() == pool.rewards.rows());
  LSC_FUZZ_REQUIRE(pool.ref_offsets.back() == pool.ref_rewards.rows());
  for (std::size_t p = 0; p + 1 < pool.offsets.size(); ++p) {
    LSC_FUZZ_REQUIRE(pool.offsets[p + 1] > pool.offsets[p]);
    LSC_FUZZ_REQUIRE(pool.ref_offsets[p + 1] > pool.ref_offsets[p]);
  }
  LSC_FUZZ_REQUIRE(pool.rewards.cols() >= 1);
  LSC_FUZZ_REQUIRE(pool.rewards.cols() == pool.ref_rewards.cols());
  LSC_FUZZ_REQUIRE(static_cast<std::size_t>(pool.rewards.cols()) == pool.reward_names.size());
  LSC_FUZZ_REQUIRE(static_cast<std::size_t>(pool.gold.cols()) == pool.gold_names.size());
  LSC_FUZZ_REQUIRE(pool.gold.rows() == pool.rewards.rows());
  LSC_FUZZ_REQUIRE(pool.rewards.allFinite() && pool.ref_rewards.allFinite() &&
                   pool.gold.allFinite());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream in(text);
  lsc_demo::Pool pool;
  try {
    pool = lsc_demo::read_rewards_csv(in, "fuzz.csv");
  } catch (const lsc_demo::CsvError&) {
    return 0;
  }
  check(pool);
  std::ostringstream written;
  lsc_demo::write_rewards_csv(written, pool);
  std::istringstream again(written.str());
  lsc_demo::Pool round_trip;
  try {
    round_trip = lsc_demo::read_rewards_csv(again, "round-trip.csv");
  } catch (const lsc_demo::CsvError& e) {
    std::fprintf(stderr, "round trip failed: %s\n--- written:\n%s\n", e.what(),
                 written.str().c_str());
    std::abort();
  }
  check(round_trip);
  LSC_FUZZ_REQUIRE(round_trip.rewards.rows() == pool.rewards.rows());
  LSC_FUZZ_REQUIRE(round_trip.rewards.cols() == pool.rewards.cols());
  LSC_FUZZ_REQUIRE(round_trip.ref_rewards.rows() == pool.ref_rewards.rows());
  LSC_FUZZ_REQUIRE(round_trip.gold.cols() == pool.gold.cols());
  LSC_FUZZ_REQUIRE(round_trip.offsets == pool.offsets);
  return 0;
}
