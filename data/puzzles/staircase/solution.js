const [n, w] = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const rows = [];
for (let i = 1; i <= n; i++) rows.push(' '.repeat((n - i) * w) + '#'.repeat(i * w));
console.log(rows.join('\n'));
