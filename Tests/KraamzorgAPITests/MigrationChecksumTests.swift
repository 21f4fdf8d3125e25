import KraamzorgStore
import Testing

/// Databases record each migration's SHA-256: the SQL in `Migrations/*.swift` must stay byte for byte
/// what was applied (these are the checksums of the former .sql files).
@Suite struct MigrationChecksumTests {
    @Test func theShippedMigrationsAreTheOnesDatabasesRecorded() {
        let shipped = Migrator.bundled().migrations.map { "\($0.version) \($0.name) \($0.checksum)" }
        #expect(
            shipped == [
                "1 identity e80f45d37002e780d21d001a07ea53c5c4f1d69811ab9b61318bc562176e90c0",
                "2 register d139b90449a358cf7a0cf71fac8bf61e834f2157289ff592cae739ef5cb8dc92",
                "3 waitlists 461fbad5fd6e3d8da8eddf2dc390f1f1e66a1f67b901ea9cbe1e84d184f5f0f2",
                "4 delivery 129fd7698bdaf436381bd4b69b282cc0952f5abbafd380e51438bcffcd2df4b0",
                "5 page_secret 281c7c155a052eb8f40e1ba9a765ddf67f57730647dfceeb58863ea1a23608c9",
                "6 reminders b945b27379e0bd5eead174aeb0a9aeb0305173e9cb0be2ad4fa8e872a761081c",
                "7 event_log_references 8969a16845ea708fa2d45dedc46ad1995b7ecc5613e3d180dfaa1cd810062f2f",
                "8 outbox_links 299f11b5c52043e3730dadb3d6f3433195669537e5efeec7493cc9501a13c564",
                "9 webhook_secrets 9642631b160a9d16f588eec0495f3030418527c0090cfe2d38a0487c54ff68d9",
                "10 course_accreditation 11dd664094e1dc9c4c6f7f1042ff6103d182dad1235dfa7c1b02a9c8e8406727",
                "11 refusal bba71ee010a4f070df2c913c6806c2f2e5ee681f257bb79df149f3cbf89aecc7",
                "12 organization_contact 8dce23aa2e0affec1d73d50775b5a2196dca65e75cd75ba81fd2960837e60f0c",
                "13 hand_backs c6eeb848b5f2373716754e69880f92bda4bac4af8cb3806161fd5a5614959cec",
                "14 idempotency_keys 3a9fd934c141a1b24cb0220faeff2e4fbe15f801621ee9298592e6be40564f1d",
                "15 webhooks_complete 276b67db5bf4efe204db2efb9a764ed4a60b88d52c48412048ec95a6e142b435",
                "16 audit_partitions c4d5c20160f548aa2a2a7b9ae26b32293c89386eca65af5ef6533ced62d1f20f",
                "17 auth_notify_and_list_order 2ae9247665e30b535c71448e11ca3e06258d4ad12f7708d04f11362b16110e85",
                "18 client_list_indexes 6c68af45abb77350bc2389f81c678ba42ba7877d70198e0b6e05cb02058af9b0",
                "19 notification_kinds 2599e1c4b95ff636a8e30a00ea4477766f38ccca5029bd821a95ac30b8e9f1c5",
                "24 event_trace b77944c475dbcd2ca595005add57a441e5b8e20c202d88d3d3ce0d4a9d7c64ca",
                "25 client_counts_and_bookings 084979e945ea8f9062e0b9075969292c6f8828ddcd073d92bada68f0a9146d9e",
            ])
    }
}
