"""Cases of data/puzzles/knight-moves, with brute(): an independent solution the outputs must match."""
import random
def mk(rows): return f"{len(rows)} {len(rows[0])}\n" + "".join(r + "\n" for r in rows)
def brute(inp):
    t = inp.split(); h, w = int(t[0]), int(t[1]); g = t[2:]
    if h * w > 900: return None
    INF = 10**9
    d = {(r, c): (0 if g[r][c] == "S" else INF) for r in range(h) for c in range(w) if g[r][c] != "#"}
    changed = True
    while changed:
        changed = False
        for (r, c), v in list(d.items()):
            for dr in (-2, -1, 1, 2):
                for dc in (-2, -1, 1, 2):
                    if abs(dr) != abs(dc) and (r + dr, c + dc) in d and d[(r + dr, c + dc)] + 1 < d[(r, c)]:
                        d[(r, c)] = d[(r + dr, c + dc)] + 1; changed = True
    tv = next(v for (r, c), v in d.items() if g[r][c] == "T")
    return str(-1 if tv >= INF else tv)
def board(h, w, walls, r, s=None, t=None):
    g = [["#" if r.random() < walls else "." for _ in range(w)] for _ in range(h)]
    s = s or (r.randrange(h), r.randrange(w))
    while True:
        t2 = t or (r.randrange(h), r.randrange(w))
        if t2 != s: break
    g[s[0]][s[1]] = "S"; g[t2[0]][t2[1]] = "T"
    return ["".join(x) for x in g]
def cases():
    r = random.Random(16)
    return [
        ("sample-open-5x5", True, mk(["S....", ".....", ".....", ".....", "....T"])),
        ("sample-unreachable-centre", True, mk(["S..", ".T.", "..."])),
        ("sample-walls", True, mk(["S.#.", "#..#", ".#.T", "...."])),
        ("one-move", False, mk(["S..", "..T"])),
        ("one-row", False, mk(["S.....T"])),
        ("adjacent-cells", False, mk(["ST..", "....", "....", "...."])),
        ("blocked-in", False, mk(["S.#..", "..#..", "##...", ".....", "....T"])),
        ("jump-over-walls", False, mk(["S##", "###", "#T#"])),
        ("random-30", False, mk(board(30, 30, 0.3, r))),
        ("open-60", False, mk(board(60, 60, 0.0, r, (0, 0), (59, 59)))),
        ("maze-60", False, mk(board(60, 60, 0.45, r, (0, 0), (59, 58)))),
    ]
