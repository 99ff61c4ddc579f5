"""Cases of data/puzzles/interval-merge, with brute(): an independent solution the outputs must match."""
import random
def mk(iv): return f"{len(iv)}\n" + "".join(f"{a} {b}\n" for a, b in iv)
def brute(inp):
    t = list(map(int, inp.split())); n = t[0]
    iv = [[t[1+2*i], t[2+2*i]] for i in range(n)]
    # union-find on pairs that share a point, then each component's min/max
    parent = list(range(n))
    def f(x):
        while parent[x] != x: parent[x] = parent[parent[x]]; x = parent[x]
        return x
    if n <= 300:
        for i in range(n):
            for j in range(i):
                if max(iv[i][0], iv[j][0]) <= min(iv[i][1], iv[j][1]): parent[f(i)] = f(j)
    else:
        return None
    comp = {}
    for i in range(n):
        c = comp.setdefault(f(i), [iv[i][0], iv[i][1]]); c[0] = min(c[0], iv[i][0]); c[1] = max(c[1], iv[i][1])
    return "\n".join(f"{a} {b}" for a, b in sorted(comp.values()))
def cases():
    r = random.Random(14)
    def rnd(n, lo, hi, maxlen):
        out = []
        for _ in range(n):
            a = r.randint(lo, hi); out.append((a, min(hi, a + r.randint(0, maxlen))))
        return out
    return [
        ("sample-basic", True, mk([(1, 3), (2, 6), (8, 10), (15, 18)])),
        ("sample-touching", True, mk([(5, 7), (1, 5), (8, 9)])),
        ("sample-contained", True, mk([(-5, -1), (0, 0), (-10, 20)])),
        ("single", False, mk([(4, 4)])),
        ("identical", False, mk([(2, 9)] * 5)),
        ("chain-of-touches", False, mk([(i, i + 1) for i in range(10, 0, -1)])),
        ("adjacent-not-touching", False, mk([(i, i) for i in range(10, 0, -1)])),
        ("extremes", False, mk([(-10**9, 0), (1, 10**9), (0, 0), (10**9, 10**9)])),
        ("nested", False, mk([(1, 100), (2, 99), (3, 50), (60, 70), (101, 200)])),
        ("random-300", False, mk(rnd(300, -10000, 10000, 60))),
        ("random-2000", False, mk(rnd(2000, -10**9, 10**9, 10**6))),
    ]
