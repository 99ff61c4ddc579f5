const [ins, del, rep, a, b] = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean)
  .map((x, i) => (i < 3 ? Number(x) : x));
const n = a.length;
const m = b.length;
// memoized recursion over suffixes, bottom-up: best[i][j] turns a[i..] into b[j..]
const best = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
for (let i = n; i >= 0; i--) {
  for (let j = m; j >= 0; j--) {
    if (i === n) best[i][j] = (m - j) * ins;
    else if (j === m) best[i][j] = (n - i) * del;
    else {
      best[i][j] = Math.min(
        best[i + 1][j + 1] + (a[i] === b[j] ? 0 : rep),
        best[i + 1][j] + del,
        best[i][j + 1] + ins,
      );
    }
  }
}
console.log(best[0][0]);
