assert greet() == "Hello, Arena!"
assert isinstance(greet(), str)
