"""Cases of data/puzzles/coin-greedy, with brute(): an independent solution the outputs must match."""
def brute(inp):
    # true minimum by DP, then the multiset listed largest first
    a = int(inp); vals = [200, 100, 50, 20, 10, 5, 2, 1]
    INF = 10**9; best = [0] + [INF] * a; pick = [0] * (a + 1)
    for x in range(1, a + 1):
        for v in vals:
            if v <= x and best[x - v] + 1 < best[x]: best[x] = best[x - v] + 1; pick[x] = v
    out = []
    while a: out.append(pick[a]); a -= pick[a]
    return " ".join(map(str, sorted(out, reverse=True)))
def cases():
    return [
        ("sample-37", True, "37\n"),
        ("sample-4", True, "4\n"),
        ("sample-every-coin", True, "388\n"),
        ("one-cent", False, "1\n"),
        ("three", False, "3\n"),
        ("just-under-two-euro", False, "199\n"),
        ("exact-coin", False, "50\n"),
        ("ninety-nine", False, "99\n"),
        ("largest", False, "10000\n"),
        ("odd-large", False, "9999\n"),
    ]
