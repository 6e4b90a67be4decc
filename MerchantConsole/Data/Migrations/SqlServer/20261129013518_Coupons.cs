using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Coupons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Activities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MerchantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(240)", maxLength: 240, nullable: false),
                    StartsAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    EndsAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    EffectiveAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Activities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CouponDailyCounts",
                columns: table => new
                {
                    CouponActivityId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    MerchantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Issued = table.Column<int>(type: "int", nullable: false),
                    Redeemed = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CouponDailyCounts", x => new { x.CouponActivityId, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "CouponTemplates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MerchantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(240)", maxLength: 240, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CouponTemplates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MemberCouponCounts",
                columns: table => new
                {
                    MerchantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MembershipId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CouponTemplateId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Issued = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberCouponCounts", x => new { x.MerchantId, x.MembershipId, x.CouponTemplateId });
                });

            migrationBuilder.CreateTable(
                name: "CouponTemplateVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CouponTemplateId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Number = table.Column<int>(type: "int", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    PublishedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    Kind = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    FaceValueMinorUnits = table.Column<long>(type: "bigint", nullable: true),
                    Percent = table.Column<int>(type: "int", nullable: true),
                    PercentCapMinorUnits = table.Column<long>(type: "bigint", nullable: true),
                    GiftItem = table.Column<string>(type: "nvarchar(240)", maxLength: 240, nullable: true),
                    MinimumSpendMinorUnits = table.Column<long>(type: "bigint", nullable: false),
                    ValidityKind = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    ValidFromDate = table.Column<DateOnly>(type: "date", nullable: true),
                    ValidUntilDate = table.Column<DateOnly>(type: "date", nullable: true),
                    ValidDays = table.Column<int>(type: "int", nullable: true),
                    ValidDelayDays = table.Column<int>(type: "int", nullable: false),
                    Weekdays = table.Column<int>(type: "int", nullable: false),
                    UsableFromMinute = table.Column<int>(type: "int", nullable: true),
                    UsableUntilMinute = table.Column<int>(type: "int", nullable: true),
                    StoreCodes = table.Column<string>(type: "nvarchar(max)", maxLength: 6600, nullable: false),
                    TotalStock = table.Column<int>(type: "int", nullable: true),
                    PerMemberLimit = table.Column<int>(type: "int", nullable: true),
                    CodePrefix = table.Column<string>(type: "varchar(8)", unicode: false, maxLength: 8, nullable: false),
                    CodeLength = table.Column<int>(type: "int", nullable: false),
                    CodeAlphabet = table.Column<string>(type: "varchar(36)", unicode: false, maxLength: 36, nullable: false),
                    Issued = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CouponTemplateVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CouponTemplateVersions_CouponTemplates_CouponTemplateId",
                        column: x => x.CouponTemplateId,
                        principalTable: "CouponTemplates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CouponActivities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ActivityId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CouponTemplateId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CouponTemplateVersionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Trigger = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    DayOfMonth = table.Column<int>(type: "int", nullable: true),
                    Budget = table.Column<int>(type: "int", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Issued = table.Column<int>(type: "int", nullable: false),
                    Redeemed = table.Column<int>(type: "int", nullable: false),
                    Expired = table.Column<int>(type: "int", nullable: false),
                    Revoked = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CouponActivities", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CouponActivities_Activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "Activities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CouponActivities_CouponTemplateVersions_CouponTemplateVersionId",
                        column: x => x.CouponTemplateVersionId,
                        principalTable: "CouponTemplateVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Coupons",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MerchantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CouponActivityId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CouponTemplateVersionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MembershipId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    BenefitVersionId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Code = table.Column<string>(type: "varchar(32)", unicode: false, maxLength: 32, nullable: false),
                    IssueKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ValidFrom = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ValidUntil = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    RedeemedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RedeemedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    RedeemedStoreCode = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    RedeemedOrderMinorUnits = table.Column<long>(type: "bigint", nullable: true),
                    DiscountMinorUnits = table.Column<long>(type: "bigint", nullable: true),
                    ReversedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ReversedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ReversalReason = table.Column<string>(type: "nvarchar(800)", maxLength: 800, nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RevokedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    RevokeReason = table.Column<string>(type: "nvarchar(800)", maxLength: 800, nullable: true),
                    ExpiredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Coupons", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Coupons_CouponActivities_CouponActivityId",
                        column: x => x.CouponActivityId,
                        principalTable: "CouponActivities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Coupons_CouponTemplateVersions_CouponTemplateVersionId",
                        column: x => x.CouponTemplateVersionId,
                        principalTable: "CouponTemplateVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_MerchantId",
                table: "Activities",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_MerchantId_Status",
                table: "Activities",
                columns: new[] { "MerchantId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_CouponActivities_ActivityId",
                table: "CouponActivities",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_CouponActivities_CouponTemplateId",
                table: "CouponActivities",
                column: "CouponTemplateId");

            migrationBuilder.CreateIndex(
                name: "IX_CouponActivities_CouponTemplateVersionId",
                table: "CouponActivities",
                column: "CouponTemplateVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_CouponDailyCounts_MerchantId",
                table: "CouponDailyCounts",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_CouponActivityId_Status_ValidUntil",
                table: "Coupons",
                columns: new[] { "CouponActivityId", "Status", "ValidUntil" });

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_CouponTemplateVersionId",
                table: "Coupons",
                column: "CouponTemplateVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_MerchantId",
                table: "Coupons",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_MerchantId_Code",
                table: "Coupons",
                columns: new[] { "MerchantId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_MerchantId_MembershipId_IssueKey",
                table: "Coupons",
                columns: new[] { "MerchantId", "MembershipId", "IssueKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_Status_ValidUntil",
                table: "Coupons",
                columns: new[] { "Status", "ValidUntil" });

            migrationBuilder.CreateIndex(
                name: "IX_CouponTemplates_MerchantId",
                table: "CouponTemplates",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_CouponTemplates_MerchantId_Name",
                table: "CouponTemplates",
                columns: new[] { "MerchantId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_CouponTemplateVersions_CouponTemplateId_Number",
                table: "CouponTemplateVersions",
                columns: new[] { "CouponTemplateId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MemberCouponCounts_MerchantId",
                table: "MemberCouponCounts",
                column: "MerchantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CouponDailyCounts");

            migrationBuilder.DropTable(
                name: "Coupons");

            migrationBuilder.DropTable(
                name: "MemberCouponCounts");

            migrationBuilder.DropTable(
                name: "CouponActivities");

            migrationBuilder.DropTable(
                name: "Activities");

            migrationBuilder.DropTable(
                name: "CouponTemplateVersions");

            migrationBuilder.DropTable(
                name: "CouponTemplates");
        }
    }
}
