// lsc — Catch2's main(), compiled once and linked into every test executable.
// SPDX-License-Identifier: MIT
#define CATCH_CONFIG_MAIN
#include "lsc_test.hpp"
