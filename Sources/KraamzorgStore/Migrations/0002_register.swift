// Migration 0002 as Swift source, so no resource bundle (and no Foundation) is needed to ship it.
// Databases record the SHA-256 of this SQL: never edit it, add a new migration instead.
extension Migration {
    static let v0002_register = Migration(
        version: 2, name: "register",
        sql: #"""
            -- The quality register: practitioners, registration periods (and every change of their dates), norms as
            -- data, courses with accreditation lines, accreditations (completions), care hours, EHBO certificates,
            -- submissions and reviews, certificates, period requests. Rules live in KraamzorgRules; the database keeps
            -- the facts and the invariants that must hold whatever the code does (uniqueness, no overlap, references).

            CREATE EXTENSION IF NOT EXISTS btree_gist;

            -- New registration numbers: KCKZ-2 followed by five digits (DOMAIN §1, Decision).
            CREATE SEQUENCE registration_number_seq MINVALUE 1 MAXVALUE 99999 NO CYCLE;

            CREATE TABLE practitioners (
                id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                registration_number  text NOT NULL UNIQUE CHECK (registration_number ~ '^KCKZ-[0-9]{4,8}$'),
                first_name           text NOT NULL CHECK (length(btrim(first_name)) BETWEEN 1 AND 200),
                last_name            text NOT NULL CHECK (length(btrim(last_name)) BETWEEN 1 AND 200),
                email                text NOT NULL CHECK (length(email) <= 254),
                date_of_birth        date,
                diploma_obtained_on  date,
                reentrant            boolean NOT NULL DEFAULT false,
                -- Re-entrant: the date by which she must meet the entry requirements (registration + 4 months).
                entry_deadline       date,
                struck_off_on        date,
                struck_off_reason    text,
                deregistered_on      date,
                created_at           timestamptz NOT NULL DEFAULT now(),
                updated_at           timestamptz NOT NULL DEFAULT now(),
                CHECK (diploma_obtained_on IS NOT NULL OR reentrant),
                CHECK ((struck_off_on IS NULL) = (struck_off_reason IS NULL))
            );
            CREATE INDEX practitioners_name ON practitioners (lower(last_name), lower(first_name), id);

            -- A practitioner's own login: a membership with role practitioner names her record.
            ALTER TABLE memberships ADD CONSTRAINT memberships_practitioner_fk FOREIGN KEY (practitioner_id) REFERENCES practitioners (id);
            ALTER TABLE memberships ADD CONSTRAINT memberships_practitioner_role CHECK ((role = 'practitioner') = (practitioner_id IS NOT NULL));

            CREATE TABLE registration_periods (
                id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                practitioner_id  uuid NOT NULL REFERENCES practitioners (id),
                start_date       date NOT NULL,
                end_date         date NOT NULL,
                extended_until   date,
                effective_end    date GENERATED ALWAYS AS (GREATEST(end_date, coalesce(extended_until, end_date))) STORED,
                registered_on    date NOT NULL,
                norm_code        text NOT NULL,
                status           text NOT NULL CHECK (status IN ('upcoming', 'active', 'submitted', 'infoRequested', 'approved', 'cancelled')),
                submitted_on     date,
                created_at       timestamptz NOT NULL DEFAULT now(),
                updated_at       timestamptz NOT NULL DEFAULT now(),
                CHECK (end_date >= start_date),
                -- A practitioner's live periods never overlap (DOMAIN §2).
                CONSTRAINT registration_periods_no_overlap EXCLUDE USING gist (
                    practitioner_id WITH =, daterange(start_date, effective_end, '[]') WITH &&) WHERE (status <> 'cancelled')
            );
            CREATE INDEX registration_periods_practitioner ON registration_periods (practitioner_id, start_date);
            CREATE INDEX registration_periods_status ON registration_periods (status, effective_end);

            -- Every change to a period's dates: who, when, why.
            CREATE TABLE period_date_changes (
                id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                period_id              uuid NOT NULL REFERENCES registration_periods (id),
                kind                   text NOT NULL CHECK (kind IN ('extension', 'advance', 'advancedByPrevious')),
                old_start_date         date NOT NULL,
                old_end_date           date NOT NULL,
                old_effective_end      date NOT NULL,
                new_start_date         date NOT NULL,
                new_end_date           date NOT NULL,
                new_effective_end      date NOT NULL,
                reason                 text NOT NULL,
                special_circumstances  jsonb,
                period_request_id      uuid,
                changed_by_user_id     uuid,
                changed_by_name        text,
                changed_at             timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX period_date_changes_period ON period_date_changes (period_id, changed_at);

            -- Norms as data (DOMAIN §4): the document is the norm JSON of API.md. The seeded 2019/2023 norms are
            -- inserted from KraamzorgRules at first use, so the tables live in one place.
            CREATE TABLE norms (
                code          text PRIMARY KEY,
                version       integer NOT NULL CHECK (version >= 1),
                applies_from  date NOT NULL UNIQUE,
                document      jsonb NOT NULL,
                updated_at    timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE courses (
                id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                provider_id   uuid NOT NULL REFERENCES organizations (id),
                external_id   text CHECK (length(external_id) BETWEEN 1 AND 100),
                title         text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 300),
                format        text NOT NULL CHECK (format IN ('classroom', 'elearning')),
                start_date    date NOT NULL,
                end_date      date,
                location      text,
                contact       text,
                -- [{"norm", "category", "subject", "points"}], validated against the norms by the API.
                lines         jsonb NOT NULL CHECK (jsonb_typeof(lines) = 'array'),
                created_at    timestamptz NOT NULL DEFAULT now(),
                updated_at    timestamptz NOT NULL DEFAULT now(),
                deleted_at    timestamptz,
                CHECK (end_date IS NULL OR end_date >= start_date),
                CONSTRAINT courses_external_id_per_provider UNIQUE (provider_id, external_id)
            );
            CREATE INDEX courses_agenda ON courses (start_date, id) WHERE deleted_at IS NULL;
            CREATE INDEX courses_lines ON courses USING gin (lines jsonb_path_ops);

            -- A completion is a fact: (course, practitioner, date) is booked once; withdrawals only mark it.
            CREATE TABLE accreditations (
                id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                course_id           uuid NOT NULL REFERENCES courses (id),
                practitioner_id     uuid NOT NULL REFERENCES practitioners (id),
                completed_on        date NOT NULL,
                recorded_at         timestamptz NOT NULL DEFAULT now(),
                recorded_on         date NOT NULL,
                late                boolean NOT NULL,
                recorded_by         uuid,
                withdrawn_at        timestamptz,
                withdrawn_by        uuid,
                withdrawn_by_name   text,
                CONSTRAINT accreditations_one_completion UNIQUE (course_id, practitioner_id, completed_on)
            );
            CREATE INDEX accreditations_practitioner ON accreditations (practitioner_id, completed_on);
            CREATE INDEX accreditations_late ON accreditations (course_id) WHERE late;

            CREATE TABLE care_hours (
                practitioner_id  uuid NOT NULL REFERENCES practitioners (id),
                year             integer NOT NULL CHECK (year BETWEEN 1900 AND 9999),
                hours            integer NOT NULL CHECK (hours BETWEEN 0 AND 8784),
                statement        text,
                updated_at       timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (practitioner_id, year)
            );

            CREATE TABLE ehbo_certificates (
                id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                practitioner_id  uuid NOT NULL REFERENCES practitioners (id),
                obtained_on      date NOT NULL,
                valid_until      date NOT NULL,
                status           text NOT NULL CHECK (status IN ('awaitingFile', 'pendingReview', 'approved', 'rejected')),
                file             bytea,
                content_type     text CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
                file_size        integer,
                uploaded_at      timestamptz,
                reviewed_by      uuid,
                reviewed_by_name text,
                reviewed_at      timestamptz,
                review_reason    text,
                created_at       timestamptz NOT NULL DEFAULT now(),
                CHECK (valid_until >= obtained_on),
                CHECK ((file IS NULL) = (content_type IS NULL))
            );
            CREATE INDEX ehbo_certificates_practitioner ON ehbo_certificates (practitioner_id);

            CREATE TABLE submissions (
                id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                period_id       uuid NOT NULL REFERENCES registration_periods (id),
                submitted_on    date NOT NULL,
                submitted_at    timestamptz NOT NULL DEFAULT now(),
                submitted_by    uuid,
                next_period_id  uuid NOT NULL REFERENCES registration_periods (id)
            );
            CREATE INDEX submissions_period ON submissions (period_id, submitted_at);

            CREATE TABLE reviews (
                id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                submission_id  uuid NOT NULL REFERENCES submissions (id),
                period_id      uuid NOT NULL REFERENCES registration_periods (id),
                decision       text NOT NULL CHECK (decision IN ('approve', 'requestInfo')),
                message        text,
                reviewed_by    uuid,
                reviewed_by_name text,
                reviewed_at    timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX reviews_period ON reviews (period_id, reviewed_at);

            CREATE TABLE certificates (
                id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                practitioner_id      uuid NOT NULL REFERENCES practitioners (id),
                period_id            uuid NOT NULL REFERENCES registration_periods (id),
                verification_code    text NOT NULL UNIQUE,
                registration_number  text NOT NULL,
                name                 text NOT NULL,
                valid_from           date NOT NULL,
                valid_until          date NOT NULL,
                annotations          text[] NOT NULL DEFAULT '{}',
                issued_on            date NOT NULL,
                created_at           timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX certificates_practitioner ON certificates (practitioner_id, issued_on);

            CREATE TABLE period_requests (
                id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                practitioner_id        uuid NOT NULL REFERENCES practitioners (id),
                period_id              uuid NOT NULL REFERENCES registration_periods (id),
                kind                   text NOT NULL CHECK (kind IN ('extension', 'advance')),
                until                  date,
                next_start             date,
                reason                 text NOT NULL,
                special_circumstances  boolean NOT NULL DEFAULT false,
                status                 text NOT NULL CHECK (status IN ('open', 'approved', 'rejected')),
                evidence               bytea,
                evidence_content_type  text,
                evidence_size          integer,
                evidence_uploaded_at   timestamptz,
                decided_by             uuid,
                decided_by_name        text,
                decided_at             timestamptz,
                decision_message       text,
                created_at             timestamptz NOT NULL DEFAULT now(),
                CHECK ((kind = 'extension') = (until IS NOT NULL)),
                CHECK ((kind = 'advance') = (next_start IS NOT NULL))
            );
            CREATE INDEX period_requests_status ON period_requests (status, created_at);
            CREATE INDEX period_requests_practitioner ON period_requests (practitioner_id, created_at);

            """#)
}
