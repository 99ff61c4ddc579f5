def edit_distance(a, b):
    return abs(len(a) - len(b))
