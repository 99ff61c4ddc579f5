import itertools

out = []
for letter, run in itertools.groupby(input().strip()):
    n = len(list(run))
    out.append((str(n) if n > 1 else "") + letter)
print("".join(out))
