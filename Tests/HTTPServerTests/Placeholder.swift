// HTTPServerTests: placeholder until the suite lands.
