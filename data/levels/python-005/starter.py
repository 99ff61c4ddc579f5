def letter_grade(score):
    return "F"
