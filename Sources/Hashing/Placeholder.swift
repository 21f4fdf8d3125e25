// Hashing: placeholder until the module lands.
