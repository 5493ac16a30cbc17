// lsc alignment demo: LSC utilities vs raw rewards and trainer baselines. SPDX-License-Identifier:
// MIT
#include "app.hpp"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return lsc_demo::run(args, std::cout, std::cerr);
}
