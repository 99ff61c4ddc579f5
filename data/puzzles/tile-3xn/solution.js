const t = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean).map(Number);
const MOD = 1000000007;
const queries = t.slice(1, t[0] + 1);
const top = Math.max(...queries);
// a(n): full 3 x 2n boards; b(n): 3 x (2n - 1) boards with one corner cell already covered.
// a(n) = a(n-1) + 2 b(n), b(n) = a(n-1) + b(n-1), a(0) = 1, b(0) = 0.
const full = new Array(top + 1).fill(0);
let a = 1;
let b = 0;
full[0] = 1;
for (let k = 1; 2 * k <= top; k++) {
  b = (a + b) % MOD;
  a = (a + 2 * b) % MOD;
  full[2 * k] = a;
}
console.log(queries.map((n) => full[n]).join('\n'));
