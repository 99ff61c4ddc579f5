// Profile updates (username rules with confusables, bio, avatar and banner uploads) and posts
// (create with a checked image, paged lists with likes, owner edit and delete, the like toggle
// under double clicks, like notifications) on every backend.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>

#include "clash/social.h"
#include "support/engine_fixture.h"
#include "support/test_images.h"

namespace clash {
namespace {

using ::clash::testing::BackendParamName;
using ::clash::testing::EngineTest;
using ::clash::testing::IsOk;
using ::clash::testing::MakeGif;
using ::clash::testing::MakePng;
using ::clash::testing::PngChunk;
using ::clash::testing::StatusIs;

class PostsTest : public EngineTest {
 protected:
  std::filesystem::path media_dir() const { return dir_.path() / "media"; }
  bool HasMedia(const std::string& url) {
    return url.starts_with("/media/") && std::filesystem::exists(media_dir() / url.substr(7));
  }
  std::size_t MediaFiles() {
    std::size_t n = 0;
    if (!std::filesystem::exists(media_dir())) return 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(media_dir())) n += e.is_regular_file();
    return n;
  }
  std::vector<std::string> Verbs(const User& u) {
    std::vector<std::string> out;
    auto page = engine().notifications().List(u.id, {});
    EXPECT_THAT(page, IsOk());
    for (const Notification& n : page.value_or(NotificationPage{}).results) {
      out.push_back((n.actor ? n.actor->username : "-") + " " + n.verb);
    }
    return out;
  }
  Upload Png() { return Upload{.bytes = MakePng(4, 4), .declared_type = "image/png"}; }
};

TEST_P(PostsTest, UsernameRulesFoldConfusablesAndCase) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  auto update = [&](const std::string& name) { return engine().social().UpdateProfile(bob, {.username = name}); };
  EXPECT_THAT(update("ADA"), StatusIs(StatusCode::kInvalidArgument, "Username is already taken."));
  // Full-width letters fold to ASCII (as NFKC) and then collide with "ada".
  EXPECT_THAT(update("\xef\xbd\x81\xef\xbd\x84\xef\xbd\x81"), StatusIs(StatusCode::kInvalidArgument, "Username is already taken."));
  // A Cyrillic "а" that looks like "a" is not allowed at all.
  EXPECT_THAT(update("\xd0\xb0" "da"), StatusIs(StatusCode::kInvalidArgument,
                                              "Username can only contain letters, numbers, and @/./+/-/_ characters."));
  EXPECT_THAT(update("   "), StatusIs(StatusCode::kInvalidArgument, "Username cannot be empty."));
  EXPECT_THAT(update("bad name"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(update(std::string(151, 'x')), StatusIs(StatusCode::kInvalidArgument));
  auto renamed = update(" \xef\xbc\xa2obby.b+1 ");
  ASSERT_THAT(renamed, IsOk());
  EXPECT_EQ(renamed->username, "Bobby.b+1");
  EXPECT_EQ(engine().auth().GetUser(bob.id)->username, "Bobby.b+1");
  // Changing only the case of one's own name is allowed.
  EXPECT_THAT(engine().social().UpdateProfile(ada, {.username = "Ada"}), IsOk());
}

TEST_P(PostsTest, StorageRefusesUsernamesDifferingOnlyInCase) {
  // The unique index on the folded username (migration 14), below every check of the library.
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  Status s = storage().Transact([&](StorageTransaction& tx) -> Status {
    User renamed = bob;
    renamed.username = "ADA";
    return tx.users().Update(renamed);
  });
  EXPECT_THAT(s, StatusIs(StatusCode::kAlreadyExists));
  Status created = storage().Transact([&](StorageTransaction& tx) -> Status {
    NewUser nu;
    nu.username = "Ada";
    nu.email = "other-ada@example.com";
    nu.created_at = Timestamp::FromUnixSeconds(1'700'000'000);
    return tx.users().Create(nu).status();
  });
  EXPECT_THAT(created, StatusIs(StatusCode::kAlreadyExists));
  EXPECT_EQ(engine().auth().GetUser(bob.id)->username, "bob");
  EXPECT_EQ(engine().auth().GetUser(ada.id)->username, "ada");
}

TEST_P(PostsTest, ConcurrentRenamesToOneNameInTwoCasesGiveItToOne) {
  for (int round = 0; round < 5; ++round) {
    User a = CreateUser("left" + std::to_string(round));
    User b = CreateUser("right" + std::to_string(round));
    const std::string name = "twin" + std::to_string(round);
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::promise<void> go;
    std::shared_future<void> start = go.get_future().share();
    auto rename = [&](const User& who, const std::string& to) {
      start.wait();
      return engine().social().UpdateProfile(who, {.username = to});
    };
    auto fa = std::async(std::launch::async, rename, std::cref(a), name);
    auto fb = std::async(std::launch::async, rename, std::cref(b), upper);
    go.set_value();
    Result<User> ra = fa.get();
    Result<User> rb = fb.get();
    // Exactly one wins; the other gets the rule's message, whichever check caught it.
    ASSERT_NE(ra.ok(), rb.ok()) << "round " << round;
    const Result<User>& loser = ra.ok() ? rb : ra;
    EXPECT_THAT(loser, StatusIs(StatusCode::kInvalidArgument, "Username is already taken."));
    std::string name_a = engine().auth().GetUser(a.id)->username;
    std::string name_b = engine().auth().GetUser(b.id)->username;
    EXPECT_EQ(ra.ok() ? name_a : name_b, ra.ok() ? name : upper);
    EXPECT_EQ(ra.ok() ? name_b : name_a, ra.ok() ? b.username : a.username);  // unchanged
  }
}

TEST_P(PostsTest, BioNamesAndUploadsUpdateTogetherOrNotAtAll) {
  User ada = CreateUser("ada");
  EXPECT_THAT(engine().social().UpdateProfile(ada, {.bio = std::string(501, 'b')}),
              StatusIs(StatusCode::kInvalidArgument, "Bio is at most 500 characters."));
  // 500 characters of two-byte letters are fine: the limit counts characters.
  std::string bio;
  for (int i = 0; i < 500; ++i) bio += "\xc3\xa9";
  auto ok = engine().social().UpdateProfile(
      ada, {.first_name = " Ada ", .bio = bio, .avatar = Png(), .banner = Upload{.bytes = MakeGif(8, 2)}});
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->first_name, "Ada");
  EXPECT_EQ(ok->profile.bio, bio);
  EXPECT_TRUE(ok->profile.avatar_url.starts_with("/media/avatars/")) << ok->profile.avatar_url;
  EXPECT_TRUE(ok->profile.avatar_url.ends_with(".png"));
  EXPECT_TRUE(ok->profile.banner_url.starts_with("/media/banners/"));
  EXPECT_TRUE(ok->profile.banner_url.ends_with(".gif"));
  EXPECT_TRUE(HasMedia(ok->profile.avatar_url));
  EXPECT_EQ(MediaFiles(), 2u);
  const std::string first_avatar = ok->profile.avatar_url;

  // A bad banner refuses the whole update: the new avatar is not kept, nothing changes.
  auto bad = engine().social().UpdateProfile(
      *ok, {.bio = "changed", .avatar = Png(), .banner = Upload{.bytes = "<html>not an image</html>"}});
  EXPECT_THAT(bad, StatusIs(StatusCode::kInvalidArgument, "Upload a PNG, JPEG, WebP or GIF image."));
  EXPECT_EQ(engine().auth().GetUser(ada.id)->profile.bio, bio);
  EXPECT_EQ(MediaFiles(), 2u);
  // A declared type that does not fit the content is refused.
  EXPECT_THAT(engine().social().UpdateProfile(*ok, {.avatar = Upload{.bytes = MakePng(2, 2), .declared_type = "image/gif"}}),
              StatusIs(StatusCode::kInvalidArgument, "The file's Content-Type does not match its content."));
  EXPECT_EQ(MediaFiles(), 2u);

  // A new avatar replaces the old file.
  auto replaced = engine().social().UpdateProfile(*ok, {.avatar = Png()});
  ASSERT_THAT(replaced, IsOk());
  EXPECT_NE(replaced->profile.avatar_url, first_avatar);
  EXPECT_FALSE(HasMedia(first_avatar));
  EXPECT_TRUE(HasMedia(replaced->profile.avatar_url));
  EXPECT_EQ(MediaFiles(), 2u);
  // The stored avatar is the cleaned image.
  auto meta = engine().social().UpdateProfile(
      *ok, {.avatar = Upload{.bytes = MakePng(4, 4, PngChunk("tEXt", std::string("GPS\0" "51.5N", 9)))}});
  ASSERT_THAT(meta, IsOk());
  std::ifstream in(media_dir() / meta->profile.avatar_url.substr(7), std::ios::binary);
  std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(stored, MakePng(4, 4));
}

TEST_P(PostsTest, CreateListLikeAndDelete) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  EXPECT_THAT(engine().social().CreatePost(ada, std::nullopt, "no image"),
              StatusIs(StatusCode::kInvalidArgument, "An image is required."));
  EXPECT_THAT(engine().social().CreatePost(ada, Upload{.bytes = "GIF89a broken"}, "x"),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(engine().social().CreatePost(ada, Png(), std::string(2201, 'c')), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(MediaFiles(), 0u);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(std::chrono::seconds(1));
    auto post = engine().social().CreatePost(ada, Png(), "post " + std::to_string(i));
    ASSERT_THAT(post, IsOk());
    EXPECT_EQ(post->user.username, "ada");
    EXPECT_TRUE(HasMedia(post->image_url));
    ids.push_back(post->id);
  }
  auto like = engine().social().ToggleLike(bob, ids[1]);
  ASSERT_THAT(like, IsOk());
  EXPECT_TRUE(like->is_liked);
  EXPECT_EQ(like->likes_count, 1);
  EXPECT_THAT(Verbs(ada), ::testing::ElementsAre("bob liked your post"));
  ASSERT_THAT(engine().social().ToggleLike(ada, ids[1]), IsOk());  // own post: no notification
  EXPECT_EQ(Verbs(ada).size(), 1u);
  EXPECT_EQ(engine().notifications().List(ada.id, {})->results[0].target_preview,
            engine().social().GetPost(ids[1], std::nullopt)->image_url);

  auto page = engine().social().ListPosts("ada", bob.id, 1, 2);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->count, 3);
  EXPECT_EQ(page->total_pages, 2);
  ASSERT_EQ(page->results.size(), 2u);
  EXPECT_EQ(page->results[0].id, ids[2]);  // newest first
  EXPECT_EQ(page->results[1].id, ids[1]);
  EXPECT_EQ(page->results[1].likes_count, 2);
  EXPECT_TRUE(page->results[1].is_liked);
  EXPECT_FALSE(page->results[0].is_liked);
  EXPECT_EQ(engine().social().ListPosts("ada", bob.id, 2, 2)->results.size(), 1u);
  EXPECT_TRUE(engine().social().ListPosts("ada", bob.id, 3, 2)->results.empty());  // past the end
  EXPECT_FALSE(engine().social().ListPosts(std::nullopt, std::nullopt, 1, 50)->results[1].is_liked);
  EXPECT_THAT(engine().social().ListPosts("nobody", std::nullopt, 1, 50), StatusIs(StatusCode::kNotFound));

  EXPECT_THAT(engine().social().EditPost(bob, ids[0], "mine now"), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(engine().social().DeletePost(bob, ids[0]), StatusIs(StatusCode::kPermissionDenied));
  auto edited = engine().social().EditPost(ada, ids[0], "edited");
  ASSERT_THAT(edited, IsOk());
  EXPECT_EQ(edited->caption, "edited");
  const std::string image = engine().social().GetPost(ids[1], std::nullopt)->image_url;
  ASSERT_THAT(engine().social().DeletePost(ada, ids[1]), IsOk());
  EXPECT_FALSE(HasMedia(image));
  EXPECT_THAT(engine().social().GetPost(ids[1], std::nullopt), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(engine().social().ToggleLike(bob, ids[1]), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(engine().social().DeletePost(ada, ids[1]), StatusIs(StatusCode::kNotFound));
}

// A double click on Like: two toggles at once end as two toggles in a row — never two likes.
TEST_P(PostsTest, ConcurrentLikeTogglesNeverCountTwice) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  auto post = engine().social().CreatePost(ada, Png(), "");
  ASSERT_THAT(post, IsOk());
  for (int round = 0; round < 5; ++round) {
    std::promise<void> go;
    std::shared_future<void> start = go.get_future().share();
    auto toggle = [&] {
      start.wait();
      return engine().social().ToggleLike(bob, post->id);
    };
    auto a = std::async(std::launch::async, toggle);
    auto b = std::async(std::launch::async, toggle);
    go.set_value();
    auto ra = a.get(), rb = b.get();
    ASSERT_THAT(ra, IsOk());
    ASSERT_THAT(rb, IsOk());
    EXPECT_NE(ra->is_liked, rb->is_liked);
    auto after = engine().social().GetPost(post->id, bob.id);
    EXPECT_EQ(after->likes_count, 0);
    EXPECT_FALSE(after->is_liked);
  }
  EXPECT_EQ(Verbs(ada).size(), 5u);  // one like (and its notification) per round
}

TEST_P(PostsTest, PostsOfBlockedUsersAreHidden) {
  User ada = CreateUser("ada");
  auto post = engine().social().CreatePost(ada, Png(), "hi");
  ASSERT_THAT(post, IsOk());
  ASSERT_THAT(storage().Transact([&](StorageTransaction& tx) -> Status {
    User copy = ada;
    copy.is_active = false;
    return tx.users().Update(copy);
  }),
              IsOk());
  EXPECT_THAT(engine().social().GetPost(post->id, std::nullopt), StatusIs(StatusCode::kNotFound));
  EXPECT_TRUE(engine().social().ListPosts(std::nullopt, std::nullopt, 1, 50)->results.empty());
  EXPECT_THAT(engine().social().ListPosts("ada", std::nullopt, 1, 50), StatusIs(StatusCode::kNotFound));
}

INSTANTIATE_TEST_SUITE_P(Backends, PostsTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash
