// KraamzorgStore: placeholder until the module lands.
