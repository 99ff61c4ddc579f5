import re

words = re.findall(r"[A-Za-z]+", input())
print(max(words, key=len))  # max keeps the first of equal keys
