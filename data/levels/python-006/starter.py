def sum_multiples(n):
    total = 0
    return total
