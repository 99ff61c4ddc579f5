"""Cases of data/puzzles/life-steps (no brute(): the three reference solutions are written independently)."""
import random
def mk(rows, k): return f"{len(rows)} {len(rows[0])} {k}\n" + "".join(r + "\n" for r in rows)
def cases():
    r = random.Random(19)
    rnd = lambda h, w, p: ["".join("#" if r.random() < p else "." for _ in range(w)) for _ in range(h)]
    glider = [".#........", "..#.......", "###.......", "..........", "..........", "..........", "..........", ".........."]
    return [
        ("sample-blinker", True, mk([".....", "..#..", "..#..", "..#..", "....."], 1)),
        ("sample-glider", True, mk(glider, 4)),
        ("sample-block-and-lonely", True, mk(["##..", "##..", "....", "...#"], 3)),
        ("zero-generations", False, mk(["#.#", ".#.", "#.#"], 0)),
        ("one-cell", False, mk(["#"], 1)),
        ("glider-hits-wall", False, mk(glider, 50)),
        ("edge-blinker", False, mk(["#..", "#..", "#.."], 5)),
        ("full-box", False, mk(["#" * 20] * 20, 7)),
        ("random-max", False, mk(rnd(20, 20, 0.35), 50)),
        ("random-thin", False, mk(rnd(1, 20, 0.6) , 3)),
        ("random-dense", False, mk(rnd(13, 17, 0.5), 25)),
    ]
