using Microsoft.EntityFrameworkCore.Migrations;

namespace MerchantConsole.Data.Migrations.PostgreSql;

/// <summary>
/// What the PostgreSQL schema needs beyond what EF generates, kept out of the generated migration so the migration can be
/// made again (one line in its Up and one in its Down call this; ARCHITECTURE.md, PostgreSQL).
/// </summary>
public static class PostgreSqlHandWrittenSql
{
    public static void Up(MigrationBuilder migrationBuilder) => MemberCountTriggers(migrationBuilder);

    public static void Down(MigrationBuilder migrationBuilder) => DropMemberCountTriggers(migrationBuilder);

    /// <summary>
    /// MemberCounts is kept by triggers on Memberships (ARCHITECTURE.md, Members). Statement-level triggers read the
    /// statement's rows as transition tables, so a bulk insert of a grant or an <c>ExecuteUpdate</c> over thousands of
    /// members changes each count row once. This is the initial form, one row per count; <c>PostgreSqlMemberCountSlots</c>
    /// replaces the function so that each connection writes its own slot of a count (two writers of one row queued on it).
    /// </summary>
    public static void MemberCountTriggers(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(OneRowPerCountFunction);
        migrationBuilder.Sql("""
            CREATE TRIGGER "TR_Memberships_Counts_Insert" AFTER INSERT ON "Memberships"
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "MemberCounts_Apply"();
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "TR_Memberships_Counts_Update" AFTER UPDATE ON "Memberships"
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "MemberCounts_Apply"();
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "TR_Memberships_Counts_Delete" AFTER DELETE ON "Memberships"
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "MemberCounts_Apply"();
            """);
    }

    /// <summary>The counts' function as the initial migration made it: one row per merchant, plan, tier and status.</summary>
    public const string OneRowPerCountFunction = """
            CREATE OR REPLACE FUNCTION "MemberCounts_Apply"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO "MemberCounts" ("MerchantId", "PlanId", "TierId", "Status", "Count")
                    SELECT "MerchantId", "PlanId", "TierId", "Status", count(*) FROM new_rows
                    GROUP BY "MerchantId", "PlanId", "TierId", "Status"
                    ORDER BY "MerchantId", "PlanId", "TierId", "Status"
                    ON CONFLICT ("MerchantId", "PlanId", "TierId", "Status") DO UPDATE SET "Count" = "MemberCounts"."Count" + EXCLUDED."Count";
                ELSIF TG_OP = 'DELETE' THEN
                    UPDATE "MemberCounts" AS c SET "Count" = c."Count" - d.n
                    FROM (SELECT "MerchantId", "PlanId", "TierId", "Status", count(*) AS n FROM old_rows
                          GROUP BY "MerchantId", "PlanId", "TierId", "Status") AS d
                    WHERE c."MerchantId" = d."MerchantId" AND c."PlanId" = d."PlanId" AND c."TierId" = d."TierId" AND c."Status" = d."Status";
                ELSE
                    INSERT INTO "MemberCounts" ("MerchantId", "PlanId", "TierId", "Status", "Count")
                    SELECT "MerchantId", "PlanId", "TierId", "Status", sum(d) FROM (
                        SELECT "MerchantId", "PlanId", "TierId", "Status", 1 AS d FROM new_rows
                        UNION ALL
                        SELECT "MerchantId", "PlanId", "TierId", "Status", -1 FROM old_rows) AS x
                    GROUP BY "MerchantId", "PlanId", "TierId", "Status"
                    HAVING sum(d) <> 0
                    ORDER BY "MerchantId", "PlanId", "TierId", "Status"
                    ON CONFLICT ("MerchantId", "PlanId", "TierId", "Status") DO UPDATE SET "Count" = "MemberCounts"."Count" + EXCLUDED."Count";
                END IF;
                RETURN NULL;
            END
            $$;
            """;

    public static void DropMemberCountTriggers(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Memberships_Counts_Insert" ON "Memberships";""");
        migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Memberships_Counts_Update" ON "Memberships";""");
        migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Memberships_Counts_Delete" ON "Memberships";""");
        migrationBuilder.Sql("""DROP FUNCTION IF EXISTS "MemberCounts_Apply"();""");
    }
}
