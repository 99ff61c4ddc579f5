def collatz_steps(n):
    steps = 0
    return steps
