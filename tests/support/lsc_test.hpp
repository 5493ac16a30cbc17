// lsc — test support. SPDX-License-Identifier: MIT
//
// Every test source includes this header instead of naming Catch2 itself, so moving to
// Catch2 v3 (<catch2/catch_all.hpp>, Catch2::Catch2WithMain) is a change here and in
// tests/CMakeLists.txt only. Matchers such as Catch::Matchers::WithinULP have the same
// name in v2 and v3.
#ifndef LSC_TEST_HPP
#define LSC_TEST_HPP

#include <catch2/catch.hpp>

#endif  // LSC_TEST_HPP
