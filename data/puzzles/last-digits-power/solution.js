const [a, b0, k] = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const mod = 10 ** k;
let result = 1 % mod;
let base = a % mod;
// b goes up to 1e15: halve it with arithmetic, not with 32-bit bit operators
for (let b = b0; b > 0; b = Math.floor(b / 2)) {
  if (b % 2 === 1) result = (result * base) % mod;
  base = (base * base) % mod;
}
console.log(String(result).padStart(k, '0'));
