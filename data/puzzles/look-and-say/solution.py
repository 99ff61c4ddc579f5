import itertools

s, n = input().split()
for _ in range(int(n)):
    s = "".join(str(len(list(run))) + digit for digit, run in itertools.groupby(s))
print(s)
