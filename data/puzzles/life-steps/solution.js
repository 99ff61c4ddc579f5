const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean);
const [h, w, k] = tokens.slice(0, 3).map(Number);
let g = tokens.slice(3, 3 + h).map((row) => [...row].map((ch) => (ch === '#' ? 1 : 0)));
const at = (r, c) => (r >= 0 && r < h && c >= 0 && c < w ? g[r][c] : 0);
for (let step = 0; step < k; step++) {
  g = g.map((row, r) => row.map((live, c) => {
    let n = -live;
    for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) n += at(r + dr, c + dc);
    return n === 3 || (n === 2 && live) ? 1 : 0;
  }));
}
console.log(g.map((row) => row.map((x) => (x ? '#' : '.')).join('')).join('\n'));
