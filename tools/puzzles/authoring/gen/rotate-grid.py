"""Cases of data/puzzles/rotate-grid, with brute(): an independent solution the outputs must match."""
import random, string
def mk(rows): return f"{len(rows)} {len(rows[0])}\n" + "".join(r + "\n" for r in rows)
def brute(inp):
    t = inp.split(); h, w = int(t[0]), int(t[1]); g = t[2:]
    out = [[None] * h for _ in range(w)]
    for r in range(h):
        for c in range(w):
            out[c][h - 1 - r] = g[r][c]
    return "\n".join("".join(x) for x in out)
def cases():
    r = random.Random(8)
    al = string.ascii_letters + string.digits + ".#"
    rnd = lambda h, w, a=al: ["".join(r.choice(a) for _ in range(w)) for _ in range(h)]
    return [
        ("sample-letters", True, mk(["abc", "def"])),
        ("sample-column", True, mk(["1", "2", "3"])),
        ("sample-shape", True, mk(["#..", "###", "..#", "..#"])),
        ("one-cell", False, mk(["x"])),
        ("one-row", False, mk(["abcdefghij"])),
        ("square", False, mk(["12", "34"])),
        ("arrow", False, mk(["..#..", ".###.", "#####", "..#..", "..#.."])),
        ("tall-thin", False, mk(rnd(50, 2))),
        ("max-random", False, mk(rnd(50, 50))),
        ("wide-random", False, mk(rnd(7, 50, ".#"))),
    ]
