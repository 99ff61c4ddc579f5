// Room (chat/room.h): members, in-order delivery with gap filling, the snapshot cache, typing and
// presence. Frames go to peers under the room's mutex; ChatPeer::Send never blocks.
#include "chat/room.h"

#include <algorithm>
#include <utility>

#include "chat/frames.h"

namespace clash::internal {

Room::Room(std::string name, const ChatOptions& options, Hooks hooks)
    : name_(std::move(name)), options_(options), hooks_(std::move(hooks)) {}

void Room::AddJoining(const std::shared_ptr<Member>& m) {
  std::lock_guard<std::mutex> lock(mu_);
  m->phase_ = Member::Phase::kJoining;
  m->slot_ = members_.size();
  members_.push_back(m);
}

void Room::GoLive(const std::shared_ptr<Member>& m, const std::vector<ChatFramePtr>& first, std::int64_t min_seq) {
  std::uint64_t sent = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (m->phase_ != Member::Phase::kJoining) return;
    for (const ChatFramePtr& f : first) sent += m->peer->Send(f) ? 1 : 0;
    for (const ChatFramePtr& f : m->held_) {
      if (f->seq() > min_seq) sent += m->peer->Send(f) ? 1 : 0;
    }
    m->held_.clear();
    m->held_.shrink_to_fit();
    m->min_seq_ = min_seq;
    m->phase_ = Member::Phase::kLive;
  }
  if (hooks_.count_sent) hooks_.count_sent(sent);
  if (m->watcher) return;
  std::lock_guard<std::mutex> lock(presence_mu_);
  LocalUser& u = local_[m->user_id];
  u.user = ChatUser{m->user_id, m->username, m->avatar_url};
  if (++u.sockets == 1) {
    local_dirty_ = true;
    global_dirty_ = true;
  }
}

void Room::Remove(Member& m) {
  bool was_live = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (m.phase_ == Member::Phase::kGone) return;
    was_live = m.phase_ == Member::Phase::kLive;
    m.phase_ = Member::Phase::kGone;
    const std::size_t slot = m.slot_;
    if (slot < members_.size() && members_[slot].get() == &m) {
      if (slot + 1 != members_.size()) {
        members_[slot] = std::move(members_.back());
        members_[slot]->slot_ = slot;
      }
      members_.pop_back();
    }
    m.held_.clear();
  }
  if (!was_live || m.watcher) return;
  std::lock_guard<std::mutex> lock(presence_mu_);
  auto it = local_.find(m.user_id);
  if (it != local_.end() && --it->second.sockets <= 0) {
    local_.erase(it);
    local_dirty_ = true;
    global_dirty_ = true;
  }
  typing_.erase(m.user_id);
}

std::size_t Room::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return members_.size();
}

void Room::ForEach(const std::function<void(Member&)>& f) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& m : members_) f(*m);
}

void Room::SetDelivered(std::int64_t seq) {
  std::lock_guard<std::mutex> lock(mu_);
  delivered_ = std::max(delivered_, seq);
}

std::int64_t Room::delivered() {
  std::lock_guard<std::mutex> lock(mu_);
  return delivered_;
}

void Room::FanoutLocked(const ChatFramePtr& frame, std::int64_t except_user) {
  std::uint64_t sent = 0;
  const std::int64_t seq = frame->seq();
  for (const auto& m : members_) {
    if (except_user != 0 && m->user_id == except_user) continue;
    if (m->phase_ == Member::Phase::kJoining) {
      if (seq > 0) m->held_.push_back(frame);  // typing and presence are not worth holding
      continue;
    }
    if (m->phase_ != Member::Phase::kLive) continue;
    if (seq > 0 && seq <= m->min_seq_) continue;
    sent += m->peer->Send(frame) ? 1 : 0;
  }
  if (hooks_.count_sent) hooks_.count_sent(sent);
}

