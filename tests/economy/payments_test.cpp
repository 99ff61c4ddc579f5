// Payments on every backend against a fake Razorpay served over real HTTP on 127.0.0.1 (Poco
// HTTPServer, as the OAuth tests do) through the real HTTP client: orders, signature verification,
// the webhook, and exactly-once crediting when the browser callback and the webhook race.
#include "clash/payments.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <atomic>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "economy/economy_fixture.h"
#include "common/crypto.h"

namespace clash {
namespace {

using ::clash::testing::BackendParamName;
using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

constexpr char kKeyId[] = "rzp_test_abc123";
constexpr char kKeySecret[] = "test_secret_XYZ";
constexpr char kWebhookSecret[] = "whsec_hook_456";
// base64("rzp_test_abc123:test_secret_XYZ"), computed independently of the code under test.
constexpr char kExpectedAuthorization[] = "Basic cnpwX3Rlc3RfYWJjMTIzOnRlc3Rfc2VjcmV0X1hZWg==";

// Razorpay's orders API: POST /v1/orders answers `status` (201-style 200 with an order by default).
class FakeRazorpay {
 public:
  struct Request {
    std::string method, path, authorization, content_type, body;
  };

  FakeRazorpay() {
    auto* params = new Poco::Net::HTTPServerParams();
    params->setMaxThreads(8);
    params->setKeepAlive(false);
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), pool_, socket, params);
    server_->start();
  }
  ~FakeRazorpay() {
    server_->stopAll(true);
    pool_.joinAll();
  }

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void SetStatus(int status) {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
  }
  std::vector<Request> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  class Handler final : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(FakeRazorpay& fake) : fake_(fake) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
      Request r;
      r.method = req.getMethod();
      r.path = Poco::URI(req.getURI()).getPath();
      r.authorization = req.get("Authorization", "");
      r.content_type = req.get("Content-Type", "");
      Poco::StreamCopier::copyToString(req.stream(), r.body);
      int status = 0;
      std::string answer;
      {
        std::lock_guard<std::mutex> lock(fake_.mu_);
        fake_.requests_.push_back(r);
        status = fake_.status_;
        json request = json::parse(r.body, nullptr, false);
        if (r.method != "POST" || r.path != "/v1/orders") {
          status = 404;
          answer = R"({"error":{"code":"BAD_REQUEST_ERROR","description":"The requested URL was not found"}})";
        } else if (r.authorization != kExpectedAuthorization) {
          status = 401;
          answer = R"({"error":{"code":"BAD_REQUEST_ERROR","description":"Authentication failed"}})";
        } else if (status == 200) {
          answer = json{{"id", "order_T" + std::to_string(++fake_.orders_)}, {"entity", "order"},
                        {"amount", request.value("amount", 0)}, {"currency", "INR"},
                        {"receipt", request.value("receipt", "")}, {"status", "created"}}
                       .dump();
        } else {
          answer = R"({"error":{"code":"BAD_REQUEST_ERROR","description":"refused by the test"}})";
        }
      }
      resp.setContentType("application/json");
      resp.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
      resp.sendBuffer(answer.data(), answer.size());
    }

   private:
    FakeRazorpay& fake_;
  };
  class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(FakeRazorpay& fake) : fake_(fake) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(fake_);
    }

   private:
    FakeRazorpay& fake_;
  };

  mutable std::mutex mu_;
  int status_ = 200;
  int orders_ = 0;
  std::vector<Request> requests_;
  Poco::ThreadPool pool_{2, 8};
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
};

int ClosedPort() {
  Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = s.address().port();
  s.close();
  return port;
}

class CaptureSink : public LogSink {
 public:
  void WriteLine(std::string_view line) override {
    std::lock_guard<std::mutex> lock(mu_);
    text_.append(line).append("\n");
  }
  std::string text() const {
    std::lock_guard<std::mutex> lock(mu_);
    return text_;
  }

 private:
  mutable std::mutex mu_;
  std::string text_;
};

