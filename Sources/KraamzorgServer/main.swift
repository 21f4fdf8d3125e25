// Placeholder entry point until the API layer lands.
print("kraamzorg-server")
