"""Cases of data/puzzles/stair-ways, with brute(): an independent solution the outputs must match."""
import random
def mk(n, steps, broken): return f"{n} {len(steps)}\n" + " ".join(map(str, steps)) + "\n" + " ".join(map(str, [len(broken)] + list(broken))) + "\n"
def brute(inp):
    t = list(map(int, inp.split())); n, k = t[0], t[1]; steps = t[2:2+k]; broken = set(t[3+k:])
    if n > 40: return None
    def count(i):  # plain recursion, exponential but fine for tiny n
        if i == n: return 1
        return sum(count(i + s) for s in steps if i + s <= n and i + s not in broken)
    return str(count(0) % 1000000007)
def cases():
    r = random.Random(18)
    big_broken = sorted(r.sample(range(1, 10000), 1000))
    return [
        ("sample-one-two", True, mk(4, [1, 2], [])),
        ("sample-broken", True, mk(7, [2, 3], [4])),
        ("sample-impossible", True, mk(5, [2, 4], [])),
        ("one-stair", False, mk(1, [1], [])),
        ("step-too-big", False, mk(3, [5, 100], [])),
        ("all-broken-but-jumps", False, mk(10, [1, 5], [1, 2, 3, 4, 6, 7, 8, 9])),
        ("wall-of-broken", False, mk(30, [1, 2, 3], list(range(10, 14)))),
        ("fibonacci-mod", False, mk(10000, [1, 2], [])),
        ("ten-steps", False, mk(10000, list(range(1, 11)), [])),
        ("random-broken", False, mk(10000, sorted(r.sample(range(1, 101), 10)), big_broken)),
        ("small-random", False, mk(35, [1, 3, 4], [5, 17, 22, 30])),
    ]
