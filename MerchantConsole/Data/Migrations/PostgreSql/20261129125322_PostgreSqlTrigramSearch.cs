using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.PostgreSql
{
    /// <summary>
    /// Trigram indexes for the searches PostgreSQL's b-trees cannot seek: the member grid's name prefix (<c>ILIKE 'abc%'</c>,
    /// see PostgreSqlCaseInsensitiveLike) and the order grid's contains-search on a customer's name or phone
    /// (<c>ILIKE '%abc%'</c>). PostgreSQL only: SQLite and SQL Server search as before, and the model is unchanged.
    /// pg_trgm ships with PostgreSQL (Debian's postgresql package) and is a trusted extension: the database's owner may create it.
    /// </summary>
    public partial class PostgreSqlTrigramSearch : Migration
    {
        public const string CustomerNameIndex = "IX_Customers_Name_Trgm";
        public const string CustomerPhoneIndex = "IX_Customers_Phone_Trgm";

        public const string CreateCustomerNameIndex = $"""CREATE INDEX "{CustomerNameIndex}" ON "Customers" USING gin ("Name" gin_trgm_ops);""";
        public const string CreateCustomerPhoneIndex = $"""CREATE INDEX "{CustomerPhoneIndex}" ON "Customers" USING gin ("Phone" gin_trgm_ops);""";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql(CreateCustomerNameIndex);
            migrationBuilder.Sql(CreateCustomerPhoneIndex);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""DROP INDEX IF EXISTS "{CustomerPhoneIndex}";""");
            migrationBuilder.Sql($"""DROP INDEX IF EXISTS "{CustomerNameIndex}";""");
            // The extension stays: something else in the database may use it.
        }
    }
}
