// lsc — bad input (error.hpp): std::invalid_argument naming the argument and the shapes, and
// the caller's outputs untouched. SPDX-License-Identifier: MIT
#include <lsc/lsc.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "lsc_test.hpp"

namespace {

using Mat = Eigen::MatrixXd;
using Vec = Eigen::VectorXd;
constexpr double poison = -12345.678;
const double qnan = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();

// Runs f, requires std::invalid_argument, returns its message.
template <class F>
std::string message_of(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  } catch (...) {
    FAIL("threw something other than std::invalid_argument");
  }
  FAIL("did not throw");
  return {};
}

#define CHECK_MESSAGE_HAS(message, text)                    \
  do {                                                      \
    INFO("message: " << (message));                         \
    CHECK_THAT((message), Catch::Matchers::Contains(text)); \
  } while (false)

bool poisoned(const Vec& v) { return (v.array() == poison).all(); }

}  // namespace

TEST_CASE("shape mismatches name 'ref' and both shapes; outputs untouched", "[errors]") {
  const Mat R = Mat::Ones(3, 2);
  const Mat F = Mat::Zero(2, 2);
  std::string m = message_of([&] { (void)lsc::conjunction(R, F); });
  CHECK_MESSAGE_HAS(m, "'ref'");
  CHECK_MESSAGE_HAS(m, "2x2");
  CHECK_MESSAGE_HAS(m, "3x2");
  CHECK_MESSAGE_HAS(m, "lsc::conjunction");

  Vec out = Vec::Constant(3, poison);
  m = message_of([&] { lsc::conjunction_into(out, R, F); });
  CHECK_MESSAGE_HAS(m, "'ref'");
  CHECK(poisoned(out));

  m = message_of([&] { (void)lsc::transform(R, F); });
  CHECK_MESSAGE_HAS(m, "'ref'");
  CHECK_MESSAGE_HAS(m, "3x2");
  m = message_of([&] { (void)lsc::centre(R, F); });
  CHECK_MESSAGE_HAS(m, "'ref'");
  m = message_of([&] { (void)lsc::centred_sum(R, F); });
  CHECK_MESSAGE_HAS(m, "'ref'");
  m = message_of([&] { (void)lsc::utilities(R, Mat::Zero(3, 3)); });
  CHECK_MESSAGE_HAS(m, "'ref'");
  CHECK_MESSAGE_HAS(m, "3x3");

  // out of the wrong length
  Vec short_out = Vec::Constant(2, poison);
  m = message_of([&] { lsc::conjunction_into(short_out, R, Mat::Zero(3, 2)); });
  CHECK_MESSAGE_HAS(m, "'out'");
  CHECK_MESSAGE_HAS(m, "3x2");
  CHECK(poisoned(short_out));
}

TEST_CASE("weights: wrong length, negative, NaN, inf; outputs untouched", "[errors]") {
  const Mat R = Mat::Ones(4, 3);
  const Mat F = Mat::Zero(4, 3);
  const std::vector<std::vector<double>> bad = {
      {1, 1}, {1, -0.5, 1}, {1, qnan, 1}, {inf, 1, 1}, {1, 1, -inf}};
  for (const auto& wv : bad) {
    const Vec w = Eigen::Map<const Vec>(wv.data(), static_cast<Eigen::Index>(wv.size()));
    INFO("weights " << w.transpose());
    std::string m = message_of([&] { (void)lsc::conjunction(R, F, w); });
    CHECK_MESSAGE_HAS(m, "'weights'");
    Vec out = Vec::Constant(4, poison);
    m = message_of([&] { lsc::conjunction_into(out, R, F, w); });
    CHECK_MESSAGE_HAS(m, "'weights'");
    CHECK(poisoned(out));
    m = message_of([&] { (void)lsc::centred_sum(R, F, w); });
    CHECK_MESSAGE_HAS(m, "'weights'");
    m = message_of([&] { (void)lsc::raw_sum(R, w); });
    CHECK_MESSAGE_HAS(m, "'weights'");
    // raw-pointer kernel: with k = 3 the first bad vector is read as 3 entries, so only the
    // value checks apply to it; use k = wv.size() to hit the length check via shapes instead.
    if (wv.size() == 3) {
      Vec kout = Vec::Constant(4, poison);
      m = message_of([&] {
        lsc::kernels::conjunction(R.data(), F.data(), 4, 3, lsc::Layout::col_major, wv.data(),
                                  kout.data());
      });
      CHECK_MESSAGE_HAS(m, "'weights'");
      CHECK_MESSAGE_HAS(m, "lsc::kernels::conjunction");
      CHECK(poisoned(kout));
    }
  }
}

