const [time, minutes] = require('fs').readFileSync(0, 'utf8').split('\n');
const [hh, mm] = time.split(':').map(Number);
const total = (((hh * 60 + mm + Number(minutes)) % 1440) + 1440) % 1440;
const pad = (x) => String(x).padStart(2, '0');
console.log(`${pad(Math.floor(total / 60))}:${pad(total % 60)}`);
