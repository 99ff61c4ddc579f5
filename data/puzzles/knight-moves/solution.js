const tokens = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter(Boolean);
const [h, w] = [Number(tokens[0]), Number(tokens[1])];
const grid = tokens.slice(2, 2 + h).join('');
const dist = new Array(h * w).fill(-1);
const start = grid.indexOf('S');
dist[start] = 0;
let frontier = [start];
const jumps = [[1, 2], [2, 1], [2, -1], [1, -2], [-1, -2], [-2, -1], [-2, 1], [-1, 2]];
let answer = -1;
while (frontier.length > 0 && answer < 0) {
  const next = [];
  for (const cell of frontier) {
    if (grid[cell] === 'T') answer = dist[cell];
    const [r, c] = [Math.floor(cell / w), cell % w];
    for (const [dr, dc] of jumps) {
      const [nr, nc] = [r + dr, c + dc];
      const id = nr * w + nc;
      if (nr < 0 || nr >= h || nc < 0 || nc >= w || grid[id] === '#' || dist[id] >= 0) continue;
      dist[id] = dist[cell] + 1;
      next.push(id);
    }
  }
  frontier = next;
}
console.log(answer);
