using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VSmenu.Data.Migrations
{
    /// <inheritdoc />
    public partial class OrderIdBlocksOfAThousand : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterSequence(
                name: "orders_hilo",
                incrementBy: 1000,
                oldIncrementBy: 10);

            migrationBuilder.AlterSequence(
                name: "order_items_hilo",
                incrementBy: 1000,
                oldIncrementBy: 10);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterSequence(
                name: "orders_hilo",
                incrementBy: 10,
                oldIncrementBy: 1000);

            migrationBuilder.AlterSequence(
                name: "order_items_hilo",
                incrementBy: 10,
                oldIncrementBy: 1000);
        }
    }
}
