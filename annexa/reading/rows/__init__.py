"""Reading a data list row by row: where its headings are, and what its rows hold."""
