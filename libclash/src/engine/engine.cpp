#include "clash/engine.h"

namespace clash {

Result<std::unique_ptr<Engine>> Engine::Open(EngineOptions options) {
  std::unique_ptr<Engine> engine(new Engine());
  if (options.storage) {
    engine->storage_ = std::move(options.storage);
  } else {
    CLASH_ASSIGN_OR_RETURN(engine->storage_, OpenStorage(options.storage_url));
  }
  engine->clock_ = options.clock ? options.clock : &Clock::Real();
  engine->rng_ = options.rng ? options.rng : &Rng::Secure();
  engine->logger_ = options.logger ? options.logger : &Logger::Default();
  engine->catalogue_ = std::make_unique<Catalogue>(*engine->storage_, *engine->clock_);
  return engine;
}

Engine::~Engine() = default;

std::vector<HealthCheck> Engine::CheckHealth() {
  std::vector<HealthCheck> checks;
  Status db = storage_->Ping();
  checks.push_back({"database", db.ok(), db.ok() ? "ok" : "unreachable"});
  return checks;
}

}  // namespace clash
