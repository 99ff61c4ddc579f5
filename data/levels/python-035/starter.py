def apply_ops(value, ops):
    return value
