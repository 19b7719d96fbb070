"""Words for people: UK dates and phrases, and text made safe to show."""
