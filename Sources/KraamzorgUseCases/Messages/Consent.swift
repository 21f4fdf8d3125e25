/// The consent text the client agrees to when she accepts her invitation; a new text gets a new version
/// (the version is recorded with her consent).
public enum Consent {
    public static let currentVersion = "2026-1"
    public static let text = """
        Ik geef toestemming dat mijn gegevens (naam, e-mailadres, telefoonnummer, postcode, uitgerekende datum en cliëntnummer) \
        worden gedeeld met de coördinator van de regio, mijn zorgverzekeraar en de kraamzorgaanbieders in mijn regio, \
        zodat een kraamzorgaanbieder mij kan inschrijven. Ik kan deze toestemming altijd intrekken via mijn persoonlijke link.
        """
}
