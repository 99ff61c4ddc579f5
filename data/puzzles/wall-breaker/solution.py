from collections import deque

tokens = open(0).read().split()
h, w, k = map(int, tokens[:3])
grid = tokens[3:3 + h]
start = next((r, c) for r in range(h) for c in range(w) if grid[r][c] == "S")
# state: (row, col, charges used); BFS by steps
seen = {(start[0], start[1], 0)}
queue = deque([(start[0], start[1], 0, 0)])
answer = -1
while queue:
    r, c, used, steps = queue.popleft()
    if grid[r][c] == "T":
        answer = steps
        break
    for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
        if 0 <= nr < h and 0 <= nc < w:
            nu = used + (grid[nr][nc] == "#")
            if nu <= k and (nr, nc, nu) not in seen:
                seen.add((nr, nc, nu))
                queue.append((nr, nc, nu, steps + 1))
print(answer)
