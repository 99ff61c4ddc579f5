let [s, n] = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/);
for (let i = 0; i < Number(n); i++) s = s.replace(/(\d)\1*/g, (run, d) => run.length + d);
console.log(s);
