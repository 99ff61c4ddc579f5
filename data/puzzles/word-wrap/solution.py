lines = open(0).read().split("\n")
width = int(lines[0])
line = ""
for word in lines[1].split():
    if line and len(line) + 1 + len(word) <= width:
        line += " " + word
    else:
        if line:
            print(line)
        line = word
print(line)
