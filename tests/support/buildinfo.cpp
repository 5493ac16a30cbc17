// lsc — prints the configuration a test executable was built with, so a test log says what
// was tested, and checks that the architecture variant really got the SIMD level its name
// promises (a silently scalar "avx2" build fails here). Run alone: <exe> "[buildinfo]".
// SPDX-License-Identifier: MIT
#include <Eigen/Core>
#include <lsc/version.hpp>

#include <cfloat>
#include <cstring>
#include <iostream>
#include <string>

#include "lsc_test.hpp"

#if defined(__has_include)
#if __has_include("lsc_test_config.hpp")
#include "lsc_test_config.hpp"  // generated: build type and CMake flags
#endif
#endif
#ifndef LSC_TEST_ARCH
#define LSC_TEST_ARCH "unknown"
#endif
#ifndef LSC_TEST_ARCH_FLAGS
#define LSC_TEST_ARCH_FLAGS ""
#endif
#ifndef LSC_TEST_BUILD_TYPE
#define LSC_TEST_BUILD_TYPE "unknown"
#define LSC_TEST_CXX_FLAGS "unknown"
#define LSC_TEST_CXX_COMPILER "unknown"
#endif

namespace {

std::string compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#elif defined(_MSC_VER)
  return "msvc " + std::to_string(_MSC_FULL_VER);
#else
  return "unknown";
#endif
}

std::string sanitizers() {
  std::string s;
#if defined(__SANITIZE_ADDRESS__)
  s += "address ";
#endif
#if defined(__SANITIZE_THREAD__)
  s += "thread ";
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(__SANITIZE_ADDRESS__)
  s += "address ";
#endif
#if __has_feature(thread_sanitizer) && !defined(__SANITIZE_THREAD__)
  s += "thread ";
#endif
#if __has_feature(undefined_behavior_sanitizer)
  s += "undefined ";
#endif
#endif
  return s.empty() ? "none" : s;
}

std::string simd_macros() {
  std::string s;
#ifdef EIGEN_VECTORIZE
  s += "EIGEN_VECTORIZE ";
#endif
#ifdef EIGEN_VECTORIZE_SSE2
  s += "SSE2 ";
#endif
#ifdef EIGEN_VECTORIZE_SSE4_2
  s += "SSE4_2 ";
#endif
#ifdef EIGEN_VECTORIZE_AVX
  s += "AVX ";
#endif
#ifdef EIGEN_VECTORIZE_AVX2
  s += "AVX2 ";
#endif
#ifdef EIGEN_VECTORIZE_FMA
  s += "FMA ";
#endif
#ifdef EIGEN_VECTORIZE_AVX512
  s += "AVX512 ";
#endif
#ifdef EIGEN_VECTORIZE_AVX512DQ
  s += "AVX512DQ ";
#endif
#ifdef EIGEN_VECTORIZE_NEON
  s += "NEON ";
#endif
  return s.empty() ? "none" : s;
}

}  // namespace

TEST_CASE("lsc build configuration (tests/support/buildinfo.cpp)", "[buildinfo]") {
  std::cout << "---- lsc build configuration ----\n"
            << "lsc version       " << LSC_VERSION_MAJOR << '.' << LSC_VERSION_MINOR << '.'
            << LSC_VERSION_PATCH << '\n'
            << "test variant      " << LSC_TEST_ARCH << '\n'
            << "variant flags     " << LSC_TEST_ARCH_FLAGS << '\n'
            << "compiler          " << compiler() << " (" << LSC_TEST_CXX_COMPILER << ")\n"
            << "build type        " << LSC_TEST_BUILD_TYPE << '\n'
            << "CMake CXX flags   " << LSC_TEST_CXX_FLAGS << '\n'
            << "__cplusplus       " << __cplusplus << '\n'
#if defined(__OPTIMIZE__)
            << "optimised         yes\n"
#else
            << "optimised         no\n"
#endif
#if defined(__FAST_MATH__)
            << "fast-math         YES (IEEE semantics not guaranteed)\n"
#endif
#if defined(NDEBUG)
            << "NDEBUG            defined\n"
#else
            << "NDEBUG            not defined\n"
#endif
            << "sanitizers        " << sanitizers() << '\n'
            << "FLT_EVAL_METHOD   " << FLT_EVAL_METHOD << '\n'
            << "Eigen             " << EIGEN_WORLD_VERSION << '.' << EIGEN_MAJOR_VERSION << '.'
            << EIGEN_MINOR_VERSION << '\n'
            << "Eigen SIMD        " << Eigen::SimdInstructionSetsInUse() << '\n'
            << "Eigen macros      " << simd_macros() << '\n'
            << "packet size       float " << Eigen::internal::packet_traits<float>::size
            << ", double " << Eigen::internal::packet_traits<double>::size << '\n'
            << "---------------------------------" << std::endl;

  const std::string arch = LSC_TEST_ARCH;
#if defined(__x86_64__) || defined(_M_X64)
  // x86-64 always has SSE2; Eigen must vectorise even the default build.
#ifndef EIGEN_VECTORIZE_SSE2
  FAIL("x86-64 build without EIGEN_VECTORIZE_SSE2");
#endif
  bool has_avx2 = false;
  bool has_avx512 = false;
#ifdef EIGEN_VECTORIZE_AVX2
  has_avx2 = true;
#endif
#ifdef EIGEN_VECTORIZE_AVX512
  has_avx512 = true;
#endif
  if (arch == "default") {
    CHECK_FALSE(has_avx2);  // the default variant must be plain x86-64 (SSE2)
  } else if (arch == "avx2") {
    CHECK(has_avx2);
  } else if (arch == "avx512") {
    CHECK(has_avx512);
  }
#endif
  CHECK(std::strlen(LSC_TEST_ARCH) > 0);
}
