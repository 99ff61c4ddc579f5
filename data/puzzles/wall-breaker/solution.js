const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean);
const [h, w, k] = tokens.slice(0, 3).map(Number);
const grid = tokens.slice(3, 3 + h).join('');
// layered BFS over states cell * (k + 1) + used
const seen = new Uint8Array(h * w * (k + 1));
const start = grid.indexOf('S');
let layer = [start * (k + 1)];
seen[layer[0]] = 1;
let steps = 0;
let answer = -1;
while (layer.length > 0 && answer < 0) {
  const next = [];
  for (const state of layer) {
    const cell = Math.floor(state / (k + 1));
    const used = state % (k + 1);
    if (grid[cell] === 'T') {
      answer = steps;
      break;
    }
    const r = Math.floor(cell / w);
    const c = cell % w;
    for (const [nr, nc] of [[r + 1, c], [r - 1, c], [r, c + 1], [r, c - 1]]) {
      if (nr < 0 || nr >= h || nc < 0 || nc >= w) continue;
      const ncell = nr * w + nc;
      const nu = used + (grid[ncell] === '#' ? 1 : 0);
      const id = ncell * (k + 1) + nu;
      if (nu > k || seen[id]) continue;
      seen[id] = 1;
      next.push(id);
    }
  }
  layer = next;
  if (answer < 0) steps++;
}
console.log(answer);
