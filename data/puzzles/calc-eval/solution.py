import re
import sys


def evaluate(text):
    tokens = re.findall(r"\d+|[-+*()]", text)
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def expression():  # ['-'] term (('+' | '-') term)*
        nonlocal pos
        sign = 1
        if peek() == "-":
            pos += 1
            sign = -1
        value = sign * term()
        while peek() in ("+", "-"):
            op = tokens[pos]
            pos += 1
            value = value + term() if op == "+" else value - term()
        return value

    def term():  # factor ('*' factor)*
        nonlocal pos
        value = factor()
        while peek() == "*":
            pos += 1
            value *= factor()
        return value

    def factor():  # number | '(' expression ')'
        nonlocal pos
        token = tokens[pos]
        pos += 1
        if token == "(":
            value = expression()
            pos += 1  # ')'
            return value
        return int(token)

    return expression()


lines = sys.stdin.read().split("\n")
for line in lines[1:int(lines[0]) + 1]:
    print(evaluate(line))
