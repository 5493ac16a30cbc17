#define CATCH_CONFIG_MAIN
#include "demo_test.hpp"
