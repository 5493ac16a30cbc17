// The user-data reader: the shipped sample, a round trip, and every error path (each error names
// the line and the column; the program writes nothing when the input is bad).
#include "demo_test.hpp"

#include "app.hpp"
#include "csv_reader.hpp"
#include "simulator.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace lsc_demo;

namespace {

std::string error_of(const std::string& text) {
  std::istringstream in(text);
  try {
    read_rewards_csv(in, "t.csv");
  } catch (const CsvError& e) {
    return e.what();
  }
  return "<no error>";
}

const std::string header = "prompt_id,sample_id,is_reference,reward_a,reward_b\n";

}  // namespace

TEST_CASE("the shipped sample file reads", "[csv]") {
  const Pool pool = read_rewards_csv_file(LSC_DEMO_SOURCE_DIR "/sample_rewards.csv");
  CHECK(pool.prompts() == 24);
  CHECK(pool.candidates() == 24 * 8);
  CHECK(pool.ref_rewards.rows() == 24 * 4);
  CHECK(pool.reward_names == std::vector<std::string>{"helpful", "harmless"});
  CHECK(pool.gold_names == std::vector<std::string>{"helpful", "harmless"});
}

TEST_CASE("write then read gives the same pool", "[csv]") {
  SimConfig c;
  c.prompts = 6;
  c.candidates = 3;
  c.ref_samples = 2;
  const Pool a = simulate(c, default_scenarios()[0]);
  std::stringstream s;
  write_rewards_csv(s, a);
  const Pool b = read_rewards_csv(s);
  CHECK(b.offsets == a.offsets);
  CHECK(b.ref_offsets == a.ref_offsets);
  CHECK((b.rewards - a.rewards).cwiseAbs().maxCoeff() <= 1e-5 * a.rewards.cwiseAbs().maxCoeff());
  CHECK((b.gold - a.gold).cwiseAbs().maxCoeff() <= 1e-5 * a.gold.cwiseAbs().maxCoeff());
  CHECK((b.ref_rewards - a.ref_rewards).cwiseAbs().maxCoeff() <=
        1e-5 * a.ref_rewards.cwiseAbs().maxCoeff());
}

TEST_CASE("rows of a prompt need not be contiguous; ragged groups are fine", "[csv]") {
  std::istringstream in(header +
                        "x,1,0,1,2\n"
                        "y,1,0,3,4\n"
                        "x,2,1,5,6\n"
                        "y,2,1,7,8\n"
                        "x,3,0,9,10\n");
  const Pool p = read_rewards_csv(in);
  REQUIRE(p.prompts() == 2);
  CHECK(p.group_size(0) == 2);
  CHECK(p.group_size(1) == 1);
  CHECK(p.rewards(1, 0) == 9.0);
  CHECK(p.ref_rewards(1, 1) == 8.0);
}

