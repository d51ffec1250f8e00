"""Admin guard: limits admin sign-in attempts by address and by user, and logs staff actions."""
