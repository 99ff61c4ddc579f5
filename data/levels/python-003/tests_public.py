assert mirror("clash") == "hsalc"
assert mirror("") == ""
