"""People and their sign-in: e-mail + password, password reset, language preference."""
