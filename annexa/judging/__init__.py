"""Judging: each candidate file under an item's rules, then each item, into the Report."""
