// The file outbox and the SMTP mailer (against an in-test SMTP relay, with and without STARTTLS).
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "clash/transport.h"
#include "support/test_support.h"
#include "transport/test_servers.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

struct ParsedMail {
  std::map<std::string, std::string> headers;  // lower-case name -> unfolded value
  std::string body;
};

// A strict little RFC 5322 reader: CRLF everywhere, "Name: value" headers with folding, blank line.
ParsedMail ParseEml(const std::string& text) {
  ParsedMail m;
  const auto split = text.find("\r\n\r\n");
  EXPECT_NE(split, std::string::npos) << "no blank line between headers and body";
  if (split == std::string::npos) return m;
  std::string last;
  std::istringstream hs(text.substr(0, split + 2));
  std::string line;
  while (std::getline(hs, line)) {
    EXPECT_FALSE(line.empty() || line.back() != '\r') << "header line without CRLF: " << line;
    if (!line.empty()) line.pop_back();
    EXPECT_LE(line.size(), 998u);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      m.headers[last] += line;
      continue;
    }
    const auto colon = line.find(':');
    EXPECT_NE(colon, std::string::npos) << line;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(m.headers.count(name), 0u) << "duplicate header " << name;
    m.headers[name] = line.substr(colon + 2);
    last = name;
  }
  m.body = text.substr(split + 4);
  return m;
}

