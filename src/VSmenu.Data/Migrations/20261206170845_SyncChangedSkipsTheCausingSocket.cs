using Microsoft.EntityFrameworkCore.Migrations;
using VSmenu.Data.Sync;

#nullable disable

namespace VSmenu.Data.Migrations
{
    /// <inheritdoc />
    public partial class SyncChangedSkipsTheCausingSocket : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SyncTracking.FunctionSql());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The function only reads a setting that the api sets; without it, it writes what the one before wrote.
        }
    }
}
