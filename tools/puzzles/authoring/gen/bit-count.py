"""Cases of data/puzzles/bit-count, with brute(): an independent solution the outputs must match."""
import random
def mk(xs): return f"{len(xs)}\n" + " ".join(map(str, xs)) + "\n"
def brute(inp):
    t = inp.split(); out = []
    for x in map(int, t[1:]):
        b = ""; y = x; ones = 0
        while True:
            b = str(y % 2) + b; ones += y % 2; y //= 2
            if y == 0: break
        out.append(f"{b} {ones}")
    return "\n".join(out)
def cases():
    r = random.Random(5)
    return [
        ("sample-small", True, mk([0, 1, 5, 8, 255])),
        ("sample-powers", True, mk([6, 7, 1024])),
        ("sample-large", True, mk([1000000000000, 3])),
        ("zero-only", False, mk([0])),
        ("one-only", False, mk([1])),
        ("limit", False, mk([10**12, 2**39, 2**39 - 1])),
        ("around-2-31", False, mk([2**31 - 1, 2**31, 2**31 + 1, 2**32 - 1, 2**32])),
        ("repeated", False, mk([42] * 5)),
        ("random-100", False, mk([r.randint(0, 10**12) for _ in range(100)])),
    ]
