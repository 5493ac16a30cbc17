// The API tour of README.md. Each block between "// [name]" and "// [name end]" is pasted
// into README.md verbatim, and a test checks that they still match, so every snippet there
// compiles and runs. Returns nonzero if a claim made in the README does not hold.
#include <lsc/lsc.hpp>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace {
int failures = 0;
void check(bool ok, const char* what) {
  if (!ok) {
    std::printf("FAILED: %s\n", what);
    ++failures;
  }
}
}  // namespace

int main() {
  {
    // [scalar]
    float u = lsc::log_sigmoid(-3.0f);            // log σ(-3) = -3.0485873
    double s = lsc::sigmoid(40.0);                // 1 - 4.2e-18, rounds to 1
    double p = lsc::softplus(800.0);              // 800, no overflow
    double g = lsc::log_sigmoid_derivative(0.0);  // σ(-0) = 0.5
    // [scalar end]
    check(std::fabs(u + 3.0485873f) < 1e-6f && s == 1.0 && p == 800.0 && g == 0.5, "scalar");
  }
  {
    // [expressions]
    Eigen::ArrayXf r = Eigen::ArrayXf::LinSpaced(8, -4.0f, 4.0f);
    Eigen::ArrayXf ref = Eigen::ArrayXf::Constant(8, 0.5f);
    // Lazy and fused: one vectorised pass, no temporary for r - ref.
    Eigen::ArrayXf u = lsc::transform(r, ref);
    float total = (2.0f * lsc::log_sigmoid(r - ref)).sum();
    // [expressions end]
    check(std::fabs(total - 2.0f * u.sum()) < 1e-5f, "expressions");
  }
  {
    // [references]
    // Base-policy samples: 3 prompts x 4 samples, rows grouped by prompt, K = 2 reward models.
    Eigen::MatrixXd samples(12, 2);
    samples.col(0) << 0.1, 0.4, -0.2, 0.9, 1.0, 1.5, 0.7, 1.1, -1.0, -0.4, -0.8, -0.6;
    samples.col(1) << 0.0, 0.2, 0.3, -0.1, 0.5, 0.6, 0.4, 0.9, 0.1, std::nan(""), 0.2, 0.0;
    const lsc::Groups by_prompt = lsc::Groups::uniform(3, 4);
    Eigen::MatrixXd q85 = lsc::reference::quantile(samples, by_prompt, 0.85);  // 3 x 2
    Eigen::MatrixXd par = lsc::reference::gaussian_quantile(samples, by_prompt, 0.85);
    Eigen::MatrixXd med = lsc::reference::median(samples, by_prompt);  // NaN samples skipped
    // [references end]
    check(std::fabs(q85(0, 0) - 0.675) < 1e-12 && med.rows() == 3 && par.cols() == 2, "references");
  }
  {
    // [conjunction]
    // Policy samples: N = 4 rows (2 prompts x 2 samples) x K = 2 reward models, row-major
    // like a [N, K] tensor. One reference per prompt and model.
    Eigen::Matrix<float, 4, 2, Eigen::RowMajor> R;
    R << 10.0f, -10.0f,  // prompt 0: superb on one property, awful on the other
        0.0f, 0.0f,      // prompt 0: balanced
        1.0f, 2.0f,      // prompt 1
        3.0f, 0.0f;      // prompt 1
    Eigen::MatrixXf ref = Eigen::MatrixXf::Zero(2, 2);
    const lsc::Groups policy = lsc::Groups::uniform(2, 2);
    Eigen::VectorXf u = lsc::conjunction(R, ref, policy);  // Σ_k log σ(R_ik - ref_pk)
    Eigen::VectorXf raw = lsc::raw_sum(R);                 // Σ_k R_ik: ties rows 0 and 1
    Eigen::Vector2f w(1.0f, 2.0f);                         // harmlessness counts twice
    Eigen::VectorXf tempered = lsc::conjunction(R, ref, policy, w);
    Eigen::VectorXf p_all = lsc::probability_all_good(R, ref, policy);
    // [conjunction end]
    check(raw(0) == raw(1) && u(1) > u(0) && std::fabs(u(0) + 10.0000908f) < 2e-6f &&
              std::fabs(u(1) + 1.3862944f) < 1e-6f && tempered(2) < u(2) &&
              std::fabs(p_all(1) - 0.25f) < 1e-6f,
          "conjunction");
  }
  {
    // [buffers]
    // A caller-owned [N, K] row-major buffer (e.g. a torch tensor's data) and an output buffer.
    std::vector<float> rewards = {0.5f, 1.0f, -2.0f, 0.0f, 3.0f, -1.0f};  // N = 3, K = 2
    std::vector<float> refs(6, 0.25f);
    std::vector<float> out(3);
    lsc::kernels::conjunction(rewards.data(), refs.data(), 3, 2, lsc::Layout::row_major,
                              /*weights=*/nullptr, out.data());
    // The same data through Eigen, zero-copy:
    Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> R(
        rewards.data(), 3, 2);
    Eigen::Map<Eigen::VectorXf> u(out.data(), 3);
    lsc::conjunction_into(u, R, Eigen::MatrixXf::Constant(3, 2, 0.25f));
    // [buffers end]
    check(std::fabs(out[1] - (lsc::log_sigmoid(-2.25f) + lsc::log_sigmoid(-0.25f))) < 1e-6f,
          "buffers");
  }
  {
    // [errors]
    Eigen::MatrixXf R = Eigen::MatrixXf::Zero(4, 2), wrong = Eigen::MatrixXf::Zero(3, 2);
    try {
      lsc::conjunction(R, wrong);
    } catch (const std::invalid_argument& e) {
      std::printf("%s\n", e.what());
      // lsc::conjunction: argument 'ref' has shape 3x2, expected 4x2 (the shape of 'rewards';
      // for one reference per prompt pass an lsc::Groups)
    }
    // [errors end]
  }
  std::printf(failures == 0 ? "api tour: all claims hold\n" : "api tour: %d claims failed\n",
              failures);
  return failures == 0 ? 0 : 1;
}
