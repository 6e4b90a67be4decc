using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Benefits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ActivityFeed",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MerchantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ActivityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BenefitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BenefitVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VersionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 240, nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivityFeed", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Benefits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MerchantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 240, nullable: false),
                    TierIdList = table.Column<string>(type: "TEXT", unicode: false, maxLength: 740, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Benefits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Benefits_MembershipPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "MembershipPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "BenefitVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    BenefitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    EffectiveFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DiscountPercent = table.Column<int>(type: "INTEGER", nullable: true),
                    PointsFactor = table.Column<decimal>(type: "TEXT", precision: 4, scale: 1, nullable: true),
                    CustomText = table.Column<string>(type: "TEXT", maxLength: 800, nullable: true),
                    ChosenActivityId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ActivityId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CouponTemplateVersionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CouponActivityId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    DayOfMonth = table.Column<int>(type: "INTEGER", nullable: true),
                    Budget = table.Column<int>(type: "INTEGER", nullable: true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ActivatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BenefitVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BenefitVersions_Benefits_BenefitId",
                        column: x => x.BenefitId,
                        principalTable: "Benefits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityFeed_MerchantId",
                table: "ActivityFeed",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityFeed_MerchantId_ActivityId_TierId",
                table: "ActivityFeed",
                columns: new[] { "MerchantId", "ActivityId", "TierId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivityFeed_MerchantId_PlanId_TierId",
                table: "ActivityFeed",
                columns: new[] { "MerchantId", "PlanId", "TierId" });

            migrationBuilder.CreateIndex(
                name: "IX_Benefits_MerchantId",
                table: "Benefits",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_Benefits_MerchantId_PlanId",
                table: "Benefits",
                columns: new[] { "MerchantId", "PlanId" });

            migrationBuilder.CreateIndex(
                name: "IX_Benefits_PlanId",
                table: "Benefits",
                column: "PlanId");

            migrationBuilder.CreateIndex(
                name: "IX_BenefitVersions_BenefitId_Number",
                table: "BenefitVersions",
                columns: new[] { "BenefitId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BenefitVersions_CouponActivityId",
                table: "BenefitVersions",
                column: "CouponActivityId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActivityFeed");

            migrationBuilder.DropTable(
                name: "BenefitVersions");

            migrationBuilder.DropTable(
                name: "Benefits");
        }
    }
}
