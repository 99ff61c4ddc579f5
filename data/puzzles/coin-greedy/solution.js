let a = Number(require('fs').readFileSync(0, 'utf8').trim());
const coins = [];
for (const value of [200, 100, 50, 20, 10, 5, 2, 1]) {
  while (a >= value) {
    coins.push(value);
    a -= value;
  }
}
console.log(coins.join(' '));
