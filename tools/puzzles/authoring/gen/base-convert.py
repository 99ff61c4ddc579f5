"""Cases of data/puzzles/base-convert, with brute(): an independent solution the outputs must match."""
import random
D = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
def enc(v, b):
    if v == 0: return "0"
    s = ""
    while v: s = D[v % b] + s; v //= b
    return s
def brute(inp):
    lines = inp.split("\n"); out = []
    for line in lines[1:int(lines[0]) + 1]:
        b1, b2, x = line.split(); b1, b2 = int(b1), int(b2)
        v = sum(D.index(c) * b1 ** i for i, c in enumerate(reversed(x)))
        assert v <= 10**15 and enc(v, b1) == x
        out.append(enc(v, b2))
    return "\n".join(out)
def mk(rows): return f"{len(rows)}\n" + "".join(f"{b1} {b2} {x}\n" for b1, b2, x in rows)
def row(b1, b2, v): return (b1, b2, enc(v, b1))
def cases():
    r = random.Random(15)
    return [
        ("sample-common", True, mk([(10, 2, "255"), (2, 10, "101"), (16, 10, "FF")])),
        ("sample-letters", True, mk([(10, 16, "48879"), (36, 10, "Z")])),
        ("sample-edges", True, mk([(7, 7, "0"), (10, 36, "1295")])),
        ("zero-everywhere", False, mk([(2, 36, "0"), (36, 2, "0"), (10, 10, "0")])),
        ("same-base", False, mk([(36, 36, "HELLO"), (2, 2, "1011")])),
        ("max-value", False, mk([row(10, 2, 10**15), row(10, 36, 10**15), row(36, 10, 10**15), row(2, 16, 10**15)])),
        ("powers", False, mk([row(10, b, b ** 5) for b in (2, 3, 7, 16, 35, 36)])),
        ("one-digit", False, mk([row(b, 10, b - 1) for b in range(2, 37)])),
        ("random-50", False, mk([row(r.randint(2, 36), r.randint(2, 36), r.randint(0, 10**r.randint(1, 15))) for _ in range(50)])),
    ]
