import sys

lines = sys.stdin.read().split("\n")
n = int(lines[0])
order, formulas = [], {}
for line in lines[1:n + 1]:
    name, _, *terms = line.split()
    order.append(name)
    formulas[name] = terms
values = {}           # name -> int, or None for ERROR
in_progress = set()


def value(name):
    if name in values:
        return values[name]
    if name not in formulas or name in in_progress:
        return None   # undefined, or we came back round a cycle
    in_progress.add(name)
    terms = formulas[name]
    total, sign = 0, 1
    for i, term in enumerate(terms):
        if i % 2 == 1:
            sign = 1 if term == "+" else -1
            continue
        v = int(term) if term.isdigit() else value(term)
        if v is None:
            total = None
            break
        total += sign * v
    in_progress.discard(name)
    values[name] = total
    return total


for name in order:
    v = value(name)
    print(name, "ERROR" if v is None else v)
