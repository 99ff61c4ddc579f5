const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const n = parseInt(lines[0], 10);
const out = lines.slice(1, n + 1).reverse().map((l) => [...l].reverse().join(''));
console.log(out.join('\n'));
