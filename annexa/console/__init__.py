"""The terminal around ``annexa scan``: progress, and what the console can show."""
