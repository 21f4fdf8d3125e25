// Migration 0010 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0010_course_accreditation = Migration(
        version: 10, name: "course_accreditation",
        sql: #"""
            -- 0010 course accreditation is the register's decision (DOMAIN §3a). A course's lines come in versions: a
            -- provider applies (pending), register staff accredit (lines as approved) or refuse (with a reason). The
            -- accredited version in force is `courses.accredited_version`, and `courses.lines` are its lines (what the
            -- agenda filters and suggests); a course never accredited keeps its proposed lines there. A booked
            -- completion names the version in force when it was booked, so its points never change afterwards.
            -- Every course that exists now is accredited: version 1, its current lines.
            CREATE TABLE course_versions (
                course_id        uuid NOT NULL REFERENCES courses (id),
                version          integer NOT NULL CHECK (version >= 1),
                status           text NOT NULL CHECK (status IN ('pending', 'accredited', 'refused')),
                -- As proposed while pending or refused; as approved once accredited.
                lines            jsonb NOT NULL CHECK (jsonb_typeof(lines) = 'array'),
                proposed_lines   jsonb NOT NULL CHECK (jsonb_typeof(proposed_lines) = 'array'),
                reason           text,
                applied_at       timestamptz NOT NULL DEFAULT now(),
                decided_at       timestamptz,
                decided_by       uuid,
                decided_by_name  text,
                PRIMARY KEY (course_id, version),
                CHECK ((status = 'pending') = (decided_at IS NULL)),
                CHECK ((status = 'refused') = (reason IS NOT NULL))
            );
            -- At most one application awaiting a decision per course; staff read them oldest first.
            CREATE UNIQUE INDEX course_versions_one_pending ON course_versions (course_id) WHERE status = 'pending';
            CREATE INDEX course_versions_pending ON course_versions (applied_at, course_id) WHERE status = 'pending';

            INSERT INTO course_versions (course_id, version, status, lines, proposed_lines, applied_at, decided_at)
            SELECT id, 1, 'accredited', lines, lines, created_at, created_at FROM courses;

            ALTER TABLE courses ADD COLUMN status text NOT NULL DEFAULT 'accredited'
                CHECK (status IN ('pending', 'accredited', 'refused'));
            ALTER TABLE courses ALTER COLUMN status DROP DEFAULT;
            ALTER TABLE courses ADD COLUMN accredited_version integer;
            UPDATE courses SET accredited_version = 1;
            ALTER TABLE courses ADD CONSTRAINT courses_version_in_force
                FOREIGN KEY (id, accredited_version) REFERENCES course_versions (course_id, version);
            ALTER TABLE courses ADD CONSTRAINT courses_accredited_has_version
                CHECK ((status = 'accredited') = (accredited_version IS NOT NULL));
            DROP INDEX courses_agenda;
            CREATE INDEX courses_agenda ON courses (start_date, id) WHERE deleted_at IS NULL AND status = 'accredited';

            -- Existing completions were booked under version 1 (a constant default: no table rewrite).
            ALTER TABLE accreditations ADD COLUMN course_version integer NOT NULL DEFAULT 1;
            ALTER TABLE accreditations ALTER COLUMN course_version DROP DEFAULT;
            ALTER TABLE accreditations ADD CONSTRAINT accreditations_course_version
                FOREIGN KEY (course_id, course_version) REFERENCES course_versions (course_id, version);

            """#)
}
