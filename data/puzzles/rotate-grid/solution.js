const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean);
const [h, w] = [Number(tokens[0]), Number(tokens[1])];
const rows = tokens.slice(2, 2 + h);
const out = [];
for (let c = 0; c < w; c++) out.push(rows.map((row) => row[c]).reverse().join(''));
console.log(out.join('\n'));
