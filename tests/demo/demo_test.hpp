// Test framework include for the alignment demo's tests: the one place to change when moving to
// tests/support/lsc_test.hpp (Catch2 v3).
#ifndef LSC_DEMO_TEST_HPP
#define LSC_DEMO_TEST_HPP
#include <catch2/catch.hpp>
#endif