// Counts storage calls, to show that a forged request reads nothing.
class CountingStorage : public StorageWrapper {
 public:
  using StorageWrapper::StorageWrapper;
  Status Transact(const TransactionFn& fn) override {
    calls.fetch_add(1);
    return StorageWrapper::Transact(fn);
  }
  Status Read(const TransactionFn& fn) override {
    calls.fetch_add(1);
    return StorageWrapper::Read(fn);
  }
  std::atomic<int> calls{0};
};

std::string Sign(std::string_view secret, std::string_view message) {
  return internal::HexEncode(internal::HmacSha256(secret, message));
}

std::string CheckoutSignature(const std::string& order_id, const std::string& payment_id) {
  return Sign(kKeySecret, order_id + "|" + payment_id);
}

std::string WebhookBody(const std::string& event, const std::string& order_id, const std::string& payment_id,
                        std::int64_t amount_paise, const std::string& status = "captured") {
  json entity = {{"id", payment_id}, {"entity", "payment"}, {"amount", amount_paise}, {"currency", "INR"},
                 {"status", status}, {"order_id", order_id}, {"method", "upi"}};
  json body = {{"entity", "event"}, {"account_id", "acc_test"}, {"event", event}, {"contains", {"payment"}},
               {"payload", {{"payment", {{"entity", entity}}}}}, {"created_at", 1800000000}};
  return body.dump();
}

class PaymentsTest : public testing::EconomyTest {
 protected:
  static RazorpayOptions Options(const std::string& api_base) {
    RazorpayOptions o;
    o.key_id = kKeyId;
    o.key_secret = kKeySecret;
    o.webhook_secret = kWebhookSecret;
    o.api_base = api_base;
    o.timeout = std::chrono::milliseconds(5000);
    return o;
  }

  void Configure(EngineOptions& opts) override {
    opts.logger = &logger_;
    opts.razorpay = Options(fake_.base());
    auto http = NewHttpClient();
    ASSERT_THAT(http, IsOk());
    opts.http_client = std::move(http).value();
  }

  Payments& payments() { return engine().payments(); }

  PaymentRecord PaymentOf(const std::string& order_id) {
    PaymentRecord out;
    EXPECT_THAT(storage().Transact([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(out, tx.payments().LockByOrder(order_id));
      return Status::Ok();
    }),
                IsOk());
    return out;
  }

  PaymentOrder Order(const User& user, int amount_inr) {
    auto order = payments().CreateOrder(user, amount_inr);
    EXPECT_THAT(order, IsOk());
    return order.ok() ? *order : PaymentOrder{};
  }

  Result<WebhookOutcome> Webhook(const std::string& body) { return payments().HandleWebhook(body, Sign(kWebhookSecret, body)); }

  int PaymentEntries(std::int64_t user_id) {
    int n = 0;
    for (const LedgerEntry& e : EntriesOf(user_id)) n += e.source == XpSource::kPayment ? 1 : 0;
    return n;
  }

  FakeRazorpay fake_;
  CaptureSink sink_;
  Logger logger_{sink_, clock_, LogLevel::kDebug};
};

TEST_P(PaymentsTest, PackagesAreTheReferences) {
  std::vector<std::pair<int, std::int64_t>> got;
  for (const XpPackage& p : XpPackages()) got.emplace_back(p.amount_inr, p.xp);
  EXPECT_EQ(got, (std::vector<std::pair<int, std::int64_t>>{
                     {49, 50}, {99, 100}, {199, 200}, {249, 250}, {499, 500}, {749, 800}, {999, 1000}, {1999, 2500}}));
  EXPECT_TRUE(payments().configured());
}

