assert mirror("a") == "a"
assert mirror("ab c") == "c ba"
assert mirror("x" * 1000 + "y") == "y" + "x" * 1000
