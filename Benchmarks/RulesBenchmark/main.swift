// Placeholder until the rules benchmark lands.
print("rules benchmark")
