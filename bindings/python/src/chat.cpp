// Engine.chat: post and read chat messages and follow a room from Python (bots, moderation
// scripts). Messages come back as dicts in the wire form of docs/api.md (Chat); a ChatWatch queues
// every frame of its room (history first) for get(), so no Python code runs on the chat's threads.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include <pybind11/stl.h>

#include "bindings.h"
#include "clash/engine.h"
#include "engine_handle.h"
#include "exceptions.h"

namespace py = pybind11;

namespace clash::python {
namespace {

using Id = std::int64_t;
struct ChatTag {};
using ChatFacet = Facet<ChatTag>;

py::object Loads(const std::string& text) { return py::module_::import("json").attr("loads")(text); }

py::dict MessageDict(const ChatMessage& m) {
  py::dict d;
  d["id"] = m.id;
  d["seq"] = m.seq;
  d["room"] = m.room;
  d["message"] = m.text;
  d["user_id"] = m.user_id;
  d["username"] = m.username;
  d["avatar_url"] = m.avatar_url.empty() ? py::object(py::none()) : py::object(py::str(m.avatar_url));
  d["timestamp"] = ChatTimestamp(m.created_at);
  py::dict reactions;
  for (const auto& [emoji, users] : m.reactions) reactions[py::str(emoji)] = users;
  d["reactions"] = reactions;
  d["edited"] = m.edited_at.has_value();
  return d;
}

// Frames of a watched room, waiting for Python.
class QueuePeer final : public ChatPeer {
 public:
  bool Send(const ChatFramePtr& frame) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_ || frames_.size() >= 10'000) return false;  // a watcher that stopped reading loses frames
    frames_.push_back(frame->json());
    cv_.notify_all();
    return true;
  }
  void Close(int, std::string_view) override {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }
  std::optional<std::string> Get(double timeout_s) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] { return !frames_.empty() || closed_; });
    if (frames_.empty()) return std::nullopt;
    std::string out = std::move(frames_.front());
    frames_.pop_front();
    return out;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> frames_;
  bool closed_ = false;
};

struct ChatWatch {
  Handle engine;
  std::shared_ptr<QueuePeer> peer;
  std::shared_ptr<ChatConnection> conn;
  void Close() {
    if (conn) {
      WithoutGil([&] { conn->Closed(); });
      conn.reset();
    }
  }
};

}  // namespace

void RegisterChat(py::module_& m) {
  py::class_<ChatWatch>(m, "ChatWatch", "Every frame of a chat room (Chat.watch): history first, then live frames.")
      .def(
          "get",
          [](ChatWatch& w, double timeout) -> py::object {
            std::optional<std::string> f = WithoutGil([&] { return w.peer->Get(timeout); });
            if (!f) return py::none();
            return Loads(*f);
          },
          py::arg("timeout") = 10.0, "The next frame as a dict, or None after `timeout` seconds without one.")
      .def("close", &ChatWatch::Close, "Stops watching.")
      .def("__enter__", [](ChatWatch& w) -> ChatWatch& { return w; }, py::return_value_policy::reference)
      .def("__exit__", [](ChatWatch& w, const py::args&) { w.Close(); });

  py::class_<ChatFacet>(m, "Chat", "Chat rooms (docs/chat.md); get it from Engine.chat.")
      .def(
          "post",
          [](ChatFacet& f, Id user_id, const std::string& text, const std::string& room) {
            ChatMessage msg = Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, user_id, [&](const User& u) { return e.chat().Post(u, room, text); });
            }));
            return MessageDict(msg);
          },
          py::arg("user_id"), py::arg("text"), py::arg("room") = "global",
          "Posts as `user_id` (stored, then sent to every socket of the room); the message as a dict. "
          "InvalidArgumentError for empty or > 1000 characters, FailedPreconditionError while muted.")
      .def(
          "delete",
          [](ChatFacet& f, Id actor_id, Id message_id, const std::string& room) {
            Check(f.Call([&](Engine& e) {
              return WithUser(e, actor_id, [&](const User& u) { return e.chat().Delete(u, room, message_id); });
            }));
          },
          py::arg("actor_id"), py::arg("message_id"), py::arg("room") = "global",
          "Deletes a message (its author, or staff). PermissionDeniedError, NotFoundError.")
      .def(
          "mute",
          [](ChatFacet& f, Id actor_id, Id user_id, int seconds) {
            Timestamp until = Unwrap(f.Call([&](Engine& e) {
              return WithUser(e, actor_id, [&](const User& u) {
                return e.chat().Mute(u, user_id, std::chrono::seconds(seconds));
              });
            }));
            return ChatTimestamp(until);
          },
          py::arg("actor_id"), py::arg("user_id"), py::arg("seconds"),
          "Staff: `user_id` cannot post for `seconds` (1 s - 30 days); returns the end as ISO text.")
      .def(
          "history",
          [](ChatFacet& f, std::optional<Id> before, int limit, const std::string& room) {
            ChatHistoryPage page = Unwrap(f.Call([&](Engine& e) {
              return e.chat().History(room, ChatHistoryQuery{before, limit});
            }));
            py::list out;
            for (const ChatMessage& msg : page.messages) out.append(MessageDict(msg));
            return out;
          },
          py::arg("before") = py::none(), py::arg("limit") = 50, py::arg("room") = "global",
          "Messages with seq < before (None: the newest), oldest first, at most `limit` (1-100).")
      .def(
          "online",
          [](ChatFacet& f, const std::string& room) {
            ChatPresence p = Unwrap(f.Call([&](Engine& e) { return e.chat().Online(room); }));
            return p.count;
          },
          py::arg("room") = "global", "Distinct users online in the room, on every host.")
      .def(
          "watch",
          [](ChatFacet& f, const std::string& room) {
            ChatWatch w{f.engine, std::make_shared<QueuePeer>(), nullptr};
            w.conn = Unwrap(f.Call([&](Engine& e) { return e.chat().Watch(room, w.peer); }));
            return w;
          },
          py::arg("room") = "global",
          "A ChatWatch: the room's history frame, then every live frame (chat_message, chat_edit, ...).");
}

void AddChatAccessor(EngineClass& engine) {
  engine.def_property_readonly(
      "chat", [](const Handle& h) { return ChatFacet{h}; }, "Chat rooms (Chat).");
}

}  // namespace clash::python
