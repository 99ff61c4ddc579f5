tokens = open(0).read().split()
ins, dele, rep = map(int, tokens[:3])
a, b = tokens[3], tokens[4]
# prev[j] = cost of turning the first i letters of a into the first j letters of b
prev = [j * ins for j in range(len(b) + 1)]
for i in range(1, len(a) + 1):
    cur = [i * dele] + [0] * len(b)
    for j in range(1, len(b) + 1):
        keep = prev[j - 1] + (0 if a[i - 1] == b[j - 1] else rep)
        cur[j] = min(keep, prev[j] + dele, cur[j - 1] + ins)
    prev = cur
print(prev[-1])
