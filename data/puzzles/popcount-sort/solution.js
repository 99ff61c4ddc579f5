const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean).map(Number);
const ones = (x) => {
  let count = 0;
  for (; x > 0; x >>>= 1) count += x & 1;
  return count;
};
const v = tokens.slice(1, tokens[0] + 1);
v.sort((a, b) => ones(a) - ones(b) || a - b);
console.log(v.join(' '));
