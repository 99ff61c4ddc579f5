"""Cases of data/puzzles/spiral-order (no brute(): the three reference solutions are written independently)."""
import random, string
def mk(rows): return f"{len(rows)} {len(rows[0])}\n" + "".join(r + "\n" for r in rows)
def cases():
    r = random.Random(11)
    al = string.ascii_letters + string.digits
    rnd = lambda h, w: ["".join(r.choice(al) for _ in range(w)) for _ in range(h)]
    return [
        ("sample-3x3", True, mk(["abc", "def", "ghi"])),
        ("sample-2x4", True, mk(["1234", "5678"])),
        ("sample-column", True, mk(["w", "x", "y", "z"])),
        ("one-cell", False, mk(["Q"])),
        ("one-row", False, mk(["abcdefg"])),
        ("two-columns", False, mk(["ab", "cd", "ef", "gh", "ij"])),
        ("wide-3", False, mk(["abcdefghij", "klmnopqrst", "uvwxyzABCD"])),
        ("square-4", False, mk(["abcd", "efgh", "ijkl", "mnop"])),
        ("tall-odd", False, mk(rnd(7, 3))),
        ("max-random", False, mk(rnd(50, 50))),
        ("max-rectangle", False, mk(rnd(50, 13))),
    ]
