"""Loading the billing system's data files (F21): kinds, row rules and the loading use case."""
