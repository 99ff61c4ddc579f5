"""Cases of data/puzzles/bus-meet, with brute(): an independent solution the outputs must match."""
import random, math
def mk(ps): return f"{len(ps)}\n" + " ".join(map(str, ps)) + "\n"
def brute(inp):
    t = list(map(int, inp.split()))[1:]
    # the smallest multiple of max(t) divisible by all (only for small answers), else lcm via factorization
    f = {}
    for p in t:
        q = p; d = 2
        while d * d <= q:
            while q % d == 0:
                c = 0
                while q % d == 0: q //= d; c += 1
                f[d] = max(f.get(d, 0), c)
            d += 1
        if q > 1: f[q] = max(f.get(q, 0), 1)
    ans = 1
    for k, v in f.items(): ans *= k ** v
    assert ans <= 10**15
    return str(ans)
def cases():
    r = random.Random(9)
    rnd = []
    while len(rnd) < 10:
        cand = rnd + [r.randint(1, 1000)]
        if math.lcm(*cand) <= 10**15: rnd = cand
    return [
        ("sample-two", True, mk([4, 6])),
        ("sample-primes", True, mk([3, 5, 7])),
        ("sample-divisors", True, mk([2, 4, 8])),
        ("one-bus", False, mk([17])),
        ("one-minute-loops", False, mk([1, 1, 1])),
        ("same-period", False, mk([360] * 10)),
        ("large-primes", False, mk([997, 991, 983, 977, 971])),
        ("prime-powers", False, mk([512, 729, 625, 343])),
        ("ten-buses", False, mk([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])),
        ("random", False, mk(rnd)),
    ]
