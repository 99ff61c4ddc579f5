import math

tokens = open(0).read().split()
periods = map(int, tokens[1:int(tokens[0]) + 1])
answer = 1
for p in periods:
    answer = answer * p // math.gcd(answer, p)
print(answer)
