"""Cases of data/puzzles/histogram-rectangle, with brute(): an independent solution the outputs must match."""
import random
def mk(hs): return f"{len(hs)}\n" + " ".join(map(str, hs)) + "\n"
def brute(inp):
    t = list(map(int, inp.split())); h = t[1:]
    if len(h) > 1500: return None
    best = 0
    for i in range(len(h)):
        m = h[i]
        for j in range(i, len(h)):
            m = min(m, h[j]); best = max(best, m * (j - i + 1))
    return str(best)
def cases():
    r = random.Random(24)
    return [
        ("sample-classic", True, mk([2, 1, 5, 6, 2, 3])),
        ("sample-flat-wins", True, mk([3, 3, 3, 3, 9])),
        ("single", False, mk([7])),
        ("single-zero", False, mk([0])),
        ("all-zero", False, mk([0] * 10)),
        ("increasing", False, mk(list(range(1, 1001)))),
        ("decreasing", False, mk(list(range(1000, 0, -1)))),
        ("valley", False, mk([5, 4, 3, 2, 1, 2, 3, 4, 5])),
        ("equal-max", False, mk([100000] * 8000)),
        ("spikes", False, mk([100000 if i % 2 else 1 for i in range(1500)])),
        ("random-small", False, mk([r.randint(0, 50) for _ in range(1500)])),
        ("random-max", False, mk([r.randint(0, 100000) for _ in range(8000)])),
    ]
