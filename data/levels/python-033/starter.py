def fib(n):
    pass
