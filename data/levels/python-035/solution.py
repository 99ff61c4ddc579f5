OPERATIONS = {
    "double": lambda x: x * 2,
    "increment": lambda x: x + 1,
    "square": lambda x: x * x,
    "negate": lambda x: -x,
    "halve": lambda x: x // 2,
}


def apply_ops(value, ops):
    for name in ops:
        value = OPERATIONS[name](value)
    return value
