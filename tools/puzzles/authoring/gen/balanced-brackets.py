"""Cases of data/puzzles/balanced-brackets, with brute(): an independent solution the outputs must match."""
import random
def mk(ls): return f"{len(ls)}\n" + "".join(l + "\n" for l in ls)
def brute(inp):
    # independent: repeatedly find the failure by scanning prefixes with a counter-free reduction
    lines = inp.split("\n"); n = int(lines[0]); out = []
    for line in lines[1:n+1]:
        br = [(i, c) for i, c in enumerate(line, 1) if c in "()[]{}<>"]
        st = []; res = None
        for i, c in br:
            if c in "([{<": st.append(c); continue
            want = "([{<"[")]}>".index(c)]
            if st and st[-1] == want: st.pop()
            else: res = i; break
        if res is None and st: res = len(line) + 1
        out.append("OK" if res is None else str(res))
    return "\n".join(out)
def cases():
    r = random.Random(10)
    def rnd_line(balanced):
        if balanced:
            s = ""
            def gen(d):
                nonlocal s
                while len(s) < 150 and r.random() < 0.7:
                    o = r.randrange(4); s += "([{<"[o] + r.choice(["", "x", "1 "]); 
                    if d < 30: gen(d + 1)
                    s += ")]}>"[o]
            gen(0); return s
        return "".join(r.choice("()[]{}<>ab ") for _ in range(r.randint(1, 200))).strip(" ")
    mixed = [rnd_line(i % 2 == 0) for i in range(50)]
    return [
        ("sample-four-kinds", True, mk(["f(a[i]) + {x}", "([)]", "((x)", "<>)"])),
        ("sample-comparison", True, mk(["if (a < b) { x[0] }", "()[]{}<>"])),
        ("sample-short", True, mk(["[[[]]]", "]", "{(}"])),
        ("empty-line", False, mk(["", "()"])),
        ("no-brackets", False, mk(["plain text only", "12345"])),
        ("deep-nesting", False, mk(["(" * 100 + ")" * 100, "(" * 100 + ")" * 99, "<" * 100 + ">" * 99 + ")"])),
        ("close-first", False, mk([")(", "}", "a>b"])),
        ("unclosed-at-end", False, mk(["{x", "x" * 199 + "[", "([{<"])),
        ("wrong-late", False, mk(["()()()()()()(]", "{[()()]}>"])),
        ("random-50", False, mk(mixed)),
    ]
