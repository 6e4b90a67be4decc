using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CouponKeyWithMerchant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Coupons_MembershipId_IssueKey",
                table: "Coupons");

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_MembershipId_MerchantId_IssueKey",
                table: "Coupons",
                columns: new[] { "MembershipId", "MerchantId", "IssueKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Coupons_MembershipId_MerchantId_IssueKey",
                table: "Coupons");

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_MembershipId_IssueKey",
                table: "Coupons",
                columns: new[] { "MembershipId", "IssueKey" },
                unique: true);
        }
    }
}
