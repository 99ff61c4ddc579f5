MOD = 1_000_000_007
tokens = list(map(int, open(0).read().split()))
n, k = tokens[0], tokens[1]
steps = tokens[2:2 + k]
broken = set(tokens[3 + k:3 + k + tokens[2 + k]])
ways = [0] * (n + 1)
ways[0] = 1
for i in range(1, n + 1):
    if i not in broken:
        ways[i] = sum(ways[i - s] for s in steps if s <= i) % MOD
print(ways[n])
