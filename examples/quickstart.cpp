// The README's quick-start snippet, compiled and run by the tests.
#include <lsc/lsc.hpp>

#include <cstdio>

int main() {
  // R: N = 4 responses (2 prompts x 2 samples) x K = 2 reward models (helpful, harmless).
  Eigen::MatrixXf R(4, 2);
  R << 2.0f, -1.0f,   // prompt 0
      0.5f, 0.5f,     // prompt 0
      10.0f, -10.0f,  // prompt 1: great on one property, terrible on the other
      0.0f, 0.0f;     // prompt 1: balanced
  // B: base-policy sample rewards, 5 per prompt, rows grouped by prompt, one column per model.
  Eigen::MatrixXf B(10, 2);
  B << 0.1f, 0.2f, -0.3f, 0.0f, 0.4f, -0.1f, 1.0f, 0.3f, -0.2f, 0.1f,  //
      -0.5f, 0.0f, 0.2f, -0.2f, 0.1f, 0.3f, -0.4f, 0.1f, 0.0f, -0.3f;
  const auto samples = lsc::Groups::uniform(2, 5);
  const auto policy = lsc::Groups::uniform(2, 2);

  Eigen::MatrixXf ref = lsc::reference::quantile(B, samples, 0.85);  // 2 prompts x 2 models
  Eigen::VectorXf u = lsc::conjunction(R, ref, policy);              // Σ_k log σ(R_ik - ref_pk)
  Eigen::VectorXf raw = lsc::raw_sum(R);

  std::printf("response  raw sum   LSC conjunction  P(good on all)\n");
  for (Eigen::Index i = 0; i < R.rows(); ++i) {
    std::printf("%8ld  %7.3f  %15.4f  %14.4f\n", static_cast<long>(i), static_cast<double>(raw(i)),
                static_cast<double>(u(i)), static_cast<double>(std::exp(u(i))));
  }
  // The raw sum ties responses 2 and 3; the conjunction prefers the balanced one.
  return u(3) > u(2) && raw(2) == raw(3) ? 0 : 1;
}
