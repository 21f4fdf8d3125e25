// PostgresClient: placeholder until the module lands.
