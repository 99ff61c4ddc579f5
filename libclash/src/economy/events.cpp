// Domain events: handlers run in the publisher's transaction, in subscription order.
#include "clash/events.h"

#include <mutex>
#include <utility>
#include <vector>

#include "clash/storage.h"

namespace clash {

Events::Events(Storage& storage, Clock& clock) : storage_(storage), clock_(clock) {}

void Events::Subscribe(EventHandler handler) {
  std::unique_lock lock(mu_);
  handlers_.push_back(std::move(handler));
}

Status Events::Publish(StorageTransaction& tx, const Event& event) {
  // A copy taken under the shared lock: handlers then run unlocked, so one may publish in turn.
  std::vector<EventHandler> handlers;
  {
    std::shared_lock lock(mu_);
    handlers = handlers_;
  }
  const Timestamp now = clock_.Now();
  for (const EventHandler& handler : handlers) {
    CLASH_RETURN_IF_ERROR(handler(tx, event, now));
  }
  return Status::Ok();
}

Status Events::PublishNow(const Event& event) {
  return storage_.Transact([&](StorageTransaction& tx) -> Status { return Publish(tx, event); });
}

}  // namespace clash
