// PostgresClientTests: placeholder until the suite lands.
