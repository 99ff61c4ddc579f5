// Lists the campaign's levels: opens storage, loads the level folders if storage is empty, prints.
//   clash_example_list_levels sqlite:///tmp/clash.db data/levels
#include <cstdio>

#include "clash/clash.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s STORAGE_URL LEVELS_DIR\n", argv[0]);
    return 2;
  }
  clash::EngineOptions options;
  options.storage_url = argv[1];
  clash::Result<std::unique_ptr<clash::Engine>> engine = clash::Engine::Open(std::move(options));
  if (!engine.ok()) {
    std::fprintf(stderr, "error: %s\n", engine.status().ToString().c_str());
    return 1;
  }
  clash::Catalogue& catalogue = (*engine)->catalogue();

  clash::Result<std::vector<clash::Level>> levels = catalogue.List();
  if (levels.ok() && levels->empty()) {
    clash::Result<int> loaded = catalogue.LoadFromDirectory(argv[2]);
    if (!loaded.ok()) {
      std::fprintf(stderr, "error: %s\n", loaded.status().ToString().c_str());
      return 1;
    }
    levels = catalogue.List();
  }
  if (!levels.ok()) {
    std::fprintf(stderr, "error: %s\n", levels.status().ToString().c_str());
    return 1;
  }
  for (const clash::Level& level : *levels) {
    std::printf("%d. %s  %s  (%d XP, target %d s)\n", level.order, level.slug.c_str(), level.title.c_str(),
                level.xp_reward, level.target_time_seconds);
  }
  return 0;
}
