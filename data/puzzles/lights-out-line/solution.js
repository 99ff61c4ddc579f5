const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean);
const solve = (lamps, first) => {
  const s = [...lamps].map(Number);
  const n = s.length;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 ? first : s[i - 1]) {
      count++;
      if (i > 0) s[i - 1] ^= 1;
      s[i] ^= 1;
      if (i + 1 < n) s[i + 1] ^= 1;
    }
  }
  return s.includes(1) ? Infinity : count;
};
const out = [];
for (const lamps of tokens.slice(1, Number(tokens[0]) + 1)) {
  const best = Math.min(solve(lamps, 0), solve(lamps, 1));
  out.push(best === Infinity ? '-1' : String(best));
}
console.log(out.join('\n'));
