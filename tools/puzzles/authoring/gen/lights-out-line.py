"""Cases of data/puzzles/lights-out-line, with brute(): an independent solution the outputs must match."""
import random
def mk(ls): return f"{len(ls)}\n" + "".join(l + "\n" for l in ls)
def brute(inp):
    t = inp.split(); out = []
    for lamps in t[1:]:
        n = len(lamps)
        if n > 14: return None
        target = int(lamps[::-1], 2); best = None
        for sub in range(1 << n):
            x = 0
            for i in range(n):
                if sub >> i & 1: x ^= (7 << i >> 1) & ((1 << n) - 1)
            if x == target:
                c = bin(sub).count("1"); best = c if best is None else min(best, c)
        out.append(str(-1 if best is None else best))
    return "\n".join(out)
def cases():
    r = random.Random(25)
    rnd = lambda n: "".join(r.choice("01") for _ in range(n))
    small = ["".join(x) for x in [format(i, "b").zfill(4) for i in range(16)]]
    return [
        ("sample-mixed", True, mk(["111", "010", "10", "0"])),
        ("sample-longer", True, mk(["11011", "1001"])),
        ("single-lamp", False, mk(["0", "1"])),
        ("two-lamps", False, mk(["00", "01", "10", "11"])),
        ("all-four", False, mk(small)),
        ("small-random", False, mk([rnd(r.randint(5, 14)) for _ in range(20)])),
        ("all-on-long", False, mk(["1" * n for n in (998, 999, 1000)])),
        ("all-off-long", False, mk(["0" * 1000])),
        ("random-long", False, mk([rnd(1000) for _ in range(20)])),
        ("one-on-long", False, mk(["0" * 500 + "1" + "0" * 499, "1" + "0" * 999, "0" * 999 + "1"])),
    ]
