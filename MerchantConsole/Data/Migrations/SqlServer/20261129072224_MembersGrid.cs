using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.SqlServer
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
                type: "uniqueidentifier",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "OverrideKind",
                table: "Memberships",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OverrideReason",
                table: "Memberships",
                type: "nvarchar(800)",
                maxLength: 800,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "OverrideTierId",
                table: "Memberships",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "OverrideUntil",
                table: "Memberships",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SpendMinorUnits",
                table: "Memberships",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "MemberCounts",
                columns: table => new
                {
                    MerchantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PlanId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberCounts", x => new { x.MerchantId, x.PlanId, x.TierId, x.Status });
                });

            migrationBuilder.CreateTable(
                name: "TierChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MerchantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MembershipId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    FromTierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ToTierId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    OverrideKind = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: true),
                    OverrideTierId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    OverrideUntil = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Note = table.Column<string>(type: "nvarchar(800)", maxLength: 800, nullable: true),
                    By = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
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
            // trigger keeps them (ARCHITECTURE.md, Members).
            migrationBuilder.Sql("UPDATE [Memberships] SET [EarnedTierId] = [TierId];");
            migrationBuilder.Sql("""
                INSERT INTO [MemberCounts] ([MerchantId], [PlanId], [TierId], [Status], [Count])
                SELECT [MerchantId], [PlanId], [TierId], [Status], COUNT_BIG(*) FROM [Memberships]
                GROUP BY [MerchantId], [PlanId], [TierId], [Status];
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER [TR_Memberships_Counts] ON [Memberships] AFTER INSERT, UPDATE, DELETE AS
                BEGIN
                    SET NOCOUNT ON;
                    MERGE [MemberCounts] WITH (HOLDLOCK) AS t
                    USING (
                        SELECT [MerchantId], [PlanId], [TierId], [Status], SUM(d) AS d FROM (
                            SELECT [MerchantId], [PlanId], [TierId], [Status], CAST(1 AS bigint) AS d FROM inserted
                            UNION ALL
                            SELECT [MerchantId], [PlanId], [TierId], [Status], CAST(-1 AS bigint) FROM deleted) AS x
                        GROUP BY [MerchantId], [PlanId], [TierId], [Status]
                        HAVING SUM(d) <> 0) AS s
                    ON t.[MerchantId] = s.[MerchantId] AND t.[PlanId] = s.[PlanId] AND t.[TierId] = s.[TierId] AND t.[Status] = s.[Status]
                    WHEN MATCHED THEN UPDATE SET [Count] = t.[Count] + s.d
                    WHEN NOT MATCHED THEN INSERT ([MerchantId], [PlanId], [TierId], [Status], [Count])
                        VALUES (s.[MerchantId], s.[PlanId], s.[TierId], s.[Status], s.d);
                END
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS [TR_Memberships_Counts];");

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
