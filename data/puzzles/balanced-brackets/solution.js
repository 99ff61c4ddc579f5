const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const n = Number(lines[0]);
const partner = { ')': '(', ']': '[', '}': '{', '>': '<' };
const out = [];
for (const line of lines.slice(1, n + 1)) {
  const waiting = [];
  let verdict = 'OK';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if ('([{<'.includes(c)) {
      waiting.push(c);
    } else if (c in partner) {
      if (waiting.pop() !== partner[c]) {
        verdict = i + 1;
        break;
      }
    }
  }
  if (verdict === 'OK' && waiting.length > 0) verdict = line.length + 1;
  out.push(String(verdict));
}
console.log(out.join('\n'));
