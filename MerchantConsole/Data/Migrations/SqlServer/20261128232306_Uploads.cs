using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Uploads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PublicToken",
                table: "UploadedImages",
                type: "varchar(32)",
                unicode: false,
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "PlanTiers",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(50)",
                oldMaxLength: 50);

            migrationBuilder.AlterColumn<string>(
                name: "StoreCode",
                table: "PlanJoinChannels",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(64)",
                oldMaxLength: 64,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "Merchants",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "MembershipProducts",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "MembershipPlans",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "Description",
                table: "MembershipPlans",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(2000)",
                oldMaxLength: 2000,
                oldNullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "BackgroundImageId",
                table: "CardTemplateVersions",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LogoImageId",
                table: "CardTemplateVersions",
                type: "uniqueidentifier",
                nullable: true);

            // Existing rows: a random token each (before the unique index), and the image ids copied out of the design.
            migrationBuilder.Sql("UPDATE [UploadedImages] SET [PublicToken] = LOWER(CONVERT(varchar(32), CRYPT_GEN_RANDOM(16), 2));");
            migrationBuilder.Sql("UPDATE [CardTemplateVersions] SET " +
                "[LogoImageId] = TRY_CONVERT(uniqueidentifier, JSON_VALUE([Design], '$.LogoImageId')), " +
                "[BackgroundImageId] = TRY_CONVERT(uniqueidentifier, JSON_VALUE([Design], '$.BackgroundImageId'));");

            migrationBuilder.CreateIndex(
                name: "IX_UploadedImages_PublicToken",
                table: "UploadedImages",
                column: "PublicToken",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CardTemplateVersions_BackgroundImageId",
                table: "CardTemplateVersions",
                column: "BackgroundImageId");

            migrationBuilder.CreateIndex(
                name: "IX_CardTemplateVersions_LogoImageId",
                table: "CardTemplateVersions",
                column: "LogoImageId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UploadedImages_PublicToken",
                table: "UploadedImages");

            migrationBuilder.DropIndex(
                name: "IX_CardTemplateVersions_BackgroundImageId",
                table: "CardTemplateVersions");

            migrationBuilder.DropIndex(
                name: "IX_CardTemplateVersions_LogoImageId",
                table: "CardTemplateVersions");

            migrationBuilder.DropColumn(
                name: "PublicToken",
                table: "UploadedImages");

            migrationBuilder.DropColumn(
                name: "BackgroundImageId",
                table: "CardTemplateVersions");

            migrationBuilder.DropColumn(
                name: "LogoImageId",
                table: "CardTemplateVersions");

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "PlanTiers",
                type: "nvarchar(50)",
                maxLength: 50,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200);

            migrationBuilder.AlterColumn<string>(
                name: "StoreCode",
                table: "PlanJoinChannels",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(256)",
                oldMaxLength: 256,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "Merchants",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(400)",
                oldMaxLength: 400);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "MembershipProducts",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(400)",
                oldMaxLength: 400);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "MembershipPlans",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(400)",
                oldMaxLength: 400);

            migrationBuilder.AlterColumn<string>(
                name: "Description",
                table: "MembershipPlans",
                type: "nvarchar(2000)",
                maxLength: 2000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(4000)",
                oldMaxLength: 4000,
                oldNullable: true);
        }
    }
}
