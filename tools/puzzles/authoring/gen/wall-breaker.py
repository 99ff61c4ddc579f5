"""Cases of data/puzzles/wall-breaker, with brute(): an independent solution the outputs must match."""
import random
def mk(rows, k): return f"{len(rows)} {len(rows[0])} {k}\n" + "".join(r + "\n" for r in rows)
def brute(inp):
    # Bellman-Ford style relaxation over (cell, used) until stable
    t = inp.split(); h, w, k = map(int, t[:3]); g = t[3:]
    if h * w > 400: return None
    INF = 10**9
    d = {}
    for r in range(h):
        for c in range(w):
            for u in range(k + 1): d[(r, c, u)] = INF
    s = next((r, c) for r in range(h) for c in range(w) if g[r][c] == "S")
    d[(s[0], s[1], 0)] = 0
    changed = True
    while changed:
        changed = False
        for (r, c, u), v in list(d.items()):
            if v == INF: continue
            for nr, nc in ((r+1,c),(r-1,c),(r,c+1),(r,c-1)):
                if 0 <= nr < h and 0 <= nc < w:
                    nu = u + (g[nr][nc] == "#")
                    if nu <= k and v + 1 < d[(nr, nc, nu)]: d[(nr, nc, nu)] = v + 1; changed = True
    tt = next((r, c) for r in range(h) for c in range(w) if g[r][c] == "T")
    best = min(d[(tt[0], tt[1], u)] for u in range(k + 1))
    return str(-1 if best == INF else best)
def board(r, h, w, p, s, t):
    g = [["#" if r.random() < p else "." for _ in range(w)] for _ in range(h)]
    g[s[0]][s[1]] = "S"; g[t[0]][t[1]] = "T"
    return ["".join(x) for x in g]
def bfs(rows, k):
    from collections import deque
    h, w = len(rows), len(rows[0])
    s = next((r, c) for r in range(h) for c in range(w) if rows[r][c] == "S")
    seen = {(s[0], s[1], 0)}; q = deque([(s[0], s[1], 0, 0)])
    while q:
        r, c, u, d = q.popleft()
        if rows[r][c] == "T": return d
        for nr, nc in ((r+1,c),(r-1,c),(r,c+1),(r,c-1)):
            if 0 <= nr < h and 0 <= nc < w:
                nu = u + (rows[nr][nc] == "#")
                if nu <= k and (nr, nc, nu) not in seen: seen.add((nr, nc, nu)); q.append((nr, nc, nu, d + 1))
    return -1
def interesting(r, h, w, p, s, t, k):
    while True:
        b = board(r, h, w, p, s, t)
        with_k, fewer = bfs(b, k), bfs(b, k - 1)
        if with_k >= 0 and (fewer < 0 or fewer > with_k): return b
def cases():
    r = random.Random(22)
    return [
        ("sample-one-wall", True, mk(["S#T", ".#.", "..."], 1)),
        ("sample-no-charge", True, mk(["S#T", ".#.", ".#."], 0)),
        ("sample-two-walls", True, mk(["S.#....", "###.##.", "...#..T"], 2)),
        ("adjacent", False, mk(["ST"], 0)),
        ("walled-in", False, mk(["S##T"], 1)),
        ("exactly-enough", False, mk(["S#####T"], 5)),
        ("detour-or-drill", False, mk(["S#.", "..#", "#.T"], 1)),
        ("spare-charges", False, mk(["S....", ".###.", ".#T#.", ".###.", "....."], 5)),
        ("random-20", False, mk(interesting(r, 20, 20, 0.4, (0, 0), (19, 19), 2), 2)),
        ("dense-40", False, mk(interesting(r, 40, 40, 0.47, (0, 0), (39, 39), 5), 5)),
        ("dense-40-k1", False, mk(interesting(r, 40, 40, 0.36, (39, 0), (0, 39), 1), 1)),
        ("dense-40-k5-unreachable", False, mk(board(r, 40, 40, 0.7, (0, 0), (39, 39)), 5)),
        ("open-40", False, mk(board(r, 40, 40, 0.0, (0, 0), (39, 39)), 0)),
    ]
