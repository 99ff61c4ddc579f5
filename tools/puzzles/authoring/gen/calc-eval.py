"""Cases of data/puzzles/calc-eval, with brute(): an independent solution the outputs must match."""
import random, re
def brute(inp):
    lines = inp.split("\n")
    return "\n".join(str(eval(l)) for l in lines[1:int(lines[0]) + 1])
def check(expr):
    # evaluate tracking every partial result; also max paren depth
    toks = re.findall(r"\d+|[-+*()]", expr); pos = 0; worst = 0
    def note(v):
        nonlocal worst; worst = max(worst, abs(v)); return v
    def E():
        nonlocal pos
        s = 1
        if pos < len(toks) and toks[pos] == "-": pos += 1; s = -1
        v = note(s * T())
        while pos < len(toks) and toks[pos] in "+-":
            op = toks[pos]; pos += 1; t = T(); v = note(v + t if op == "+" else v - t)
        return v
    def T():
        nonlocal pos
        v = F()
        while pos < len(toks) and toks[pos] == "*": pos += 1; v = note(v * F())
        return v
    def F():
        nonlocal pos
        t = toks[pos]; pos += 1
        if t == "(":
            v = E(); pos += 1; return note(v)
        return note(int(t))
    v = E(); assert pos == len(toks) and v == eval(expr)
    depth = maxd = 0
    for c in expr:
        depth += c == "("; depth -= c == ")"; maxd = max(maxd, depth)
    return worst <= 10**15 and maxd <= 30 and len(expr) <= 200
def gen(r, depth=0, big=False):
    parts = []
    if r.random() < 0.25: parts.append("-")
    for i in range(r.randint(1, 4 if depth < 3 else 2)):
        if i: parts.append(r.choice("+-"))
        for j in range(r.randint(1, 3)):
            if j: parts.append("*")
            if depth < 6 and r.random() < 0.3: parts += ["("] + gen(r, depth + 1, big) + [")"]
            else: parts.append(str(r.randint(0, 10**r.randint(0, 6 if big else 3))))
    return parts
def spaced(r, parts, p): return "".join(t + (" " if r.random() < p else "") for t in parts).strip(" ")
def rand_exprs(r, n, p, big=False):
    out = []
    while len(out) < n:
        e = spaced(r, gen(r, 0, big), p)
        if check(e): out.append(e)
    return out
def mk(es): return f"{len(es)}\n" + "".join(e + "\n" for e in es)
def cases():
    r = random.Random(21)
    deep = "(" * 30 + "1+2" + ")" * 30 + "*" + "(" * 29 + "-3" + ")" * 29
    assert check(deep)
    chain = "1000" + "-1" * 98
    return [
        ("sample-precedence", True, mk(["1 + 2 * 3", "(1 + 2) * 3", "10 - 4 - 3"])),
        ("sample-unary-minus", True, mk(["-(2+3)*4", "7*(-2)-(-3)"])),
        ("sample-big-and-nested", True, mk(["1000000 * 1000000 * 1000", "((8))-(((9)))"])),
        ("single-zero", False, mk(["0"])),
        ("left-to-right-minus", False, mk([chain, "2-3+4-5+6", "100-(1-1)-1"])),
        ("deep-nesting", False, mk([deep, "-(-(-(-(-(7)))))"])),
        ("spaces-everywhere", False, mk(["  ( 1 +2 ) *  3", "4 *5*  6 - 7", "- 5"])),
        ("minus-limit", False, mk(["-1000000000000000", "-(999999999999999+1)", "0-1000000000000000+1000000000000000"])),
        ("zero-products", False, mk(["(-3)*0", "0*(0-5)*7", "-0"])),
        ("random-compact", False, mk(rand_exprs(r, 20, 0.0))),
        ("random-spaced", False, mk(rand_exprs(r, 20, 0.5))),
        ("random-big-numbers", False, mk(rand_exprs(r, 20, 0.2, big=True))),
    ]
