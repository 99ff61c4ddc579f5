// Internal: the StorageTransaction handed to TransactionFns by SqlStorage.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "clash/storage.h"
#include "storage/sql/admin_store_sql.h"
#include "storage/sql/auth_stores_sql.h"
#include "storage/sql/campaign_stores_sql.h"
#include "storage/sql/chat_store_sql.h"
#include "storage/sql/economy_stores_sql.h"
#include "storage/sql/judge_job_store_sql.h"
#include "storage/sql/level_store_sql.h"
#include "storage/sql/match_store_sql.h"
#include "storage/sql/notification_store_sql.h"
#include "storage/sql/retrieval_store_sql.h"
#include "storage/sql/social_store_sql.h"
#include "storage/sql/sql_session.h"
#include "storage/sql/user_store_sql.h"

namespace clash::internal {

class SqlTransaction final : public StorageTransaction {
 public:
  explicit SqlTransaction(SqlSession& session)
      : levels_(session),
        users_(session),
        otps_(session),
        sessions_(session),
        judge_jobs_(session),
        ledger_(session),
        wallets_(session),
        check_ins_(session),
        shop_(session),
        payments_(session),
        achievements_(session),
        campaign_(session),
        tasks_(session),
        notifications_(session),
        social_(session),
        chat_(session),
        posts_(session),
        admin_(session),
        matches_(session),
        retrieval_(session),
        session_(session) {}
  LevelStore& levels() override { return levels_; }
  UserStore& users() override { return users_; }
  OtpStore& otps() override { return otps_; }
  SessionStore& sessions() override { return sessions_; }
  JudgeJobStore& judge_jobs() override { return judge_jobs_; }
  LedgerStore& ledger() override { return ledger_; }
  WalletStore& wallets() override { return wallets_; }
  CheckInStore& check_ins() override { return check_ins_; }
  ShopStore& shop() override { return shop_; }
  PaymentStore& payments() override { return payments_; }
  AchievementStore& achievements() override { return achievements_; }
  CampaignStore& campaign() override { return campaign_; }
  TaskStore& tasks() override { return tasks_; }
  NotificationStore& notifications() override { return notifications_; }
  SocialStore& social() override { return social_; }
  ChatStore& chat() override { return chat_; }
  PostStore& posts() override { return posts_; }
  AdminStore& admin() override { return admin_; }
  MatchStore& matches() override { return matches_; }
  RetrievalStore& retrieval() override { return retrieval_; }
  void OnCommit(std::function<void()> callback) override { on_commit_.push_back(std::move(callback)); }

  // The callbacks registered since the last take or drop; the storage runs them after its commit.
  std::vector<std::function<void()>> TakeOnCommit() { return std::exchange(on_commit_, {}); }
  // Forgets the registered callbacks (their attempt rolled back).
  void DropOnCommit() { on_commit_.clear(); }
  SqlSession& session() { return session_; }

 private:
  SqlLevelStore levels_;
  SqlUserStore users_;
  SqlOtpStore otps_;
  SqlSessionStore sessions_;
  SqlJudgeJobStore judge_jobs_;
  SqlLedgerStore ledger_;
  SqlWalletStore wallets_;
  SqlCheckInStore check_ins_;
  SqlShopStore shop_;
  SqlPaymentStore payments_;
  SqlAchievementStore achievements_;
  SqlCampaignStore campaign_;
  SqlTaskStore tasks_;
  SqlNotificationStore notifications_;
  SqlSocialStore social_;
  SqlChatStore chat_;
  SqlPostStore posts_;
  SqlAdminStore admin_;
  SqlMatchStore matches_;
  SqlRetrievalStore retrieval_;
  SqlSession& session_;
  std::vector<std::function<void()>> on_commit_;
};

// Runs the callbacks a committed transaction registered, in order.
inline void RunOnCommit(std::vector<std::function<void()>>& callbacks) {
  for (std::function<void()>& callback : callbacks) callback();
  callbacks.clear();
}

}  // namespace clash::internal