TEST_CASE("q outside [0, 1] or NaN names 'q'", "[errors]") {
  const Mat B = Mat::Ones(2, 3);
  const auto g = lsc::Groups::uniform(2, 1);
  for (const double q : {-0.1, 1.5, qnan, inf, -inf}) {
    INFO("q = " << q);
    std::string m = message_of([&] { (void)lsc::reference::quantile(B, q); });
    CHECK_MESSAGE_HAS(m, "'q'");
    m = message_of([&] { (void)lsc::reference::gaussian_quantile(B, q); });
    CHECK_MESSAGE_HAS(m, "'q'");
    m = message_of([&] { (void)lsc::reference::quantile(B, g, q); });
    CHECK_MESSAGE_HAS(m, "'q'");
  }
}

TEST_CASE("Groups: bad offsets and index", "[errors][groups]") {
  std::string m = message_of([] { (void)lsc::Groups::from_offsets(std::vector<int>{1, 2, 3}); });
  CHECK_MESSAGE_HAS(m, "'offsets'");
  CHECK_MESSAGE_HAS(m, "starts at 1");
  m = message_of([] { (void)lsc::Groups::from_offsets(std::vector<int>{0, 3, 2}); });
  CHECK_MESSAGE_HAS(m, "'offsets'");
  m = message_of([] { (void)lsc::Groups::from_offsets(std::vector<int>{0, 2, 2, 5}); });
  CHECK_MESSAGE_HAS(m, "'offsets'");  // empty group
  m = message_of([] { (void)lsc::Groups::from_offsets(std::vector<int>{}); });
  CHECK_MESSAGE_HAS(m, "'offsets'");
  m = message_of([] { (void)lsc::Groups::from_index(std::vector<int>{0, 3, 1}, 3); });
  CHECK_MESSAGE_HAS(m, "'index'");
  m = message_of([] { (void)lsc::Groups::from_index(std::vector<int>{0, -1}, 2); });
  CHECK_MESSAGE_HAS(m, "'index'");
  m = message_of([] { (void)lsc::Groups::from_index(std::vector<int>{0, 0, 2}, 3); });
  CHECK_MESSAGE_HAS(m, "'index'");  // group 1 is empty
  CHECK_MESSAGE_HAS(m, "empty group");
  m = message_of([] { (void)lsc::Groups::uniform(3, 0); });
  CHECK_MESSAGE_HAS(m, "'group_size'");
  m = message_of([] { (void)lsc::Groups::uniform(-1, 2); });
  CHECK_MESSAGE_HAS(m, "'num_groups'");
}

TEST_CASE("grouped references: row count and ref shape; outputs untouched", "[errors][groups]") {
  const Mat R = Mat::Ones(6, 2);
  const auto g5 = lsc::Groups::uniform(5, 1);  // covers 5 rows, rewards have 6
  const auto g3 = lsc::Groups::uniform(3, 2);  // 3 prompts
  std::string m = message_of([&] { (void)lsc::conjunction(R, Mat::Zero(5, 2), g5); });
  CHECK_MESSAGE_HAS(m, "'groups'");
  CHECK_MESSAGE_HAS(m, "6x2");
  m = message_of([&] { (void)lsc::conjunction(R, Mat::Zero(4, 2), g3); });
  CHECK_MESSAGE_HAS(m, "'ref'");
  CHECK_MESSAGE_HAS(m, "4x2");
  CHECK_MESSAGE_HAS(m, "3x2");
  m = message_of([&] { (void)lsc::conjunction(R, Mat::Zero(3, 1), g3); });
  CHECK_MESSAGE_HAS(m, "'ref'");
  CHECK_MESSAGE_HAS(m, "3x1");
  Vec out = Vec::Constant(6, poison);
  m = message_of([&] { lsc::conjunction_into(out, R, Mat::Zero(4, 2), g3); });
  CHECK_MESSAGE_HAS(m, "'ref'");
  CHECK(poisoned(out));
  m = message_of([&] { lsc::conjunction_into(out, R, Mat::Zero(3, 2), g5); });
  CHECK_MESSAGE_HAS(m, "'groups'");
  CHECK(poisoned(out));
  const Vec w = (Vec(2) << 1, qnan).finished();
  m = message_of([&] { lsc::conjunction_into(out, R, Mat::Zero(3, 2), g3, w); });
  CHECK_MESSAGE_HAS(m, "'weights'");
  CHECK(poisoned(out));
  m = message_of([&] { (void)lsc::broadcast(Mat::Zero(4, 2), g3); });
  CHECK_MESSAGE_HAS(m, "'ref'");
  m = message_of([&] { (void)lsc::reference::median(Mat::Zero(5, 2), g3); });
  CHECK_MESSAGE_HAS(m, "'samples'");
  CHECK_MESSAGE_HAS(m, "5x2");
  m = message_of([&] { (void)lsc::reference::median(Mat::Zero(3, 0)); });
  CHECK_MESSAGE_HAS(m, "'per_prompt'");
}
