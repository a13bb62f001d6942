// samradctl: the command-line client of Samråd. Swedish by default, `--lang en` for English.
// Everything but reading argv and the environment lives in run.h, so tests run it
// in-process.
#include <iostream>
#include <string>
#include <vector>

#include "services/samradctl/run.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return samrad::ctl::Run(args, samrad::ctl::ProcessEnvironment(), std::cout, std::cerr);
}
