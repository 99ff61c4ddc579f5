"""Cases of data/puzzles/spreadsheet, with brute(): an independent solution the outputs must match."""
import random, string
def mk(rows): return f"{len(rows)}\n" + "".join(f"{n} = {' '.join(t)}\n" for n, t in rows)
def parse(inp):
    lines = inp.split("\n"); n = int(lines[0]); rows = []
    for line in lines[1:n + 1]:
        name, eq, *terms = line.split(" "); assert eq == "="; rows.append((name, terms))
    return rows
def brute(inp):
    rows = parse(inp); known = {}
    for _ in range(len(rows) + 1):   # fixpoint: a cell resolves once all its references did
        for name, terms in rows:
            if name in known: continue
            refs = [t for t in terms[::2] if t[0].isalpha()]
            if all(r in known for r in refs):
                tot = 0; sign = 1
                for i, t in enumerate(terms):
                    if i % 2: sign = 1 if t == "+" else -1
                    else: tot += sign * (known[t] if t[0].isalpha() else int(t))
                known[name] = tot
    return "\n".join(f"{n} {known.get(n, 'ERROR')}" for n, _ in rows)
def bounded(inp):
    rows = parse(inp); known = {}
    for _ in range(len(rows) + 1):
        for name, terms in rows:
            if name in known: continue
            if all(t in known for t in terms[::2] if t[0].isalpha()):
                tot = 0; sign = 1; ok = True
                for i, t in enumerate(terms):
                    if i % 2: sign = 1 if t == "+" else -1
                    else:
                        tot += sign * (known[t] if t[0].isalpha() else int(t))
                        ok &= abs(tot) <= 10**15
                if not ok: return False
                known[name] = tot
    return True
def random_sheet(r, n, cycles, undefined, max_terms, p_ref=0.5, p_missing=0.03):
    names = r.sample([f"{c}{i}" for c in string.ascii_uppercase for i in range(1, 100)], n + undefined)
    defined, missing = names[:n], names[n:]
    rows = []
    for k, name in enumerate(defined):       # references mostly go to earlier cells (a DAG)
        terms = []
        for j in range(r.randint(1, max_terms)):
            if j: terms.append(r.choice("+-"))
            roll = r.random()
            if roll < p_ref and k > 0: terms.append(r.choice(defined[max(0, k - 15):k]))
            elif roll < p_ref + p_missing and missing: terms.append(r.choice(missing))
            else: terms.append(str(r.randint(0, 10**r.randint(0, 6))))
        rows.append([name, terms])
    for _ in range(cycles):                  # a back edge from an early cell to a later one
        a, b = sorted(r.sample(range(n), 2))
        rows[a][1] += [r.choice("+-"), defined[b]]
    r.shuffle(rows)
    return mk(rows)
def sheet(r, *args):
    while True:
        s = random_sheet(r, *args)
        if bounded(s): return s
def cases():
    r = random.Random(26)
    chain = [(f"A{i}", [f"A{i+1}", "+", "1"]) for i in range(1, 99)] + [("A99", ["0"])]
    chain += [(f"B{i}", [f"B{i+1}", "-", "1"]) for i in range(1, 99)] + [("B99", ["B1"])]
    return [
        ("sample-chain", True, mk([("A1", ["5"]), ("B1", ["A1", "+", "3"]), ("C1", ["B1", "-", "A1", "-", "10"]), ("D1", ["C1", "+", "C1"])])),
        ("sample-errors", True, mk([("X1", ["Y1", "+", "1"]), ("Y1", ["X1"]), ("Z9", ["7", "-", "Q2"]), ("Q2", ["3"]), ("W5", ["Z9", "+", "K1"])])),
        ("single-number", False, mk([("M42", ["1000000"])])),
        ("self-reference", False, mk([("A1", ["A1"]), ("B2", ["2", "-", "A1"]), ("C3", ["0", "-", "5"])])),
        ("forward-references", False, mk([("A1", ["B1", "+", "C1"]), ("B1", ["C1", "+", "C1"]), ("C1", ["7"])])),
        ("twenty-terms", False, mk([("Q1", sum((["1000000", "+"] for _ in range(19)), []) + ["999999"]), ("Q2", ["Q1", "-", "Q1", "-", "Q1"])])),
        ("long-chains", False, mk(chain)),
        ("negative-values", False, mk([("N1", ["0", "-", "1000000"]), ("N2", ["N1", "+", "N1", "+", "N1"]), ("N3", ["N2", "-", "N2", "-", "N2"])])),
        ("random-dag", False, sheet(r, 200, 0, 0, 4)),
        ("random-with-errors", False, sheet(r, 200, 5, 5, 4)),
        ("random-many-terms", False, sheet(r, 120, 1, 1, 20, 0.08, 0.002)),
    ]
