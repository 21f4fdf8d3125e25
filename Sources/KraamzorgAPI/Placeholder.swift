// KraamzorgAPI: placeholder until the module lands.
