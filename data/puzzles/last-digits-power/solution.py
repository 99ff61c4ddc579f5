a, b, k = map(int, input().split())
print(str(pow(a, b, 10 ** k)).zfill(k))