TEST_CASE("malformed input: every error names the line and the column", "[csv][errors]") {
  using Catch::Matchers::Contains;
  // missing columns
  CHECK_THAT(error_of("prompt_id,sample_id,reward_a\nx,1,2\n"),
             Contains("t.csv:1:") && Contains("missing column 'is_reference'"));
  CHECK_THAT(error_of("prompt_id,sample_id,is_reference\nx,1,0\n"),
             Contains("t.csv:1:") && Contains("no 'reward_<name>' column"));
  CHECK_THAT(error_of("prompt_id,sample_id,is_reference,reward_a,score\n"),
             Contains("t.csv:1:") && Contains("column 5 (score)"));
  CHECK_THAT(error_of("prompt_id,sample_id,is_reference,reward_a,reward_a\n"),
             Contains("column 5 (reward_a): duplicate"));
  CHECK_THAT(error_of(""), Contains("t.csv:1:") && Contains("empty file"));
  CHECK_THAT(error_of(header), Contains("t.csv:2:") && Contains("no data rows"));
  // non-numeric cells
  CHECK_THAT(error_of(header + "x,1,1,1,2\nx,2,0,abc,2\n"), Contains("t.csv:3:") &&
                                                                Contains("column 4 (reward_a)") &&
                                                                Contains("'abc' is not a number"));
  CHECK_THAT(error_of(header + "x,1,1,1,2\nx,2,0,1.5e,2\n"),
             Contains("t.csv:3:") && Contains("column 4 (reward_a)"));
  CHECK_THAT(error_of(header + "x,1,1,1,2\nx,2,0,1,nan\n"), Contains("t.csv:3:") &&
                                                                Contains("column 5 (reward_b)") &&
                                                                Contains("not a finite number"));
  CHECK_THAT(error_of(header + "x,1,1,1,2\nx,2,0,1,\n"),
             Contains("t.csv:3:") && Contains("column 5 (reward_b): empty cell"));
  CHECK_THAT(error_of(header + "x,1,yes,1,2\n"), Contains("t.csv:2:") &&
                                                     Contains("column 3 (is_reference)") &&
                                                     Contains("must be 0 or 1"));
  // ragged rows
  CHECK_THAT(error_of(header + "x,1,1,1,2\nx,2,0,1\n"),
             Contains("t.csv:3:") && Contains("expected 5 fields") && Contains("found 4"));
  CHECK_THAT(error_of(header + "x,1,1,1,2,7\n"), Contains("t.csv:2:") && Contains("found 6"));
  // a prompt without reference samples (reported at its first row), or without candidates
  CHECK_THAT(error_of(header + "x,1,1,1,2\nx,2,0,1,2\n\ny,1,0,1,2\ny,2,0,1,2\n"),
             Contains("t.csv:5:") && Contains("column 3 (is_reference)") &&
                 Contains("prompt 'y'") && Contains("no reference samples"));
  CHECK_THAT(error_of(header + "x,1,1,1,2\n"),
             Contains("t.csv:2:") && Contains("no candidate samples"));
  // identifiers
  CHECK_THAT(error_of(header + "x,1,1,1,2\nx,1,0,1,2\n"),
             Contains("t.csv:3:") && Contains("column 2 (sample_id): duplicate"));
  CHECK_THAT(error_of(header + ",1,1,1,2\n"),
             Contains("t.csv:2:") && Contains("column 1 (prompt_id)"));
  // gold may be empty on reference rows only
  const std::string gold_header = "prompt_id,sample_id,is_reference,reward_a,gold_a\n";
  CHECK(error_of(gold_header + "x,1,1,1,\nx,2,0,1,3\n") == "<no error>");
  CHECK_THAT(error_of(gold_header + "x,1,1,1,\nx,2,0,1,\n"),
             Contains("t.csv:3:") && Contains("column 5 (gold_a)"));
}

TEST_CASE("the program writes nothing when the input is bad", "[csv][errors]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(LSC_DEMO_BINARY_DIR) / "bad-input-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path bad = dir / "bad.csv";
  std::ofstream(bad) << header << "x,1,1,1,2\nx,2,0,1,oops\n";
  const fs::path out = dir / "out";
  std::ostringstream o, e;
  const int rc = run({"--csv", bad.string(), "--out", out.string(), "--bootstrap", "10"}, o, e);
  CHECK(rc == 1);
  CHECK_THAT(e.str(), Catch::Matchers::Contains("bad.csv:3:") &&
                          Catch::Matchers::Contains("column 5 (reward_b)"));
  CHECK(o.str().empty());
  CHECK_FALSE(fs::exists(out));
  // a missing file too
  const int rc2 = run({"--csv", (dir / "nope.csv").string(), "--out", out.string()}, o, e);
  CHECK(rc2 == 1);
  CHECK_FALSE(fs::exists(out));
  fs::remove_all(dir);
}

TEST_CASE("command line: --quick sets sizes, explicit options win, bad values are usage errors",
          "[cli]") {
  Options o = parse_args({"--quick", "--prompts", "50"});
  CHECK(o.sim.prompts == 50);
  CHECK(o.sim.candidates == 32);
  o = parse_args(
      {"--properties", "3", "--rho", "-0.4", "--ref-method", "empirical", "--quantile", "0.9"});
  CHECK(o.sim.properties == 3);
  CHECK(o.trade_off_rho == -0.4);
  CHECK(o.util.method == RefMethod::empirical);
  CHECK(o.util.quantile == 0.9);
  CHECK_THROWS_AS(parse_args({"--properties", "3", "--rho", "-0.6"}), UsageError);
  CHECK_THROWS_AS(parse_args({"--quantile", "1"}), UsageError);
  CHECK_THROWS_AS(parse_args({"--prompts", "ten"}), UsageError);
  CHECK_THROWS_AS(parse_args({"--prompts"}), UsageError);
  CHECK_THROWS_AS(parse_args({"--ref-method", "median"}), UsageError);
  std::ostringstream out, err;
  CHECK(run({"--help"}, out, err) == 0);
  CHECK_THAT(out.str(), Catch::Matchers::Contains("--csv FILE"));
  CHECK(run({"--bogus"}, out, err) == 2);
}
