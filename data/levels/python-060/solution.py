import re


def calculate(expression):
    tokens = re.findall(r"\d+|\S", expression)
    pos = 0

    def parse_expr():
        nonlocal pos
        value = parse_term()
        while pos < len(tokens) and tokens[pos] in "+-":
            op = tokens[pos]
            pos += 1
            right = parse_term()
            value = value + right if op == "+" else value - right
        return value

    def parse_term():
        nonlocal pos
        value = parse_factor()
        while pos < len(tokens) and tokens[pos] in "*/":
            op = tokens[pos]
            pos += 1
            right = parse_factor()
            value = value * right if op == "*" else value // right
        return value

    def parse_factor():
        nonlocal pos
        token = tokens[pos]
        pos += 1
        if token == "-":
            return -parse_factor()
        if token == "(":
            value = parse_expr()
            pos += 1
            return value
        return int(token)

    return parse_expr()
