// Closed forms of the tilted and best-of-N policies over a finite pool.
#include "demo_test.hpp"

#include "policy.hpp"
#include "simulator.hpp"

#include <lsc/lsc.hpp>

#include <cmath>
#include <vector>

using namespace lsc_demo;

namespace {

struct Fixture {
  Index P = 7, M = 9;
  std::vector<Index> offsets;
  Vec u;
  Fixture() {
    Rng rng(42);
    u.resize(P * M);
    for (Index i = 0; i < P * M; ++i) u(i) = 2.0 * rng.normal();
    for (Index p = 0; p <= P; ++p) offsets.push_back(p * M);
  }
};

// π_β computed directly in long double, and its KL to uniform.
long double direct_kl(const Vec& u, Index b, Index n, long double beta,
                      std::vector<long double>* pi = nullptr) {
  long double z = 0;
  for (Index i = b; i < b + n; ++i) z += std::exp(beta * static_cast<long double>(u(i)));
  long double kl = 0;
  if (pi) pi->clear();
  for (Index i = b; i < b + n; ++i) {
    const long double p = std::exp(beta * static_cast<long double>(u(i))) / z;
    if (pi) pi->push_back(p);
    if (p > 0) kl += p * std::log(p * static_cast<long double>(n));
  }
  return kl;
}

}  // namespace

TEST_CASE("KL of the tilted policy matches its definition", "[policy]") {
  Fixture f;
  for (double beta : {0.01, 0.3, 1.0, 2.5, 7.0}) {
    Vec pi, kl;
    const TiltStats st = tilt(f.u, f.offsets, beta, &pi, &kl);
    long double mean = 0;
    for (Index p = 0; p < f.P; ++p) {
      std::vector<long double> ref;
      const long double k = direct_kl(f.u, p * f.M, f.M, beta, &ref);
      CHECK(std::fabs(static_cast<double>(k) - kl(p)) <= 1e-12 + 1e-10 * kl(p));
      for (Index i = 0; i < f.M; ++i)
        CHECK(std::fabs(pi(p * f.M + i) - static_cast<double>(ref[uz(i)])) <= 1e-14);
      mean += k;
    }
    CHECK(std::fabs(st.mean_kl - static_cast<double>(mean / f.P)) <= 1e-12);
  }
}

TEST_CASE("gamma -> infinity gives pi0, gamma -> 0 gives the argmax", "[policy]") {
  Fixture f;
  Vec pi, kl;
  tilt(f.u, f.offsets, 1e-12, &pi, &kl);  // γ = 1e12
  CHECK(kl.maxCoeff() < 1e-14);  // exact value ~1e-24; the closed form loses ~1e-16 absolute
  CHECK((pi.array() - 1.0 / static_cast<double>(f.M)).abs().maxCoeff() < 1e-12);

  tilt(f.u, f.offsets, 1e4, &pi, &kl);  // γ = 1e-4: gaps between u's are >> γ here
  for (Index p = 0; p < f.P; ++p) {
    Index best = 0;
    f.u.segment(p * f.M, f.M).maxCoeff(&best);
    for (Index i = 0; i < f.M; ++i)
      CHECK(pi(p * f.M + i) == Approx(i == best ? 1.0 : 0.0).margin(1e-12));
    CHECK(kl(p) == Approx(std::log(static_cast<double>(f.M))).epsilon(1e-12));
  }
  CHECK(max_mean_kl(f.u, f.offsets) == Approx(std::log(static_cast<double>(f.M))));
}

TEST_CASE("KL increases with 1/gamma and matched KL hits the target", "[policy]") {
  Fixture f;
  double last = 0;
  for (double beta = 0.01; beta < 100; beta *= 1.5) {
    const double kl = tilt(f.u, f.offsets, beta).mean_kl;
    CHECK(kl > last);
    last = kl;
  }
  for (double target : {0.05, 0.5, 1.0, 2.0}) {
    const double beta = solve_beta(f.u, f.offsets, target);
    REQUIRE(std::isfinite(beta));
    CHECK(tilt(f.u, f.offsets, beta).mean_kl == Approx(target).epsilon(1e-8));
  }
  CHECK(std::isnan(solve_beta(f.u, f.offsets, std::log(static_cast<double>(f.M)) + 0.1)));
  CHECK(std::isnan(solve_beta(f.u, f.offsets, 0.0)));
}

TEST_CASE("LSC with a reference -> +infinity gives the raw reward's policy; -> -infinity gives pi0",
          "[policy][lsc]") {
  const Index P = 5, M = 6, K = 2;
  Rng rng(7);
  Mat R(P * M, K);
  for (Index i = 0; i < R.rows(); ++i)
    for (Index k = 0; k < K; ++k) R(i, k) = rng.normal();
  std::vector<Index> offsets;
  for (Index p = 0; p <= P; ++p) offsets.push_back(p * M);
  const lsc::Groups g = lsc::Groups::from_offsets(offsets);
  const Vec raw = lsc::raw_sum(R);
  Vec pi_raw, pi_lsc;
  tilt(raw, offsets, 1.0, &pi_raw);
  double last = INFINITY;
  for (double c : {2.0, 5.0, 10.0, 20.0, 40.0}) {
    const Mat ref = Mat::Constant(P, K, c);
    const Vec u = lsc::conjunction(R, ref, g);
    tilt(u, offsets, 1.0, &pi_lsc);
    const double dist = (pi_lsc - pi_raw).cwiseAbs().maxCoeff();
    CHECK(dist < last);
    last = dist;
  }
  CHECK(last < 1e-12);
  // the other limit: utilities -> 0, policy -> π0
  const Vec u = lsc::conjunction(R, Mat::Constant(P, K, -40.0), g);
  tilt(u, offsets, 1.0, &pi_lsc);
  CHECK((pi_lsc.array() - 1.0 / static_cast<double>(M)).abs().maxCoeff() < 1e-12);
}

TEST_CASE("best-of-N: N = 1 is pi0, large N the argmax, ties are shared", "[policy][bon]") {
  Fixture f;
  Vec kl;
  Vec pi = best_of_n(f.u, f.offsets, 1, &kl);
  CHECK((pi.array() - 1.0 / static_cast<double>(f.M)).abs().maxCoeff() < 1e-15);
  CHECK(kl.maxCoeff() < 1e-15);
  pi = best_of_n(f.u, f.offsets, 5000, &kl);
  for (Index p = 0; p < f.P; ++p) {
    Index best = 0;
    f.u.segment(p * f.M, f.M).maxCoeff(&best);
    CHECK(pi(p * f.M + best) == Approx(1.0).margin(1e-12));
    CHECK(kl(p) == Approx(std::log(static_cast<double>(f.M))).epsilon(1e-9));
  }
  // probabilities sum to one per prompt; the top candidate has 1 − ((M−1)/M)^N
  pi = best_of_n(f.u, f.offsets, 3, &kl);
  for (Index p = 0; p < f.P; ++p) {
    CHECK(pi.segment(p * f.M, f.M).sum() == Approx(1.0).epsilon(1e-14));
    CHECK(pi.segment(p * f.M, f.M).maxCoeff() ==
          Approx(1.0 - std::pow(8.0 / 9.0, 3)).epsilon(1e-14));
  }
  // all tied: uniform whatever N
  const Vec same = Vec::Constant(f.u.size(), 0.25);
  pi = best_of_n(same, f.offsets, 10, &kl);
  CHECK((pi.array() - 1.0 / static_cast<double>(f.M)).abs().maxCoeff() < 1e-15);
  CHECK(kl.maxCoeff() < 1e-15);
}
