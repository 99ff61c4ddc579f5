hh, mm = map(int, input().split(":"))
total = (hh * 60 + mm + int(input())) % 1440
print(f"{total // 60:02d}:{total % 60:02d}")
