"""Cases of data/puzzles/tile-3xn, with brute(): an independent solution the outputs must match."""
import random
def brute(inp):
    # transfer matrix over column profiles, raised by repeated squaring: another method again
    t = list(map(int, inp.split()))[1:]
    MOD = 10**9 + 7
    M = [[0] * 8 for _ in range(8)]
    def fill(row, mask, nxt):
        if row == 3: M[mask][nxt] += 1; return
        if mask >> row & 1: fill(row + 1, mask, nxt); return
        fill(row + 1, mask, nxt | 1 << row)
        if row < 2 and not mask >> (row + 1) & 1: fill(row + 2, mask, nxt)
    for m in range(8): fill(0, m, 0)
    def mul(A, B): return [[sum(A[i][k] * B[k][j] for k in range(8)) % MOD for j in range(8)] for i in range(8)]
    out = []
    for n in t:
        R = [[int(i == j) for j in range(8)] for i in range(8)]; P = M; e = n
        while e:
            if e & 1: R = mul(R, P)
            P = mul(P, P); e >>= 1
        out.append(str(R[0][0]))
    return "\n".join(out)
def mk(ns): return f"{len(ns)}\n" + "".join(f"{n}\n" for n in ns)
def cases():
    r = random.Random(27)
    return [
        ("sample-small", True, mk([2, 8, 1])),
        ("sample-more", True, mk([4, 12])),
        ("one", False, mk([1])),
        ("odd-only", False, mk([3, 5, 99999, 100000 - 1])),
        ("first-twenty", False, mk(list(range(1, 21)))),
        ("largest", False, mk([100000])),
        ("around-wrap", False, mk([30, 32, 34, 36, 38, 40])),
        ("random-20", False, mk([r.randint(1, 100000) for _ in range(20)])),
        ("random-even", False, mk([2 * r.randint(1, 50000) for _ in range(20)])),
    ]
