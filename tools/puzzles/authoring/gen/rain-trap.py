"""Cases of data/puzzles/rain-trap, with brute(): an independent solution the outputs must match."""
import random
def mk(hs): return f"{len(hs)}\n" + " ".join(map(str, hs)) + "\n"
def brute(inp):
    t = list(map(int, inp.split())); h = t[1:]
    if len(h) > 2000: return None
    return str(sum(max(0, min(max(h[:i+1]), max(h[i:])) - h[i]) for i in range(len(h))))
def cases():
    r = random.Random(20)
    return [
        ("sample-classic", True, mk([0, 1, 0, 2, 1, 0, 1, 3, 2, 1, 2, 1])),
        ("sample-valley", True, mk([5, 1, 3, 0, 4])),
        ("single", False, mk([7])),
        ("flat", False, mk([3, 3, 3, 3])),
        ("increasing", False, mk(list(range(20)))),
        ("pyramid", False, mk(list(range(10)) + list(range(10, -1, -1)))),
        ("two-walls", False, mk([10000] + [0] * 9998 + [10000])),
        ("v-shape", False, mk(list(range(100, -1, -1)) + list(range(1, 51)))),
        ("random-small", False, mk([r.randint(0, 20) for _ in range(2000)])),
        ("random-max", False, mk([r.randint(0, 10000) for _ in range(10000)])),
        ("equal-plateaus", False, mk([4, 0, 4, 0, 0, 4, 2, 2, 4])),
    ]
