"""Domain core of the resident portal: pure Python, no infrastructure."""
