"""Cases of data/puzzles/digit-root-chain, with brute(): an independent solution the outputs must match."""
import random
def mk(ns): return f"{len(ns)}\n" + "".join(f"{n}\n" for n in ns)
def brute(inp):
    t, *ns = inp.split()
    out = []
    for n in ns:
        v = int(n); ch = [str(v)]
        while v >= 10:
            v = sum(int(d) for d in str(v)); ch.append(str(v))
        out.append(" -> ".join(ch))
    return "\n".join(out)
def cases():
    r = random.Random(2)
    big = [str(r.randint(1, 9)) + "".join(str(r.randint(0, 9)) for _ in range(r.randint(0, 99))) for _ in range(20)]
    return [
        ("sample-mixed", True, mk([9875, 7, 1999])),
        ("sample-zero-and-ten", True, mk([0, 10, 99])),
        ("sample-long", True, mk(["99999999999999999999999999"])),
        ("single-digits", False, mk(range(10))),
        ("powers-of-ten", False, mk([10, 100, 1000000, 10**99])),
        ("nines-100", False, mk(["9" * 100, "9" * 99 + "8"])),
        ("three-steps", False, mk([199, 19999999999, 9999999999999999999999])),
        ("beyond-64-bit", False, mk([2**64, 2**64 - 1, 10**20 + 7])),
        ("random-max", False, mk(big)),
    ]
