const t = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean).map(Number);
const h = t.slice(1, t[0] + 1);
// a stack of lower buildings waiting for a taller right wall; fill layer by layer
const stack = [];
let water = 0;
for (let i = 0; i < h.length; i++) {
  while (stack.length > 0 && h[stack[stack.length - 1]] < h[i]) {
    const floor = h[stack.pop()];
    if (stack.length === 0) break;
    const left = stack[stack.length - 1];
    water += (Math.min(h[left], h[i]) - floor) * (i - left - 1);
  }
  stack.push(i);
}
console.log(water);
