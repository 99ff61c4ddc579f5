const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean).map(Number);
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
let answer = 1;
for (const p of tokens.slice(1, tokens[0] + 1)) answer = (answer / gcd(answer, p)) * p;
console.log(String(answer));
