const t = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean).map(Number);
const MOD = 1000000007;
const [n, k] = t;
const steps = t.slice(2, 2 + k);
const broken = new Set(t.slice(3 + k, 3 + k + t[2 + k]));
const ways = new Array(n + 1).fill(0);
ways[0] = 1;
for (let i = 1; i <= n; i++) {
  if (broken.has(i)) continue;
  let sum = 0;
  for (const s of steps) if (s <= i) sum = (sum + ways[i - s]) % MOD;
  ways[i] = sum;
}
console.log(ways[n]);
