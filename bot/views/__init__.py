"""View models: what each message shows, computed once in the core; adapters only map them."""
