assert add(0, 0) == 0
assert add(10**18, 10**18) == 2 * 10**18
assert add(-7, -8) == -15
