const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const out = [];
for (let n = a; n <= b; n++) out.push(n % 7 === 0 || String(n).includes('7') ? 'CLAP' : String(n));
console.log(out.join('\n'));