void Room::FillGapLocked(std::int64_t up_to) {
  while (delivered_ < up_to) {
    const int want = static_cast<int>(std::min<std::int64_t>(up_to - delivered_, 500));
    Result<std::vector<ChatEventRecord>> events = hooks_.read_events(delivered_, want);
    bool progressed = false;
    if (events.ok()) {
      for (const ChatEventRecord& e : *events) {
        if (e.seq != delivered_ + 1 || e.seq > up_to) break;
        FanoutLocked(std::make_shared<const ChatFrame>(e.frame, e.seq));
        delivered_ = e.seq;
        progressed = true;
        if (hooks_.count_gap) hooks_.count_gap();
      }
    }
    if (!progressed) {
      // Pruned from the log or unreadable: these events cannot be replayed; live members skip them
      // (a reconnect gets the current history).
      delivered_ = up_to;
      snapshot_.reset();
      return;
    }
  }
}

void Room::Deliver(std::int64_t seq, const ChatFramePtr& frame) {
  std::lock_guard<std::mutex> lock(mu_);
  if (delivered_ < 0) delivered_ = seq - 1;
  if (seq <= delivered_) {
    if (hooks_.count_duplicate) hooks_.count_duplicate();
    return;
  }
  if (seq > delivered_ + 1) FillGapLocked(seq - 1);
  FanoutLocked(frame);
  delivered_ = seq;
}

void Room::CatchUp() {
  std::lock_guard<std::mutex> lock(mu_);
  if (delivered_ < 0) return;
  for (;;) {
    Result<std::vector<ChatEventRecord>> events = hooks_.read_events(delivered_, 500);
    if (!events.ok() || events->empty()) return;
    for (const ChatEventRecord& e : *events) {
      if (e.seq <= delivered_) continue;
      FanoutLocked(std::make_shared<const ChatFrame>(e.frame, e.seq));
      delivered_ = e.seq;
      if (hooks_.count_gap) hooks_.count_gap();
    }
    if (events->size() < 500) return;
  }
}

void Room::Broadcast(const ChatFramePtr& frame, std::int64_t except_user) {
  std::lock_guard<std::mutex> lock(mu_);
  FanoutLocked(frame, except_user);
}

std::optional<RoomSnapshot> Room::CachedSnapshot() {
  std::lock_guard<std::mutex> lock(mu_);
  if (snapshot_ && snapshot_->seq >= delivered_) return snapshot_;
  return std::nullopt;
}

void Room::StoreSnapshot(const RoomSnapshot& s) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!snapshot_ || s.seq >= snapshot_->seq) snapshot_ = s;
}

bool Room::Typing(const ChatUser& who, Timestamp now) {
  std::lock_guard<std::mutex> lock(presence_mu_);
  const auto ttl = std::chrono::duration_cast<std::chrono::microseconds>(options_.typing_ttl);
  auto [it, fresh] = typing_.try_emplace(who.user_id);
  TypingState& t = it->second;
  const bool show = fresh || t.until <= now || now - t.sent >= ttl / 2;
  t.user = who;
  t.until = now + ttl;
  if (show) t.sent = now;
  return show;
}

void Room::StopTyping(std::int64_t user_id) {
  std::lock_guard<std::mutex> lock(presence_mu_);
  typing_.erase(user_id);
}

std::vector<ChatUser> Room::Typers(Timestamp now) {
  std::lock_guard<std::mutex> lock(presence_mu_);
  std::vector<ChatUser> out;
  for (auto it = typing_.begin(); it != typing_.end();) {
    if (it->second.until <= now) {
      it = typing_.erase(it);
    } else {
      out.push_back(it->second.user);
      ++it;
    }
  }
  std::sort(out.begin(), out.end(), [](const ChatUser& a, const ChatUser& b) { return a.user_id < b.user_id; });
  return out;
}

void Room::RemotePresence(const std::string& host, std::vector<ChatUser> users, Timestamp now) {
  std::lock_guard<std::mutex> lock(presence_mu_);
  RemoteHost& h = remote_[host];
  h.users.clear();
  for (ChatUser& u : users) h.users[u.user_id] = std::move(u);
  h.heard = now;
  global_dirty_ = true;
}

void Room::RemoteHostGone(const std::string& host) {
  std::lock_guard<std::mutex> lock(presence_mu_);
  if (remote_.erase(host) > 0) global_dirty_ = true;
}

void Room::RequestAnnounce() {
  std::lock_guard<std::mutex> lock(presence_mu_);
  announce_requested_ = true;
}

