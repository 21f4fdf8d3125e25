import FoundationEssentials
import KraamzorgRules
import KraamzorgStore

/// Emails to a course provider about its courses (Dutch: the register's providers are Dutch).
public enum CourseMessages {
    /// The register accredited (a version of) the course: with the lines as approved.
    public static func accredited(_ course: CourseRecord, version: Int, lines: [AccreditationLine], changed: Bool) -> Message {
        var body = """
            Beste opleider,

            Het Kwaliteitsregister heeft uw scholing "\(course.title)" (\(course.startDate.iso)) geaccrediteerd (versie \(version)).

            Geaccrediteerde punten:

            """
        for l in lines {
            body += "- norm \(l.norm), categorie \(l.category)\(l.subject.map { ", onderwerp \($0)" } ?? ""): \(l.points) punten\n"
        }
        if changed { body += "\nLet op: de punten wijken af van uw aanvraag.\n" }
        body += "\nU kunt nu behaalde scholingen voor deze versie aanleveren. Eerder geboekte scholingen houden hun punten.\n"
        return Message(subject: "Scholing geaccrediteerd: \(course.title)", body: body)
    }

    /// The register refused the application, with its reason.
    public static func refused(_ course: CourseRecord, version: Int, reason: String, stillInForce: Int?) -> Message {
        var body = """
            Beste opleider,

            Het Kwaliteitsregister heeft uw aanvraag voor accreditatie van "\(course.title)" (\(course.startDate.iso), versie \(version)) afgewezen.

            Reden: \(reason)

            """
        if let v = stillInForce {
            body += "De eerder geaccrediteerde versie \(v) blijft van kracht.\n"
        } else {
            body +=
                "Voor deze scholing kunt u geen behaalde scholingen aanleveren. U kunt een nieuwe aanvraag doen door de accreditatieregels aan te passen.\n"
        }
        return Message(subject: "Accreditatie afgewezen: \(course.title)", body: body)
    }
}