std::vector<std::filesystem::path> ListDir(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

MailMessage Otp() {
  return {.from = "Clash <noreply@clash.test>", .to = "player@example.com", .subject = "Your code",
          .text_body = "Your code is 123456.\nIt expires in 10 minutes.\n"};
}

// ---------------------------------------------------------------------------------------------
// File outbox

TEST(FileOutbox, WritesOneParseableEmlPerMessage) {
  testing::TempDir tmp;
  const auto dir = tmp.path() / "outbox" / "nested";  // created on first use
  FakeClock clock(Timestamp::FromUnixSeconds(1'700'000'000));
  auto mailer = NewFileOutboxMailer(dir.string(), {.clock = &clock});
  ASSERT_THAT(mailer->Send(Otp()), IsOk());
  const auto files = ListDir(dir);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].extension(), ".eml");
  const ParsedMail m = ParseEml(ReadFile(files[0]));
  EXPECT_EQ(m.headers.at("from"), "Clash <noreply@clash.test>");
  EXPECT_EQ(m.headers.at("to"), "player@example.com");
  EXPECT_EQ(m.headers.at("subject"), "Your code");
  EXPECT_EQ(m.headers.at("date"), "Tue, 14 Nov 2023 22:13:20 +0000");
  EXPECT_THAT(m.headers.at("message-id"), ::testing::MatchesRegex("<[0-9a-f]{32}@clash\\.test>"));
  EXPECT_EQ(m.headers.at("mime-version"), "1.0");
  EXPECT_EQ(m.headers.at("content-type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(m.headers.at("content-transfer-encoding"), "7bit");
  EXPECT_EQ(m.body, "Your code is 123456.\r\nIt expires in 10 minutes.\r\n");
}

TEST(FileOutbox, NamesAreUniqueAndNoTemporariesRemain) {
  testing::TempDir tmp;
  FakeClock clock;  // the same instant for every message
  auto mailer = NewFileOutboxMailer(tmp.path().string(), {.clock = &clock});
  for (int i = 0; i < 50; ++i) ASSERT_THAT(mailer->Send(Otp()), IsOk());
  std::set<std::string> names;
  for (const auto& p : ListDir(tmp.path())) {
    EXPECT_EQ(p.extension(), ".eml") << p;
    names.insert(p.filename().string());
  }
  EXPECT_EQ(names.size(), 50u);
}

TEST(FileOutbox, UsesDefaultSenderAndEncodesUnicode) {
  testing::TempDir tmp;
  auto mailer = NewFileOutboxMailer(tmp.path().string(), {.default_from = "Clash <bot@clash.test>"});
  MailMessage msg{.to = "José <jose@example.com>", .subject = "Привет, José", .text_body = "Grüße\n" + std::string(1200, 'a')};
  ASSERT_THAT(mailer->Send(msg), IsOk());
  const auto files = ListDir(tmp.path());
  ASSERT_EQ(files.size(), 1u);
  const std::string raw = ReadFile(files[0]);
  for (unsigned char c : raw) ASSERT_LT(c, 0x80) << "the file must be 7-bit clean";
  const ParsedMail m = ParseEml(raw);
  EXPECT_EQ(m.headers.at("from"), "Clash <bot@clash.test>");
  EXPECT_EQ(m.headers.at("to"), "=?UTF-8?B?Sm9zw6k=?= <jose@example.com>");
  EXPECT_THAT(m.headers.at("subject"), ::testing::StartsWith("=?UTF-8?B?"));
  EXPECT_EQ(m.headers.at("content-transfer-encoding"), "quoted-printable");
  EXPECT_THAT(m.body, ::testing::StartsWith("Gr=C3=BC=C3=9Fe\r\naaaa"));
}

TEST(FileOutbox, RejectsHeaderInjection) {
  testing::TempDir tmp;
  auto mailer = NewFileOutboxMailer(tmp.path().string());
  MailMessage to = Otp();
  to.to = "player@example.com\r\nBcc: victim@example.com";
  EXPECT_THAT(mailer->Send(to), StatusIs(StatusCode::kInvalidArgument));
  MailMessage subject = Otp();
  subject.subject = "hi\nBcc: victim@example.com";
  EXPECT_THAT(mailer->Send(subject), StatusIs(StatusCode::kInvalidArgument));
  MailMessage from = Otp();
  from.from = "a@b.c\rX: y";
  EXPECT_THAT(mailer->Send(from), StatusIs(StatusCode::kInvalidArgument));
  MailMessage no_at = Otp();
  no_at.to = "nobody";
  EXPECT_THAT(mailer->Send(no_at), StatusIs(StatusCode::kInvalidArgument));
  MailMessage two = Otp();
  two.to = "a@b.c, d@e.f";
  EXPECT_THAT(mailer->Send(two), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_TRUE(ListDir(tmp.path()).empty());
}

TEST(FileOutbox, UnwritableDirectoryIsUnavailable) {
  testing::TempDir tmp;
  const auto file = tmp.path() / "a-file";
  std::ofstream(file) << "x";
  auto mailer = NewFileOutboxMailer((file / "outbox").string());
  EXPECT_THAT(mailer->Send(Otp()), StatusIs(StatusCode::kUnavailable));
}

// ---------------------------------------------------------------------------------------------
// SMTP

SmtpOptions PlainOptions(int port) {
  SmtpOptions o;
  o.host = "localhost";
  o.port = port;
  o.username = "mailer";
  o.password = "s3cret-pw";
  o.starttls = false;
  o.timeout = std::chrono::milliseconds(3000);
  o.from = "Clash <noreply@clash.test>";
  return o;
}

std::unique_ptr<Mailer> Smtp(const SmtpOptions& o) {
  auto m = NewSmtpMailer(o);
  EXPECT_THAT(m, IsOk());
  return std::move(m).value();
}

TEST(SmtpMailer, DeliversWithAuthPlain) {
  testing::FakeSmtpServer server({});
  MailMessage msg = Otp();
  msg.from.clear();  // the mailer's default sender
  msg.text_body = "line one\n.\n.hidden\nend\n";  // dot-stuffing must round-trip
  ASSERT_THAT(Smtp(PlainOptions(server.port()))->Send(msg), IsOk());
  const testing::SmtpCapture cap = server.LastSession();
  EXPECT_EQ(cap.auth_method, "PLAIN");
  EXPECT_EQ(cap.user, "mailer");
  EXPECT_EQ(cap.password, "s3cret-pw");
  EXPECT_EQ(cap.mail_from, "<noreply@clash.test>");
  EXPECT_EQ(cap.rcpt_to, "<player@example.com>");
  const ParsedMail m = ParseEml(cap.data);
  EXPECT_EQ(m.headers.at("from"), "Clash <noreply@clash.test>");
  EXPECT_EQ(m.headers.at("subject"), "Your code");
  EXPECT_EQ(m.body, "line one\r\n.\r\n.hidden\r\nend\r\n");
  EXPECT_TRUE(cap.quit);
}

TEST(SmtpMailer, DeliversWithAuthLogin) {
  testing::FakeSmtpServer server({});
  SmtpOptions o = PlainOptions(server.port());
  o.auth = SmtpAuthMethod::kLogin;
  ASSERT_THAT(Smtp(o)->Send(Otp()), IsOk());
  const testing::SmtpCapture cap = server.LastSession();
  EXPECT_EQ(cap.auth_method, "LOGIN");
  EXPECT_EQ(cap.password, "s3cret-pw");
  EXPECT_EQ(cap.mail_from, "<noreply@clash.test>");
}

TEST(SmtpMailer, StartTlsWithTrustedCertThenAuth) {
  const auto& cert = testing::SelfSignedCert("localhost");
  testing::FakeSmtpServer server({.offer_starttls = true, .cert = &cert});
  SmtpOptions o = PlainOptions(server.port());
  o.starttls = true;
  o.ca_file = cert.cert_file;
  ASSERT_THAT(Smtp(o)->Send(Otp()), IsOk());
  const testing::SmtpCapture cap = server.LastSession();
  EXPECT_TRUE(cap.starttls_done);
  EXPECT_TRUE(cap.auth_over_tls);
  EXPECT_EQ(cap.ehlo_count, 2);  // EHLO again after the handshake
  EXPECT_EQ(cap.rcpt_to, "<player@example.com>");
  EXPECT_EQ(ParseEml(cap.data).body, "Your code is 123456.\r\nIt expires in 10 minutes.\r\n");
}

TEST(SmtpMailer, StartTlsWithUntrustedCertSendsNoCredentials) {
  const auto& cert = testing::SelfSignedCert("localhost");
  testing::FakeSmtpServer server({.offer_starttls = true, .cert = &cert});
  SmtpOptions o = PlainOptions(server.port());
  o.starttls = true;  // system store only: the self-signed certificate is not trusted
  const Status s = Smtp(o)->Send(Otp());
  EXPECT_THAT(s, StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(s.message(), HasSubstr("TLS failed during STARTTLS"));
  EXPECT_THAT(s.message(), Not(HasSubstr("s3cret-pw")));
  const testing::SmtpCapture cap = server.LastSession();
  EXPECT_TRUE(cap.auth_method.empty());
  EXPECT_TRUE(cap.mail_from.empty());
}

TEST(SmtpMailer, RequiredStartTlsNotOfferedSendsNoCredentials) {
  testing::FakeSmtpServer server({});
  SmtpOptions o = PlainOptions(server.port());
  o.starttls = true;
  const Status s = Smtp(o)->Send(Otp());
  EXPECT_THAT(s, StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(s.message(), HasSubstr("STARTTLS"));
  EXPECT_TRUE(server.LastSession().auth_method.empty());
}

TEST(SmtpMailer, RefusedAuthIsUnavailableWithoutThePassword) {
  testing::FakeSmtpServer server({.password = "the-right-one"});  // the relay echoes what it got
  for (SmtpAuthMethod method : {SmtpAuthMethod::kPlain, SmtpAuthMethod::kLogin}) {
    SmtpOptions o = PlainOptions(server.port());
    o.auth = method;
    const Status s = Smtp(o)->Send(Otp());
    EXPECT_THAT(s, StatusIs(StatusCode::kUnavailable));
    EXPECT_THAT(s.message(), HasSubstr("AUTH"));
    EXPECT_THAT(s.message(), Not(HasSubstr("s3cret-pw")));
  }
}

TEST(SmtpMailer, RefusedConnectionIsUnavailable) {
  EXPECT_THAT(Smtp(PlainOptions(testing::ClosedPort()))->Send(Otp()), StatusIs(StatusCode::kUnavailable));
}

TEST(SmtpMailer, RejectsHeaderInjectionBeforeConnecting) {
  MailMessage msg = Otp();
  msg.subject = "x\r\nBcc: victim@example.com";
  EXPECT_THAT(Smtp(PlainOptions(testing::ClosedPort()))->Send(msg), StatusIs(StatusCode::kInvalidArgument));
}

TEST(SmtpMailer, RejectsBadOptions) {
  SmtpOptions o = PlainOptions(25);
  o.host.clear();
  EXPECT_THAT(NewSmtpMailer(o), StatusIs(StatusCode::kInvalidArgument));
  o = PlainOptions(70000);
  EXPECT_THAT(NewSmtpMailer(o), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace clash
