using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MembersGrid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Memberships_MerchantId_JoinedAt",
                table: "Memberships");

            migrationBuilder.AddColumn<Guid>(
                name: "EarnedTierId",
                table: "Memberships",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "OverrideKind",
                table: "Memberships",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OverrideReason",
                table: "Memberships",
                type: "TEXT",
                maxLength: 800,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "OverrideTierId",
                table: "Memberships",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OverrideUntil",
                table: "Memberships",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SpendMinorUnits",
                table: "Memberships",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "MemberCounts",
                columns: table => new
                {
                    MerchantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberCounts", x => new { x.MerchantId, x.PlanId, x.TierId, x.Status });
                });

            migrationBuilder.CreateTable(
                name: "TierChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MerchantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MembershipId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FromTierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ToTierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OverrideKind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    OverrideTierId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OverrideUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 800, nullable: true),
                    By = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TierChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TierChanges_Memberships_MembershipId",
                        column: x => x.MembershipId,
                        principalTable: "Memberships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_List",
                table: "Memberships",
                columns: new[] { "MerchantId", "JoinedAt", "CardNumber", "PlanId", "TierId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_Status_ExpiresAt",
                table: "Memberships",
                columns: new[] { "Status", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TierChanges_MembershipId",
                table: "TierChanges",
                column: "MembershipId");

            migrationBuilder.CreateIndex(
                name: "IX_TierChanges_MerchantId_MembershipId_At",
                table: "TierChanges",
                columns: new[] { "MerchantId", "MembershipId", "At" });

            // Members keep the tier they hold as the tier they earned; counts start from the rows there are, then the
            // triggers keep them (ARCHITECTURE.md, Members). A later migration that rebuilds Memberships must recreate them.
            migrationBuilder.Sql("""UPDATE "Memberships" SET "EarnedTierId" = "TierId";""");
            migrationBuilder.Sql("""
                INSERT INTO "MemberCounts" ("MerchantId", "PlanId", "TierId", "Status", "Count")
                SELECT "MerchantId", "PlanId", "TierId", "Status", count(*) FROM "Memberships"
                GROUP BY "MerchantId", "PlanId", "TierId", "Status";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Memberships_Counts_Insert" AFTER INSERT ON "Memberships"
                BEGIN
                    INSERT INTO "MemberCounts" ("MerchantId", "PlanId", "TierId", "Status", "Count")
                    VALUES (NEW."MerchantId", NEW."PlanId", NEW."TierId", NEW."Status", 1)
                    ON CONFLICT ("MerchantId", "PlanId", "TierId", "Status") DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Memberships_Counts_Delete" AFTER DELETE ON "Memberships"
                BEGIN
                    UPDATE "MemberCounts" SET "Count" = "Count" - 1
                    WHERE "MerchantId" = OLD."MerchantId" AND "PlanId" = OLD."PlanId" AND "TierId" = OLD."TierId" AND "Status" = OLD."Status";
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Memberships_Counts_Update" AFTER UPDATE OF "MerchantId", "PlanId", "TierId", "Status" ON "Memberships"
                WHEN OLD."MerchantId" IS NOT NEW."MerchantId" OR OLD."PlanId" IS NOT NEW."PlanId" OR OLD."TierId" IS NOT NEW."TierId" OR OLD."Status" IS NOT NEW."Status"
                BEGIN
                    UPDATE "MemberCounts" SET "Count" = "Count" - 1
                    WHERE "MerchantId" = OLD."MerchantId" AND "PlanId" = OLD."PlanId" AND "TierId" = OLD."TierId" AND "Status" = OLD."Status";
                    INSERT INTO "MemberCounts" ("MerchantId", "PlanId", "TierId", "Status", "Count")
                    VALUES (NEW."MerchantId", NEW."PlanId", NEW."TierId", NEW."Status", 1)
                    ON CONFLICT ("MerchantId", "PlanId", "TierId", "Status") DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Memberships_Counts_Insert";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Memberships_Counts_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Memberships_Counts_Update";""");

            migrationBuilder.DropTable(
                name: "MemberCounts");

            migrationBuilder.DropTable(
                name: "TierChanges");

            migrationBuilder.DropIndex(
                name: "IX_Memberships_List",
                table: "Memberships");

            migrationBuilder.DropIndex(
                name: "IX_Memberships_Status_ExpiresAt",
                table: "Memberships");

            migrationBuilder.DropColumn(
                name: "EarnedTierId",
                table: "Memberships");

            migrationBuilder.DropColumn(
                name: "OverrideKind",
                table: "Memberships");

            migrationBuilder.DropColumn(
                name: "OverrideReason",
                table: "Memberships");

            migrationBuilder.DropColumn(
                name: "OverrideTierId",
                table: "Memberships");

            migrationBuilder.DropColumn(
                name: "OverrideUntil",
                table: "Memberships");

            migrationBuilder.DropColumn(
                name: "SpendMinorUnits",
                table: "Memberships");

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_MerchantId_JoinedAt",
                table: "Memberships",
                columns: new[] { "MerchantId", "JoinedAt" });
        }
    }
}
