// Opens N idle authenticated chat sockets (one user; rate limits off on the host) and reports the
// host's RSS growth per socket and its thread count (/proc/PID/status).
//   node idle.js --port P --tokens tokens.json --sockets 10000 --pid HOSTPID
'use strict';
const fs = require('fs');
const WebSocket = require('ws');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const port = Number(args.port);
const token = JSON.parse(fs.readFileSync(args.tokens, 'utf8'))[0];
const N = Number(args.sockets || 10000);
const pid = Number(args.pid);

function status(field) {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field + ':'));
  return Number(line.split(/\s+/)[1]);
}

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/chat/global`, {
      headers: { Cookie: `access_token=${token}`, Origin: `http://127.0.0.1:${port}` },
      perMessageDeflate: false,
    });
    let done = false;
    ws.on('message', (d) => {
      if (!done && JSON.parse(d).type === 'history') { done = true; resolve(ws); }
    });
    ws.on('error', (e) => { if (!done) { done = true; reject(e); } });
    ws.on('close', () => { if (!done) { done = true; reject(new Error('closed')); } });
  });
}

async function main() {
  // Warm-up: the first sockets allocate the pools that every later one shares.
  const warm = [];
  for (let i = 0; i < 100; i++) warm.push(await open());
  await new Promise((r) => setTimeout(r, 1000));
  const before = status('VmRSS');
  const sockets = [];
  for (let i = 0; i < N; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(N, i + 100); j++) batch.push(open());
    sockets.push(...await Promise.all(batch));
  }
  await new Promise((r) => setTimeout(r, 2000));
  const after = status('VmRSS');
  console.log(JSON.stringify({
    sockets: sockets.length, rss_before_kib: before, rss_after_kib: after,
    kib_per_socket: ((after - before) / sockets.length).toFixed(2), host_threads: status('Threads'),
  }));
  for (const ws of [...warm, ...sockets]) ws.terminate();
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
