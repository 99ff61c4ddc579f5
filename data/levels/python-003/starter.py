def parity(n):
    pass