TEST_P(PaymentsTest, WithoutKeysEverythingIsUnavailable) {
  User ada = CreateUser("ada");
  RazorpayOptions none;
  Payments p(storage(), clock_, logger_, nullptr, none);
  EXPECT_FALSE(p.configured());
  auto order = p.CreateOrder(ada, 99);
  EXPECT_THAT(order, StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(order.status().message(), "Payment service is unavailable (Razorpay keys missing)");
  auto bad_amount = p.CreateOrder(ada, 100);  // the package is checked first
  EXPECT_THAT(bad_amount, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(bad_amount.status().message(), "Invalid package amount");
  EXPECT_THAT(p.Verify(ada, "order_1", "pay_1", "00"), StatusIs(StatusCode::kUnavailable));
  const std::string body = WebhookBody("payment.captured", "order_1", "pay_1", 9900);
  EXPECT_THAT(p.HandleWebhook(body, Sign("", body)), StatusIs(StatusCode::kUnavailable));
  RazorpayOptions key_only;
  key_only.key_id = kKeyId;
  EXPECT_FALSE(Payments(storage(), clock_, logger_, nullptr, key_only).configured());
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_P(PaymentsTest, InvalidPackagesAreRefusedBeforeCallingRazorpay) {
  User ada = CreateUser("ada");
  for (int amount : {0, -49, 1, 50, 100, 2000, 1998}) {
    auto order = payments().CreateOrder(ada, amount);
    EXPECT_THAT(order, StatusIs(StatusCode::kInvalidArgument)) << amount;
    EXPECT_EQ(order.status().message(), "Invalid package amount");
  }
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_P(PaymentsTest, CreatesAnOrderWithBasicAuthAndRecordsItPending) {
  User ada = CreateUser("ada");
  auto order = payments().CreateOrder(ada, 749);
  ASSERT_THAT(order, IsOk());
  EXPECT_EQ(order->order_id, "order_T1");
  EXPECT_EQ(order->amount_paise, 74900);
  EXPECT_EQ(order->key_id, kKeyId);
  EXPECT_EQ(order->xp_amount, 800);

  std::vector<FakeRazorpay::Request> reqs = fake_.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].path, "/v1/orders");
  EXPECT_EQ(reqs[0].authorization, kExpectedAuthorization);
  EXPECT_EQ(reqs[0].content_type, "application/json");
  json sent = json::parse(reqs[0].body, nullptr, false);
  ASSERT_TRUE(sent.is_object()) << reqs[0].body;
  EXPECT_EQ(sent, (json{{"amount", 74900}, {"currency", "INR"}, {"receipt", "coc_" + std::to_string(ada.id) + "_749"},
                        {"notes", {{"user_id", std::to_string(ada.id)}}}}));

  PaymentRecord stored = PaymentOf("order_T1");
  EXPECT_EQ(stored.user_id, ada.id);
  EXPECT_EQ(stored.amount_inr, 749);
  EXPECT_EQ(stored.xp_amount, 800);
  EXPECT_EQ(stored.status, PaymentStatus::kPending);
  EXPECT_EQ(stored.payment_id, "");
  EXPECT_EQ(stored.created_at, clock_.Now());
  EXPECT_EQ(BalanceOf(ada.id), 0);  // nothing is credited before the payment
}

TEST_P(PaymentsTest, ProviderRefusalsAndOutagesMapToTheirCodes) {
  User ada = CreateUser("ada");
  fake_.SetStatus(400);
  auto rejected = payments().CreateOrder(ada, 99);
  EXPECT_THAT(rejected, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(rejected.status().message(), "Payment provider rejected the order request");
  fake_.SetStatus(502);
  auto down = payments().CreateOrder(ada, 99);
  EXPECT_THAT(down, StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(down.status().message(), "Payment service is temporarily unavailable");
  EXPECT_EQ(fake_.requests().size(), 2u);

  auto http = NewHttpClient();
  ASSERT_THAT(http, IsOk());
  Payments closed(storage(), clock_, logger_, http->get(), Options("http://127.0.0.1:" + std::to_string(ClosedPort())));
  auto unreachable = closed.CreateOrder(ada, 99);
  EXPECT_THAT(unreachable, StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(unreachable.status().message(), "Payment service is temporarily unavailable");

  // A wrong key pair is a 401 from Razorpay: the request is refused, not retried as an outage.
  RazorpayOptions wrong = Options(fake_.base());
  wrong.key_secret = "not-the-secret";
  fake_.SetStatus(200);
  Payments wrong_keys(storage(), clock_, logger_, http->get(), wrong);
  EXPECT_THAT(wrong_keys.CreateOrder(ada, 99), StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(PaymentsTest, VerifyCreditsOnceAndRepeatsAreAlreadyProcessed) {
  User ada = CreateUser("ada");
  PaymentOrder order = Order(ada, 199);
  auto credit = payments().Verify(ada, order.order_id, "pay_A", CheckoutSignature(order.order_id, "pay_A"));
  ASSERT_THAT(credit, IsOk());
  EXPECT_FALSE(credit->already_processed);
  EXPECT_EQ(credit->new_xp, 200);
  EXPECT_EQ(BalanceOf(ada.id), 200);
  std::vector<LedgerEntry> entries = EntriesOf(ada.id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].amount, 200);
  EXPECT_EQ(entries[0].source, XpSource::kPayment);
  EXPECT_EQ(entries[0].reference, order.order_id);
  EXPECT_EQ(entries[0].idempotency_key, "payment:" + order.order_id);
  PaymentRecord stored = PaymentOf(order.order_id);
  EXPECT_EQ(stored.status, PaymentStatus::kSucceeded);
  EXPECT_EQ(stored.payment_id, "pay_A");

  auto again = payments().Verify(ada, order.order_id, "pay_A", CheckoutSignature(order.order_id, "pay_A"));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->already_processed);
  EXPECT_EQ(again->new_xp, 200);
  EXPECT_EQ(BalanceOf(ada.id), 200);
  EXPECT_EQ(SumOfEntries(ada.id), 200);
  EXPECT_EQ(EntriesOf(ada.id).size(), 1u);
}

TEST_P(PaymentsTest, BadSignaturesAreRefusedBeforeAnyStorageAccess) {
  User ada = CreateUser("ada");
  PaymentOrder order = Order(ada, 99);
  CountingStorage counting(storage());
  Payments p(counting, clock_, logger_, nullptr, Options(fake_.base()));
  const std::string good = CheckoutSignature(order.order_id, "pay_A");
  const std::string forged[] = {
      "",
      std::string(64, '0'),
      CheckoutSignature(order.order_id, "pay_B"),                  // signs another payment
      Sign("wrong-secret", order.order_id + "|pay_A"),            // another key
      good.substr(0, 63),                                         // truncated
      good + "0",                                                 // extended
  };
  for (const std::string& sig : forged) {
    auto r = p.Verify(ada, order.order_id, "pay_A", sig);
    EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument)) << sig;
    EXPECT_EQ(r.status().message(), "Invalid Signature - Payment verification failed");
  }
  EXPECT_THAT(p.Verify(ada, order.order_id, "", CheckoutSignature(order.order_id, "")),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(counting.calls.load(), 0);
  EXPECT_EQ(PaymentOf(order.order_id).status, PaymentStatus::kPending);
  EXPECT_EQ(BalanceOf(ada.id), 0);
}

TEST_P(PaymentsTest, AnotherUsersOrderIsRefusedAndStaysPending) {
  User ada = CreateUser("ada");
  User eve = CreateUser("eve");
  PaymentOrder order = Order(ada, 99);
  auto r = payments().Verify(eve, order.order_id, "pay_A", CheckoutSignature(order.order_id, "pay_A"));
  EXPECT_THAT(r, StatusIs(StatusCode::kPermissionDenied));
  EXPECT_EQ(r.status().message(), "Order does not belong to authenticated user");
  EXPECT_EQ(PaymentOf(order.order_id).status, PaymentStatus::kPending);
  EXPECT_EQ(BalanceOf(ada.id), 0);
  EXPECT_EQ(BalanceOf(eve.id), 0);

  auto unknown = payments().Verify(ada, "order_nope", "pay_A", CheckoutSignature("order_nope", "pay_A"));
  EXPECT_THAT(unknown, StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(unknown.status().message(), "Order not found");
}

TEST_P(PaymentsTest, WebhookCreditsAPaymentWhoseCallbackWasLost) {
  User ada = CreateUser("ada");
  PaymentOrder order = Order(ada, 1999);
  auto hook = Webhook(WebhookBody("payment.captured", order.order_id, "pay_W", 199900));
  ASSERT_THAT(hook, IsOk());
  EXPECT_TRUE(hook->credited);
  EXPECT_EQ(hook->detail, "credited");
  EXPECT_EQ(BalanceOf(ada.id), 2500);
  PaymentRecord stored = PaymentOf(order.order_id);
  EXPECT_EQ(stored.status, PaymentStatus::kSucceeded);
  EXPECT_EQ(stored.payment_id, "pay_W");

  // Razorpay retries deliveries; the browser may still call back later. Neither credits again.
  auto retry = Webhook(WebhookBody("payment.captured", order.order_id, "pay_W", 199900));
  ASSERT_THAT(retry, IsOk());
  EXPECT_FALSE(retry->credited);
  EXPECT_EQ(retry->detail, "already processed");
  auto verify = payments().Verify(ada, order.order_id, "pay_W", CheckoutSignature(order.order_id, "pay_W"));
  ASSERT_THAT(verify, IsOk());
  EXPECT_TRUE(verify->already_processed);
  EXPECT_EQ(verify->new_xp, 2500);
  EXPECT_EQ(BalanceOf(ada.id), 2500);
  EXPECT_EQ(PaymentEntries(ada.id), 1);
}

TEST_P(PaymentsTest, WebhookAfterVerifyDoesNotCreditAgain) {
  User ada = CreateUser("ada");
  PaymentOrder order = Order(ada, 49);
  ASSERT_THAT(payments().Verify(ada, order.order_id, "pay_V", CheckoutSignature(order.order_id, "pay_V")), IsOk());
  auto hook = Webhook(WebhookBody("order.paid", order.order_id, "pay_V", 4900));
  ASSERT_THAT(hook, IsOk());
  EXPECT_FALSE(hook->credited);
  EXPECT_EQ(hook->detail, "already processed");
  EXPECT_EQ(BalanceOf(ada.id), 50);
  EXPECT_EQ(PaymentEntries(ada.id), 1);
}

TEST_P(PaymentsTest, OrderPaidAlsoCredits) {
  User ada = CreateUser("ada");
  PaymentOrder order = Order(ada, 499);
  auto hook = Webhook(WebhookBody("order.paid", order.order_id, "pay_O", 49900));
  ASSERT_THAT(hook, IsOk());
  EXPECT_TRUE(hook->credited);
  EXPECT_EQ(BalanceOf(ada.id), 500);
}

TEST_P(PaymentsTest, ConcurrentVerifyAndWebhookCreditExactlyOnce) {
  User ada = CreateUser("ada");
  constexpr int kOrders = 3;
  std::int64_t expected_xp = 0;
  for (int round = 0; round < kOrders; ++round) {
    PaymentOrder order = Order(ada, 999);
    expected_xp += order.xp_amount;
    const std::string pay = "pay_R" + std::to_string(round);
    const std::string sig = CheckoutSignature(order.order_id, pay);
    const std::string body = WebhookBody("payment.captured", order.order_id, pay, 99900);
    std::atomic<int> ready{0}, credits{0}, failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        ready.fetch_add(1);
        while (ready.load() < 4) std::this_thread::yield();
        if (t % 2 == 0) {
          auto r = payments().Verify(ada, order.order_id, pay, sig);
          if (!r.ok()) {
            ADD_FAILURE() << r.status();
            failures.fetch_add(1);
          } else if (!r->already_processed) {
            credits.fetch_add(1);
          }
        } else {
          auto r = Webhook(body);
          if (!r.ok()) {
            ADD_FAILURE() << r.status();
            failures.fetch_add(1);
          } else if (r->credited) {
            credits.fetch_add(1);
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(credits.load(), 1) << "round " << round;
    EXPECT_EQ(failures.load(), 0);
  }
  EXPECT_EQ(BalanceOf(ada.id), expected_xp);
  EXPECT_EQ(SumOfEntries(ada.id), expected_xp);
  EXPECT_EQ(PaymentEntries(ada.id), kOrders);
}

TEST_P(PaymentsTest, WebhookSignatureIsOverTheRawBody) {
  User ada = CreateUser("ada");
  PaymentOrder order = Order(ada, 99);
  const std::string body = WebhookBody("payment.captured", order.order_id, "pay_X", 9900);
  const std::string sig = Sign(kWebhookSecret, body);
  std::string tampered = body;
  tampered.replace(tampered.find("9900"), 4, "9901");
  for (const auto& [b, s] : std::vector<std::pair<std::string, std::string>>{
           {body, ""}, {body, Sign(kKeySecret, body)}, {tampered, sig}, {body + " ", sig}}) {
    auto r = payments().HandleWebhook(b, s);
    EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
    EXPECT_EQ(r.status().message(), "Invalid webhook signature");
  }
  EXPECT_EQ(PaymentOf(order.order_id).status, PaymentStatus::kPending);
  EXPECT_EQ(BalanceOf(ada.id), 0);
}

TEST_P(PaymentsTest, WebhookWithAnotherAmountCreditsNothing) {
  User ada = CreateUser("ada");
  PaymentOrder order = Order(ada, 999);
  auto r = Webhook(WebhookBody("payment.captured", order.order_id, "pay_M", 4900));
  EXPECT_THAT(r, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(PaymentOf(order.order_id).status, PaymentStatus::kPending);
  EXPECT_EQ(BalanceOf(ada.id), 0);
  EXPECT_TRUE(EntriesOf(ada.id).empty());
}

TEST_P(PaymentsTest, OtherEventsUnknownOrdersAndBadBodies) {
  User ada = CreateUser("ada");
  PaymentOrder order = Order(ada, 99);
  for (const std::string event : {"payment.failed", "payment.authorized", "refund.created"}) {
    auto r = Webhook(WebhookBody(event, order.order_id, "pay_E", 9900));
    ASSERT_THAT(r, IsOk()) << event;
    EXPECT_FALSE(r->credited);
    EXPECT_EQ(r->detail, "ignored: " + event);
  }
  auto not_captured = Webhook(WebhookBody("payment.captured", order.order_id, "pay_E", 9900, "failed"));
  ASSERT_THAT(not_captured, IsOk());
  EXPECT_FALSE(not_captured->credited);
  auto unknown = Webhook(WebhookBody("payment.captured", "order_elsewhere", "pay_E", 9900));
  ASSERT_THAT(unknown, IsOk());
  EXPECT_FALSE(unknown->credited);
  EXPECT_EQ(unknown->detail, "ignored: unknown order");
  for (const std::string bad : {"not json", "[]", R"({"event":"payment.captured"})",
                                R"({"event":"payment.captured","payload":{"payment":{"entity":{"id":"p"}}}})",
                                R"({"payload":{}})"}) {
    EXPECT_THAT(Webhook(bad), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
  EXPECT_EQ(PaymentOf(order.order_id).status, PaymentStatus::kPending);
  EXPECT_EQ(BalanceOf(ada.id), 0);
}

TEST_P(PaymentsTest, SecretsNeverReachTheLogs) {
  User ada = CreateUser("ada");
  PaymentOrder order = Order(ada, 99);
  fake_.SetStatus(400);
  EXPECT_THAT(payments().CreateOrder(ada, 99), Not(IsOk()));
  ASSERT_THAT(payments().Verify(ada, order.order_id, "pay_L", CheckoutSignature(order.order_id, "pay_L")), IsOk());
  EXPECT_THAT(payments().HandleWebhook("{}", "bad"), StatusIs(StatusCode::kInvalidArgument));
  const std::string logs = sink_.text();
  EXPECT_THAT(logs, HasSubstr(order.order_id));  // the log does record the payment flow
  EXPECT_THAT(logs, Not(HasSubstr(kKeySecret)));
  EXPECT_THAT(logs, Not(HasSubstr(kWebhookSecret)));
  EXPECT_THAT(logs, Not(HasSubstr("cnpwX3Rlc3RfYWJjMTIzOnRlc3Rfc2VjcmV0X1hZWg")));
}

INSTANTIATE_TEST_SUITE_P(Backends, PaymentsTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash
