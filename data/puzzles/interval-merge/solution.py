tokens = list(map(int, open(0).read().split()))
n = tokens[0]
intervals = sorted(zip(tokens[1:2 * n + 1:2], tokens[2:2 * n + 2:2]))
merged = [list(intervals[0])]
for a, b in intervals[1:]:
    if a <= merged[-1][1]:
        merged[-1][1] = max(merged[-1][1], b)
    else:
        merged.append([a, b])
for a, b in merged:
    print(a, b)
