"""Cases of data/puzzles/popcount-sort, with brute(): an independent solution the outputs must match."""
import random
def mk(xs): return f"{len(xs)}\n" + " ".join(map(str, xs)) + "\n"
def brute(inp):
    xs = list(map(int, inp.split()))[1:]
    groups = {}
    for x in xs: groups.setdefault(format(x, "b").count("1"), []).append(x)
    return " ".join(" ".join(map(str, sorted(groups[k]))) for k in sorted(groups))
def cases():
    r = random.Random(13)
    return [
        ("sample-one-to-eight", True, mk([1, 2, 3, 4, 5, 6, 7, 8])),
        ("sample-mixed", True, mk([0, 15, 16, 17, 3])),
        ("sample-duplicates", True, mk([10, 10, 9, 12, 1])),
        ("single", False, mk([7])),
        ("zeros", False, mk([0, 0, 0])),
        ("powers-of-two", False, mk([2**k for k in range(29, -1, -1)])),
        ("all-ones-patterns", False, mk([2**k - 1 for k in range(29, 0, -1)] + [10**9])),
        ("largest", False, mk([10**9, 10**9 - 1, 2**29, 2**29 - 1, 10**9 - 2])),
        ("already-sorted", False, mk([1, 2, 4, 3, 5, 6, 7])),
        ("random-1000", False, mk([r.randint(0, 10**9) for _ in range(1000)])),
    ]
