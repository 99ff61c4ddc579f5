const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const out = [];
for (const line of lines.slice(1, Number(lines[0]) + 1)) {
  const [b1, b2, x] = line.trim().split(/\s+/);
  out.push(parseInt(x, Number(b1)).toString(Number(b2)).toUpperCase());
}
console.log(out.join('\n'));
