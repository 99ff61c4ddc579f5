// Chat fan-out load client (issue 14 benchmark): N authenticated clients in /ws/chat/global,
// S of them send R messages/s each for D seconds; every client records when each message arrives.
// Reports delivered messages/s, loss (expected deliveries not received within the drain time) and
// send-to-receive latency p50/p99/max. Clients are spread over the given ports (several hosts).
//   node fanout.js --ports 8080[,8081] --tokens tokens.json --clients 1000 --senders 10 --rate 10 --seconds 20
'use strict';
const fs = require('fs');
const WebSocket = require('ws');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const ports = String(args.ports).split(',').map(Number);
const tokens = JSON.parse(fs.readFileSync(args.tokens, 'utf8'));
const N = Number(args.clients || 1000);
const S = Number(args.senders || 10);
const RATE = Number(args.rate || 10);
const SECONDS = Number(args.seconds || 20);
const DRAIN_MS = Number(args.drain || 5000);

const now = () => Number(process.hrtime.bigint() / 1000n) / 1000; // ms
const latencies = [];
let received = 0;
let errors = 0;
const errorMessages = {};
let closed = 0;

function connect(i) {
  return new Promise((resolve, reject) => {
    const port = ports[i % ports.length];
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/chat/global`, {
      headers: { Cookie: `access_token=${tokens[i]}`, Origin: `http://127.0.0.1:${port}` },
      perMessageDeflate: false,
    });
    let ready = false;
    ws.on('message', (data) => {
      const text = data.toString();
      // chat_message frames are matched without a JSON parse: the client must not be the bottleneck.
      if (text.includes('"type":"chat_message"')) {
        const m = /"message":"b (\d+(?:\.\d+)?) /.exec(text);
        if (m) { latencies.push(now() - Number(m[1])); received++; }
        return;
      }
      const f = JSON.parse(text);
      if (f.type === 'history' && !ready) { ready = true; resolve(ws); return; }
      if (f.type === 'error') {
        errors++;
        errorMessages[f.message] = (errorMessages[f.message] || 0) + 1;
      }
    });
    ws.on('close', () => { closed++; if (!ready) reject(new Error('closed before history')); });
    ws.on('error', (e) => { if (!ready) reject(e); });
  });
}

async function main() {
  const t0 = now();
  const clients = [];
  for (let i = 0; i < N; i += 50) {  // connect in batches
    const batch = [];
    for (let j = i; j < Math.min(N, i + 50); j++) batch.push(connect(j));
    clients.push(...await Promise.all(batch));
  }
  console.log(`connected ${clients.length} clients on ports ${ports.join(',')} in ${(now() - t0).toFixed(0)} ms`);
  await new Promise((r) => setTimeout(r, 2000));  // presence settles
  let sent = 0;
  const cpu0 = process.cpuUsage();
  const start = now();
  const timers = [];
  for (let s = 0; s < S; s++) {
    const ws = clients[s];
    let k = 0;
    const total = RATE * SECONDS;
    const period = 1000 / RATE;
    const startAt = start + (s * period) / S;
    const tick = () => {
      if (k >= total) return;
      const due = startAt + k * period;
      ws.send(JSON.stringify({ action: 'send', message: `b ${now().toFixed(3)} s${s} n${k}` }));
      sent++; k++;
      timers.push(setTimeout(tick, Math.max(0, due + period - now())));
    };
    timers.push(setTimeout(tick, Math.max(0, startAt - now())));
  }
  await new Promise((r) => setTimeout(r, SECONDS * 1000 + DRAIN_MS));
  const elapsed = (now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN;
  const expected = sent * N;
  console.log(JSON.stringify({
    clients: N, senders: S, rate_per_sender: RATE, seconds: SECONDS, sent,
    expected_deliveries: expected, delivered: received, loss: expected - received,
    loss_pct: (100 * (expected - received) / expected).toFixed(3),
    delivered_per_s: Math.round(received / (SECONDS)),
    p50_ms: q(0.5).toFixed(2), p99_ms: q(0.99).toFixed(2), max_ms: latencies.length ? latencies[latencies.length - 1].toFixed(2) : NaN,
    client_cpu_s: ((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6).toFixed(1),
    error_frames: errors, error_messages: errorMessages, sockets_closed: closed, wall_s: elapsed.toFixed(1),
  }));
  for (const ws of clients) ws.terminate();
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
