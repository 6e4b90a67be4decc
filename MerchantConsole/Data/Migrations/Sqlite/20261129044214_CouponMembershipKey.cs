using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CouponMembershipKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Coupons_MerchantId_MembershipId_IssueKey",
                table: "Coupons");

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_MembershipId_IssueKey",
                table: "Coupons",
                columns: new[] { "MembershipId", "IssueKey" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Coupons_Memberships_MembershipId",
                table: "Coupons",
                column: "MembershipId",
                principalTable: "Memberships",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Coupons_Memberships_MembershipId",
                table: "Coupons");

            migrationBuilder.DropIndex(
                name: "IX_Coupons_MembershipId_IssueKey",
                table: "Coupons");

            migrationBuilder.CreateIndex(
                name: "IX_Coupons_MerchantId_MembershipId_IssueKey",
                table: "Coupons",
                columns: new[] { "MerchantId", "MembershipId", "IssueKey" },
                unique: true);
        }
    }
}
