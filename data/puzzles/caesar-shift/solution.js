const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const k = ((Number(lines[0]) % 26) + 26) % 26;
const shift = (c, base) => String.fromCharCode(((c.charCodeAt(0) - base + k) % 26) + base);
console.log(lines[1].replace(/[a-z]/g, (c) => shift(c, 97)).replace(/[A-Z]/g, (c) => shift(c, 65)));
