"""Comparisons: the pros/cons matrix of IT service models and the recommendation form."""
