// ws/echo_session.h — a session that echoes every text and binary message (test route
// /ws/test/echo, load tests).
//
// Thread-safety: stateless; one instance may serve every socket.
#pragma once

#include <string_view>

#include "ws/ws_connection.h"

namespace clash::host {

class EchoSession final : public WsSessionHandler {
 public:
  void OnText(WsConnection& connection, std::string_view text) override;
  void OnBinary(WsConnection& connection, std::string_view data) override;
};

}  // namespace clash::host
