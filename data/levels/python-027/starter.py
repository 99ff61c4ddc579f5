def rotate(items, k):
    return items
