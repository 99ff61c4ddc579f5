DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
lines = open(0).read().split("\n")
for line in lines[1:int(lines[0]) + 1]:
    b1, b2, x = line.split()
    value, b2 = int(x, int(b1)), int(b2)
    out = ""
    while True:
        value, d = divmod(value, b2)
        out = DIGITS[d] + out
        if value == 0:
            break
    print(out)
