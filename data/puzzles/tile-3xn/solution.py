MOD = 1_000_000_007
tokens = list(map(int, open(0).read().split()))
queries = tokens[1:tokens[0] + 1]
# f(n) = 4 f(n-2) - f(n-4) for even n, with f(0) = 1 and f(2) = 3; odd boards have no tiling
top = max(queries)
f = [0] * (top + 1)
f[0] = 1
for n in range(2, top + 1, 2):
    f[n] = 3 if n == 2 else (4 * f[n - 2] - f[n - 4]) % MOD
for n in queries:
    print(f[n])
