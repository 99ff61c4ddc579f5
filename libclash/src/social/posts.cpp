// Posts: create with a checked image, list, edit, delete, like toggle. See clash/social.h.
#include <algorithm>
#include <string>

#include "clash/social.h"
#include "clash/storage.h"

namespace clash {
namespace {

const Status kNotOwner = Status::PermissionDenied("You do not have permission to perform this action.");

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

Status CheckCaption(std::string_view caption) {
  if (CodePoints(caption) > kMaxCaptionChars) return Status::InvalidArgument("Caption is at most 2200 characters.");
  return Status::Ok();
}

// A UTF-8-safe prefix of at most n code points.
std::string Prefix(std::string_view s, std::size_t n) {
  std::size_t i = 0, seen = 0;
  while (i < s.size()) {
    if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80) {
      if (seen == n) break;
      ++seen;
    }
    ++i;
  }
  return std::string(s.substr(0, i));
}

}  // namespace

Result<Post> Social::CreatePost(const User& actor, const std::optional<Upload>& image, std::string_view caption) {
  if (!image || image->bytes.empty()) return Status::InvalidArgument("An image is required.");
  CLASH_RETURN_IF_ERROR(CheckCaption(caption));
  CLASH_ASSIGN_OR_RETURN(auto stored, StoreImage(*image, "posts"));
  Post out;
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::int64_t id, tx.posts().Create(actor.id, stored.second, caption, clock_.Now()));
    CLASH_ASSIGN_OR_RETURN(out, tx.posts().Get(id, actor.id));
    return Status::Ok();
  });
  if (!s.ok()) {
    (void)media_.Delete(stored.first);
    return s;
  }
  return out;
}

Result<PostPage> Social::ListPosts(std::optional<std::string_view> username, std::optional<std::int64_t> viewer_id,
                                   int page, int page_size) {
  PostPage out;
  out.page = std::max(1, page);
  out.page_size = std::clamp(page_size, 1, 100);
  Status s = storage_.Read([&](StorageTransaction& tx) -> Status {
    std::optional<std::int64_t> user_id;
    if (username) {
      Result<User> user = tx.users().GetByUsername(*username);
      if (!user.ok() || !user->is_active) {
        return user.ok() || user.status().code() == StatusCode::kNotFound ? Status::NotFound("User not found")
                                                                          : user.status();
      }
      user_id = user->id;
    }
    CLASH_ASSIGN_OR_RETURN(out.count, tx.posts().Count(user_id));
    const std::int64_t offset = static_cast<std::int64_t>(out.page - 1) * out.page_size;
    if (offset < out.count) {
      CLASH_ASSIGN_OR_RETURN(out.results, tx.posts().List(user_id, viewer_id, offset, out.page_size));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  out.total_pages = static_cast<int>((out.count + out.page_size - 1) / out.page_size);
  return out;
}

Result<Post> Social::GetPost(std::int64_t id, std::optional<std::int64_t> viewer_id) {
  Post out;
  Status s = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.posts().Get(id, viewer_id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Post> Social::EditPost(const User& actor, std::int64_t id, std::string_view caption) {
  CLASH_RETURN_IF_ERROR(CheckCaption(caption));
  Post out;
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(Post post, tx.posts().Get(id, actor.id));
    if (post.user.id != actor.id) return kNotOwner;
    CLASH_RETURN_IF_ERROR(tx.posts().UpdateCaption(id, caption, clock_.Now()));
    CLASH_ASSIGN_OR_RETURN(out, tx.posts().Get(id, actor.id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status Social::DeletePost(const User& actor, std::int64_t id) {
  return storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(Post post, tx.posts().Get(id, actor.id));
    if (post.user.id != actor.id) return kNotOwner;
    CLASH_RETURN_IF_ERROR(tx.posts().Delete(id));
    tx.OnCommit([this, key = media_.KeyOf(post.image_url)] {
      if (!key.empty()) (void)media_.Delete(key);
    });
    return Status::Ok();
  });
}

Result<LikeOutcome> Social::ToggleLike(const User& actor, std::int64_t id) {
  LikeOutcome out;
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(Post post, tx.posts().Get(id, actor.id));
    CLASH_ASSIGN_OR_RETURN(bool created, tx.posts().Like(id, actor.id, clock_.Now()));
    if (created && post.user.id != actor.id) {
      std::string body = actor.username + " liked your post";
      if (!post.caption.empty()) body += ": " + Prefix(post.caption, 30) + "...";
      CLASH_RETURN_IF_ERROR(notifications_.Notify(
          tx, NewNotification{.recipient_id = post.user.id,
                              .actor_id = actor.id,
                              .verb = "liked your post",
                              .target_type = "post",
                              .target_id = id,
                              .target_preview = post.image_url,
                              .title = "New Like!",
                              .body = std::move(body),
                              .data = {{"kind", "like"}, {"actor", actor.username}, {"post_id", std::to_string(id)}}}));
    }
    if (!created) CLASH_RETURN_IF_ERROR(tx.posts().Unlike(id, actor.id));
    CLASH_ASSIGN_OR_RETURN(Post after, tx.posts().Get(id, actor.id));
    out = LikeOutcome{.is_liked = after.is_liked, .likes_count = after.likes_count};
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace clash
