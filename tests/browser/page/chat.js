// The chat test page's script: the web client's login and global chat (client-contract.md §1, §3,
// §13) in plain browser JavaScript — fetch with credentials for the OTP login (the host sets the
// HttpOnly access_token cookie), then the browser's native WebSocket on
// ws(s)://<page host>/ws/chat/global, authenticated by that cookie alone (a browser cannot send
// headers on a WebSocket). Frames as useChatStore.js handles them. State for the test driver is in
// window.chat; the DOM shows the same.
"use strict";

const chat = {
  user: null,
  state: "closed",
  onlineCount: 0,
  messages: [],      // {id, seq, user_id, username, message, timestamp, via: the frame type}
  errors: [],
  socket: null,
  closeCode: null,
};
window.chat = chat;

const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  // As the client's axios instance: baseURL /api, withCredentials, JSON.
  const resp = await fetch("/api" + path, {
    method,
    credentials: "include",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await resp.json().catch(() => null);
  if (!resp.ok) throw new Error(`${method} ${path}: ${resp.status} ${JSON.stringify(data)}`);
  return data;
}

// websocketUrl.js: the path resolved against location.origin, http(s) -> ws(s).
function wsUrl(path) {
  const url = new URL(path, window.location.origin);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

function render() {
  $("state").textContent = chat.state;
  $("online").textContent = String(chat.onlineCount);
  $("user").textContent = chat.user ? chat.user.username : "";
  $("error").textContent = chat.errors.length ? chat.errors[chat.errors.length - 1] : "";
  const list = $("messages");
  list.replaceChildren(...chat.messages.map((m) => {
    const li = document.createElement("li");
    li.dataset.id = m.id === undefined ? "" : String(m.id);
    li.textContent = `${m.username}: ${m.message}`;
    return li;
  }));
}

function onFrame(frame) {
  switch (frame.type) {
    case "history":  // replaces the list
      chat.messages = frame.messages.map((m) => ({ ...m, via: "history" }));
      break;
    case "chat_message":  // appended, de-duplicated by id
      if (!chat.messages.some((m) => m.id !== undefined && m.id === frame.id)) {
        chat.messages.push({ ...frame, via: "chat_message" });
      }
      break;
    case "presence":
      chat.onlineCount = frame.count;
      break;
    case "error":
      chat.errors.push(frame.message);
      break;
    default:
      break;
  }
  render();
}

function connect() {
  const socket = new WebSocket(wsUrl("/ws/chat/global"));
  chat.socket = socket;
  chat.state = "connecting";
  socket.onopen = () => { chat.state = "open"; render(); };
  socket.onmessage = (event) => onFrame(JSON.parse(event.data));
  socket.onclose = (event) => { chat.state = "closed"; chat.closeCode = event.code; render(); };
  render();
}

function send(text) {
  // Only while OPEN, as useChatStore.js; `action` defaults to send on the server.
  if (!chat.socket || chat.socket.readyState !== WebSocket.OPEN) return false;
  chat.socket.send(JSON.stringify({ action: "send", message: text }));
  return true;
}

// Opens a WebSocket to another origin's chat URL (for the test of the host's Origin check) and
// resolves with {opened, code} once it closes.
chat.probeSocket = (url) => new Promise((resolve) => {
  let opened = false;
  const s = new WebSocket(url);
  s.onopen = () => { opened = true; s.close(); };
  s.onclose = (event) => resolve({ opened, code: event.code });
});

$("request").addEventListener("click", async () => {
  try {
    await api("POST", "/auth/otp/request/", { email: $("email").value });
    $("request").dataset.sent = "yes";
  } catch (e) { chat.errors.push(String(e)); render(); }
});
$("verify").addEventListener("click", async () => {
  try {
    const body = await api("POST", "/auth/otp/verify/", { email: $("email").value, otp: $("otp").value });
    chat.user = body.user;
    // The session probe of useInitializeApp.js, then the socket.
    chat.user = await api("GET", "/profiles/user/");
    connect();
  } catch (e) { chat.errors.push(String(e)); render(); }
});
$("send").addEventListener("click", () => {
  if (send($("text").value)) $("text").value = "";
});
