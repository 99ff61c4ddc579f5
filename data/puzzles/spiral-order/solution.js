const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean);
const [h, w] = [Number(tokens[0]), Number(tokens[1])];
const grid = tokens.slice(2, 2 + h);
const seen = Array.from({ length: h }, () => new Array(w).fill(false));
const dirs = [[0, 1], [1, 0], [0, -1], [-1, 0]];
let r = 0, c = 0, d = 0, out = '';
for (let k = 0; k < h * w; k++) {
  out += grid[r][c];
  seen[r][c] = true;
  const [nr, nc] = [r + dirs[d][0], c + dirs[d][1]];
  if (nr < 0 || nr >= h || nc < 0 || nc >= w || seen[nr][nc]) d = (d + 1) % 4;
  r += dirs[d][0];
  c += dirs[d][1];
}
console.log(out);
