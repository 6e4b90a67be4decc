using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScaleIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowRuns_MerchantId",
                table: "WorkflowRuns");

            migrationBuilder.DropIndex(
                name: "IX_Memberships_MerchantId",
                table: "Memberships");

            migrationBuilder.DropIndex(
                name: "IX_Memberships_MerchantId_PlanId_TierId",
                table: "Memberships");

            migrationBuilder.DropIndex(
                name: "IX_MembershipPlans_MerchantId",
                table: "MembershipPlans");

            migrationBuilder.DropIndex(
                name: "IX_MemberCouponCounts_MerchantId",
                table: "MemberCouponCounts");

            migrationBuilder.DropIndex(
                name: "IX_Customers_MerchantId",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_CouponTemplates_MerchantId",
                table: "CouponTemplates");

            migrationBuilder.DropIndex(
                name: "IX_Coupons_MerchantId",
                table: "Coupons");

            migrationBuilder.DropIndex(
                name: "IX_CouponGrants_MerchantId",
                table: "CouponGrants");

            migrationBuilder.DropIndex(
                name: "IX_CardTemplates_MerchantId",
                table: "CardTemplates");

            migrationBuilder.DropIndex(
                name: "IX_Benefits_MerchantId",
                table: "Benefits");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_MerchantId",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_ActivityFeed_MerchantId",
                table: "ActivityFeed");

            migrationBuilder.DropIndex(
                name: "IX_Activities_MerchantId",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_MerchantId_PlanId_TierId_Status_Id",
                table: "Memberships",
                columns: new[] { "MerchantId", "PlanId", "TierId", "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Memberships_MerchantId_PlanId_TierId_Status_Id",
                table: "Memberships");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowRuns_MerchantId",
                table: "WorkflowRuns",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_MerchantId",
                table: "Memberships",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_Memberships_MerchantId_PlanId_TierId",
                table: "Memberships",
                columns: new[] { "MerchantId", "PlanId", "TierId" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipPlans_MerchantId",
                table: "MembershipPlans",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_MemberCouponCounts_MerchantId",
                table: "MemberCouponCounts",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_MerchantId",
                table: "Customers",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_CouponTemplates_MerchantId",
                table: "CouponTemplates",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_MerchantId",
                table: "Coupons",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_CouponGrants_MerchantId",
                table: "CouponGrants",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_CardTemplates_MerchantId",
                table: "CardTemplates",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_Benefits_MerchantId",
                table: "Benefits",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_MerchantId",
                table: "AuditEntries",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityFeed_MerchantId",
                table: "ActivityFeed",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_MerchantId",
                table: "Activities",
                column: "MerchantId");
        }
    }
}
