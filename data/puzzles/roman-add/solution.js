const tokens = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/);
const symbol = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
const parse = (s) => [...s].reduce((t, c, i) => t + (symbol[s[i + 1]] > symbol[c] ? -1 : 1) * symbol[c], 0);
let total = parse(tokens[0]);
for (let i = 1; i < tokens.length; i += 2) total += (tokens[i] === '+' ? 1 : -1) * parse(tokens[i + 1]);
const table = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'],
  [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
let out = '';
for (const [value, letters] of table) {
  while (total >= value) {
    out += letters;
    total -= value;
  }
}
console.log(out);
