// KraamzorgAPITests: placeholder until the suite lands.