std::unordered_map<std::int64_t, ChatUser> Room::UnionLocked() const {
  std::unordered_map<std::int64_t, ChatUser> all;
  for (const auto& [id, u] : local_) all.emplace(id, u.user);
  for (const auto& [host, h] : remote_) {
    for (const auto& [id, u] : h.users) all.emplace(id, u);
  }
  return all;
}

void Room::PresenceTick(Timestamp now) {
  std::optional<std::string> announcement;
  ChatFramePtr frame;
  {
    std::lock_guard<std::mutex> lock(presence_mu_);
    const auto heartbeat = std::chrono::duration_cast<std::chrono::microseconds>(options_.presence_heartbeat);
    const auto interval = std::chrono::duration_cast<std::chrono::microseconds>(options_.presence_interval);
    if (local_dirty_ || announce_requested_ || now - last_announce_ >= heartbeat) {
      std::vector<ChatUser> mine;
      mine.reserve(local_.size());
      for (const auto& [id, u] : local_) mine.push_back(u.user);
      announcement = UsersJson(mine);
      last_announce_ = now;
      local_dirty_ = false;
      announce_requested_ = false;
    }
    for (auto it = remote_.begin(); it != remote_.end();) {
      if (now - it->second.heard > heartbeat * 3) {
        it = remote_.erase(it);
        global_dirty_ = true;
      } else {
        ++it;
      }
    }
    if (global_dirty_ && now - last_update_ >= interval) {
      global_dirty_ = false;
      std::unordered_map<std::int64_t, ChatUser> all = UnionLocked();
      std::vector<ChatUser> joined, left;
      for (const auto& [id, u] : all) {
        if (!shown_.contains(id)) joined.push_back(u);
      }
      for (const auto& [id, u] : shown_) {
        if (!all.contains(id)) left.push_back(u);
      }
      if (!joined.empty() || !left.empty()) {
        auto by_id = [](const ChatUser& a, const ChatUser& b) { return a.user_id < b.user_id; };
        std::sort(joined.begin(), joined.end(), by_id);
        std::sort(left.begin(), left.end(), by_id);
        const bool join = !joined.empty();
        const ChatUser& who = join ? joined.front() : left.front();
        frame = std::make_shared<const ChatFrame>(
            PresenceFrame(name_, join, who, static_cast<std::int64_t>(all.size()), now, joined, left));
        shown_ = std::move(all);
        last_update_ = now;
      }
    }
  }
  if (announcement && hooks_.announce) hooks_.announce(*announcement);
  if (frame) Broadcast(frame);
}

ChatPresence Room::Online(int limit) {
  std::vector<ChatUser> users;
  {
    std::lock_guard<std::mutex> lock(presence_mu_);
    for (auto& [id, u] : UnionLocked()) users.push_back(std::move(u));
  }
  std::sort(users.begin(), users.end(), [](const ChatUser& a, const ChatUser& b) { return a.user_id < b.user_id; });
  ChatPresence out;
  out.room = name_;
  out.count = static_cast<std::int64_t>(users.size());
  if (limit >= 0 && users.size() > static_cast<std::size_t>(limit)) users.resize(static_cast<std::size_t>(limit));
  out.users = std::move(users);
  return out;
}

std::pair<std::int64_t, std::vector<ChatUser>> Room::Shown(int limit, const ChatUser* plus) {
  std::lock_guard<std::mutex> lock(presence_mu_);
  std::vector<ChatUser> users;
  users.reserve(std::min<std::size_t>(shown_.size() + 1, static_cast<std::size_t>(limit)));
  std::int64_t count = static_cast<std::int64_t>(shown_.size());
  if (plus && !shown_.contains(plus->user_id)) {
    ++count;
    users.push_back(*plus);
  }
  for (const auto& [id, u] : shown_) {
    if (users.size() >= static_cast<std::size_t>(limit)) break;
    if (plus && id == plus->user_id && !users.empty() && users.front().user_id == id) continue;
    users.push_back(u);
  }
  std::sort(users.begin(), users.end(), [](const ChatUser& a, const ChatUser& b) { return a.user_id < b.user_id; });
  return {count, std::move(users)};
}

std::int64_t Room::online_count() {
  std::lock_guard<std::mutex> lock(presence_mu_);
  return static_cast<std::int64_t>(UnionLocked().size());
}

}  // namespace clash::internal
