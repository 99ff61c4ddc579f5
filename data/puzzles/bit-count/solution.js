const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean);
const n = Number(tokens[0]);
const out = [];
for (let i = 1; i <= n; i++) {
  const bits = Number(tokens[i]).toString(2);
  out.push(`${bits} ${bits.split('').filter((c) => c === '1').length}`);
}
console.log(out.join('\n'));
