// HashingTests: placeholder until the suite lands.
