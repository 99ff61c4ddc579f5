const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean);
const t = Number(tokens[0]);
const out = [];
for (let i = 1; i <= t; i++) {
  let n = tokens[i];
  const chain = [n];
  while (n.length > 1) {
    let sum = 0;
    for (const c of n) sum += c.charCodeAt(0) - 48;
    n = String(sum);
    chain.push(n);
  }
  out.push(chain.join(' -> '));
}
console.log(out.join('\n'));
