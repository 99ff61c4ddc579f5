const line = require('fs').readFileSync(0, 'utf8').split('\n')[0];
let best = '';
for (const w of line.match(/[A-Za-z]+/g)) if (w.length > best.length) best = w;
console.log(best);
