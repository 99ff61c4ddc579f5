def evaluate(expr):
    return 0
