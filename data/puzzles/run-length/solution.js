const s = require('fs').readFileSync(0, 'utf8').trim();
console.log(s.replace(/([a-z])\1*/g, (run, c) => (run.length > 1 ? run.length : '') + c));
