n, w = map(int, input().split())
for i in range(1, n + 1):
    print(("#" * (i * w)).rjust(n * w))
