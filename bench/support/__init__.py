"""Code the benchmarks share: servers and a load generator (`load`), and a portal with
residents registered through the use cases (`portal`)."""
