assert greet() is not None
assert len(greet()) == 13
assert greet().endswith("!")
