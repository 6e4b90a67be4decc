using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.PostgreSql
{
    /// <summary>
    /// Member counts in slots: the trigger adds each statement's change to its own connection's slot row
    /// (<c>pg_backend_pid() % 64</c>) of a merchant, plan, tier and status, and readers sum the slots (every reader sums
    /// already). One row per count made every transaction that enrols a member hold that row until it commits, so two
    /// nodes' fulfilment chunks took turns (ARCHITECTURE.md, PostgreSQL). PostgreSQL only, outside the EF model (whose key
    /// stays the four columns; nothing tracks or writes counts through EF).
    /// </summary>
    public partial class PostgreSqlMemberCountSlots : Migration
    {
        public const int Slots = 64;

        private static readonly string SlottedFunction = $$$"""
            CREATE OR REPLACE FUNCTION "MemberCounts_Apply"() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE slot smallint := pg_backend_pid() % {{{Slots}}};
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO "MemberCounts" ("MerchantId", "PlanId", "TierId", "Status", "Slot", "Count")
                    SELECT "MerchantId", "PlanId", "TierId", "Status", slot, count(*) FROM new_rows
                    GROUP BY "MerchantId", "PlanId", "TierId", "Status"
                    ORDER BY "MerchantId", "PlanId", "TierId", "Status"
                    ON CONFLICT ("MerchantId", "PlanId", "TierId", "Status", "Slot") DO UPDATE SET "Count" = "MemberCounts"."Count" + EXCLUDED."Count";
                ELSIF TG_OP = 'DELETE' THEN
                    INSERT INTO "MemberCounts" ("MerchantId", "PlanId", "TierId", "Status", "Slot", "Count")
                    SELECT "MerchantId", "PlanId", "TierId", "Status", slot, -count(*) FROM old_rows
                    GROUP BY "MerchantId", "PlanId", "TierId", "Status"
                    ORDER BY "MerchantId", "PlanId", "TierId", "Status"
                    ON CONFLICT ("MerchantId", "PlanId", "TierId", "Status", "Slot") DO UPDATE SET "Count" = "MemberCounts"."Count" + EXCLUDED."Count";
                ELSE
                    INSERT INTO "MemberCounts" ("MerchantId", "PlanId", "TierId", "Status", "Slot", "Count")
                    SELECT "MerchantId", "PlanId", "TierId", "Status", slot, sum(d) FROM (
                        SELECT "MerchantId", "PlanId", "TierId", "Status", 1 AS d FROM new_rows
                        UNION ALL
                        SELECT "MerchantId", "PlanId", "TierId", "Status", -1 FROM old_rows) AS x
                    GROUP BY "MerchantId", "PlanId", "TierId", "Status"
                    HAVING sum(d) <> 0
                    ORDER BY "MerchantId", "PlanId", "TierId", "Status"
                    ON CONFLICT ("MerchantId", "PlanId", "TierId", "Status", "Slot") DO UPDATE SET "Count" = "MemberCounts"."Count" + EXCLUDED."Count";
                END IF;
                RETURN NULL;
            END
            $$;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE "MemberCounts" ADD "Slot" smallint NOT NULL DEFAULT 0;""");
            migrationBuilder.Sql("""ALTER TABLE "MemberCounts" DROP CONSTRAINT "PK_MemberCounts";""");
            migrationBuilder.Sql("""ALTER TABLE "MemberCounts" ADD CONSTRAINT "PK_MemberCounts" PRIMARY KEY ("MerchantId", "PlanId", "TierId", "Status", "Slot");""");
            migrationBuilder.Sql(SlottedFunction);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PostgreSqlHandWrittenSql.OneRowPerCountFunction);
            // The slots of each count become its one row again.
            migrationBuilder.Sql("""
                UPDATE "MemberCounts" AS c SET "Count" = s.total
                FROM (SELECT "MerchantId", "PlanId", "TierId", "Status", sum("Count") AS total FROM "MemberCounts"
                      GROUP BY "MerchantId", "PlanId", "TierId", "Status") AS s
                WHERE c."Slot" = 0 AND c."MerchantId" = s."MerchantId" AND c."PlanId" = s."PlanId" AND c."TierId" = s."TierId" AND c."Status" = s."Status";
                INSERT INTO "MemberCounts" ("MerchantId", "PlanId", "TierId", "Status", "Slot", "Count")
                SELECT "MerchantId", "PlanId", "TierId", "Status", 0, sum("Count") FROM "MemberCounts"
                GROUP BY "MerchantId", "PlanId", "TierId", "Status"
                HAVING bool_and("Slot" <> 0);
                DELETE FROM "MemberCounts" WHERE "Slot" <> 0;
                """);
            migrationBuilder.Sql("""ALTER TABLE "MemberCounts" DROP CONSTRAINT "PK_MemberCounts";""");
            migrationBuilder.Sql("""ALTER TABLE "MemberCounts" DROP COLUMN "Slot";""");
            migrationBuilder.Sql("""ALTER TABLE "MemberCounts" ADD CONSTRAINT "PK_MemberCounts" PRIMARY KEY ("MerchantId", "PlanId", "TierId", "Status");""");
        }
    }
}
