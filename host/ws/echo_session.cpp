#include "ws/echo_session.h"

namespace clash::host {

void EchoSession::OnText(WsConnection& connection, std::string_view text) { connection.SendText(text); }

void EchoSession::OnBinary(WsConnection& connection, std::string_view data) {
  connection.SendBinary(data);
}

}  // namespace clash::host
