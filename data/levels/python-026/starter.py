def chunks(items, size):
    return [items]
