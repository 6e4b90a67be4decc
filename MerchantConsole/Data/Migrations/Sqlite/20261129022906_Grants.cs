using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Grants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CouponGrants",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MerchantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ActivityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CouponActivityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TargetKind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    TierId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    Targeted = table.Column<int>(type: "INTEGER", nullable: false),
                    Issued = table.Column<int>(type: "INTEGER", nullable: false),
                    AlreadyHad = table.Column<int>(type: "INTEGER", nullable: false),
                    Refused = table.Column<int>(type: "INTEGER", nullable: false),
                    LastMembershipId = table.Column<Guid>(type: "TEXT", nullable: true),
                    LastRow = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CouponGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CouponGrants_CouponActivities_CouponActivityId",
                        column: x => x.CouponActivityId,
                        principalTable: "CouponActivities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CouponGrantRefusals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MerchantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GrantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Row = table.Column<int>(type: "INTEGER", nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EnglishText = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Arguments = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CouponGrantRefusals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CouponGrantRefusals_CouponGrants_GrantId",
                        column: x => x.GrantId,
                        principalTable: "CouponGrants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CouponGrantRows",
                columns: table => new
                {
                    GrantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Row = table.Column<int>(type: "INTEGER", nullable: false),
                    MerchantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CouponGrantRows", x => new { x.GrantId, x.Row });
                    table.ForeignKey(
                        name: "FK_CouponGrantRows_CouponGrants_GrantId",
                        column: x => x.GrantId,
                        principalTable: "CouponGrants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_Grant_Keyset",
                table: "Memberships",
                columns: new[] { "MerchantId", "PlanId", "TierId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_CouponGrantRefusals_GrantId_Row",
                table: "CouponGrantRefusals",
                columns: new[] { "GrantId", "Row" });

            migrationBuilder.CreateIndex(
                name: "IX_CouponGrantRefusals_MerchantId",
                table: "CouponGrantRefusals",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_CouponGrantRows_MerchantId",
                table: "CouponGrantRows",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_CouponGrants_CouponActivityId",
                table: "CouponGrants",
                column: "CouponActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_CouponGrants_MerchantId",
                table: "CouponGrants",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_CouponGrants_MerchantId_CouponActivityId_RequestedAt",
                table: "CouponGrants",
                columns: new[] { "MerchantId", "CouponActivityId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CouponGrants_Status_LeaseUntil",
                table: "CouponGrants",
                columns: new[] { "Status", "LeaseUntil" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CouponGrantRefusals");

            migrationBuilder.DropTable(
                name: "CouponGrantRows");

            migrationBuilder.DropTable(
                name: "CouponGrants");

            migrationBuilder.DropIndex(
                name: "IX_Memberships_Grant_Keyset",
                table: "Memberships");
        }
    }
}
