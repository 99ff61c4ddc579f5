a = int(input())
coins = []
for value in (200, 100, 50, 20, 10, 5, 2, 1):
    coins += [value] * (a // value)
    a %= value
print(*coins)
