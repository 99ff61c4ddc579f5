VALUES = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
SYMBOL = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def parse(numeral):
    total = 0
    for a, b in zip(numeral, numeral[1:] + " "):
        v = SYMBOL[a]
        total += -v if b != " " and SYMBOL[b] > v else v
    return total


tokens = input().split()
total = parse(tokens[0])
for op, numeral in zip(tokens[1::2], tokens[2::2]):
    total += parse(numeral) if op == "+" else -parse(numeral)
out = ""
for value, letters in VALUES:
    while total >= value:
        out += letters
        total -= value
print(out)
