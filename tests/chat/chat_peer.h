// A ChatPeer for tests: records every frame (parsed) and the close code, and waits for them on a
// condition with a generous deadline (never on time passing).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clash/chat.h"

namespace clash::testing {

class RecordingPeer final : public ChatPeer {
 public:
  using json = nlohmann::json;
  bool Send(const ChatFramePtr& frame) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (close_code_ != 0) return false;
    frames_.push_back(json::parse(frame->json()));
    cv_.notify_all();
    return true;
  }
  void Close(int code, std::string_view reason) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (close_code_ == 0) {
      close_code_ = code;
      close_reason_ = std::string(reason);
    }
    cv_.notify_all();
  }
  // The first frame (in arrival order) of `type` matching `pred`, waiting up to 30 s for it.
  std::optional<json> WaitFor(const std::string& type, const std::function<bool(const json&)>& pred = nullptr) {
    std::unique_lock<std::mutex> lock(mu_);
    std::optional<json> found;
    cv_.wait_for(lock, std::chrono::seconds(30), [&] {
      for (const json& f : frames_) {
        if (f.value("type", "") == type && (!pred || pred(f))) {
          found = f;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  int WaitClosed() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(30), [&] { return close_code_ != 0; });
    return close_code_;
  }
  std::vector<json> OfType(const std::string& type) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<json> out;
    for (const json& f : frames_) {
      if (f.value("type", "") == type) out.push_back(f);
    }
    return out;
  }
  std::vector<std::string> Types() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> out;
    for (const json& f : frames_) out.push_back(f.value("type", ""));
    return out;
  }
  int close_code() const {
    std::lock_guard<std::mutex> lock(mu_);
    return close_code_;
  }
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    frames_.clear();
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json> frames_;
  int close_code_ = 0;
  std::string close_reason_;
};

}  // namespace clash::testing
