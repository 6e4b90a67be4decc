using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.Sqlite
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
                type: "TEXT",
                unicode: false,
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "BackgroundImageId",
                table: "CardTemplateVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LogoImageId",
                table: "CardTemplateVersions",
                type: "TEXT",
                nullable: true);

            // Existing rows: a random token each (before the unique index), and the image ids copied out of the design.
            migrationBuilder.Sql("UPDATE \"UploadedImages\" SET \"PublicToken\" = lower(hex(randomblob(16)));");
            migrationBuilder.Sql("UPDATE \"CardTemplateVersions\" SET " +
                "\"LogoImageId\" = upper(json_extract(\"Design\", '$.LogoImageId')), " +
                "\"BackgroundImageId\" = upper(json_extract(\"Design\", '$.BackgroundImageId'));");

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
        }
    }
}
