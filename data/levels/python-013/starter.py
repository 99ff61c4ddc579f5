def is_palindrome(text):
    return False
