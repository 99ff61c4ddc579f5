const t = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean).map(Number);
const intervals = [];
for (let i = 0; i < t[0]; i++) intervals.push([t[1 + 2 * i], t[2 + 2 * i]]);
intervals.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
const merged = [];
for (const [a, b] of intervals) {
  const last = merged[merged.length - 1];
  if (last && a <= last[1]) last[1] = Math.max(last[1], b);
  else merged.push([a, b]);
}
console.log(merged.map(([a, b]) => `${a} ${b}`).join('\n'));
