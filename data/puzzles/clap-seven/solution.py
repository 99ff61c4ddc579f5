a, b = map(int, input().split())
for n in range(a, b + 1):
    print("CLAP" if n % 7 == 0 or "7" in str(n) else n)
