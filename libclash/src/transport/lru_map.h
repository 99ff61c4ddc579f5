// A string-keyed map with least-recently-used order, for the in-process limiter shards.
// Not synchronised: the caller holds the shard's mutex.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace clash::internal {

template <typename V>
class LruMap {
 public:
  explicit LruMap(std::size_t max_size) : max_size_(max_size < 1 ? 1 : max_size) {}

  // The value for `key` (default-constructed if new), now the most recently used.
  V& Touch(std::string_view key) {
    auto it = index_.find(key);
    if (it != index_.end()) {
      items_.splice(items_.begin(), items_, it->second);
      return it->second->second;
    }
    items_.emplace_front(std::string(key), V{});
    index_.emplace(std::string_view(items_.front().first), items_.begin());
    return items_.front().second;
  }

  // Drops the least recently used entries while over max_size, then up to `idle_checks` more from
  // the old end while `is_idle(value)` holds. Never drops the most recently used entry.
  template <typename IsIdle>
  void Trim(IsIdle is_idle, int idle_checks = 2) {
    while (items_.size() > max_size_) PopBack();
    for (int i = 0; i < idle_checks && items_.size() > 1 && is_idle(items_.back().second); ++i) PopBack();
  }

  std::size_t size() const { return items_.size(); }

 private:
  void PopBack() {
    index_.erase(std::string_view(items_.back().first));
    items_.pop_back();
  }

  std::size_t max_size_;
  std::list<std::pair<std::string, V>> items_;
  std::unordered_map<std::string_view, typename std::list<std::pair<std::string, V>>::iterator> index_;
};

}  // namespace clash::internal
