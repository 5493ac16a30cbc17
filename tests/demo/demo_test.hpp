// Test framework include for the alignment demo's tests: the project's wrapper, so a move to
// Catch2 v3 is a change in tests/support/lsc_test.hpp only.
#ifndef LSC_DEMO_TEST_HPP
#define LSC_DEMO_TEST_HPP
#include "../support/lsc_test.hpp"
#endif
