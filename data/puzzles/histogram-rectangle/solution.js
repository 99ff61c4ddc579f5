const t = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean).map(Number);
const h = t.slice(1, t[0] + 1);
const n = h.length;
// a stack of (start, height): buildings still open to the right, heights rising
const stack = [];
let best = 0;
for (let i = 0; i <= n; i++) {
  const height = i < n ? h[i] : 0;
  let start = i;
  while (stack.length > 0 && stack[stack.length - 1][1] >= height) {
    const [s, hh] = stack.pop();
    best = Math.max(best, hh * (i - s));
    start = s;
  }
  stack.push([start, height]);
}
console.log(best);
