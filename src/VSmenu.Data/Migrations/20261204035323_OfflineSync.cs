using System;
using Microsoft.EntityFrameworkCore.Migrations;
using VSmenu.Data.Sync;

#nullable disable

namespace VSmenu.Data.Migrations
{
    /// <inheritdoc />
    public partial class OfflineSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "client_id",
                table: "orders",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "sync_changes",
                columns: table => new
                {
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    entity = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false, collation: "C"),
                    entity_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    op = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_changes", x => new { x.tenant_id, x.version, x.entity, x.entity_id });
                    table.ForeignKey(
                        name: "fk_sync_changes_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sync_purges",
                columns: table => new
                {
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    purged_version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_purges", x => x.tenant_id);
                    table.ForeignKey(
                        name: "fk_sync_purges_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sync_terminals",
                columns: table => new
                {
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    last_mutation_id = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_terminals", x => new { x.tenant_id, x.client_id });
                    table.ForeignKey(
                        name: "fk_sync_terminals_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sync_mutations",
                columns: table => new
                {
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    mutation_id = table.Column<long>(type: "bigint", nullable: false),
                    result = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_mutations", x => new { x.tenant_id, x.client_id, x.mutation_id });
                    table.ForeignKey(
                        name: "fk_sync_mutations_sync_terminals_tenant_id_client_id",
                        columns: x => new { x.tenant_id, x.client_id },
                        principalTable: "sync_terminals",
                        principalColumns: new[] { "tenant_id", "client_id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_tenant_id_client_id",
                table: "orders",
                columns: new[] { "tenant_id", "client_id" },
                unique: true,
                filter: "client_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_sync_changes_record",
                table: "sync_changes",
                columns: new[] { "tenant_id", "entity", "entity_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sync_changes_tombstones",
                table: "sync_changes",
                column: "changed_at",
                filter: "op = 'delete'");

            migrationBuilder.CreateIndex(
                name: "ix_sync_mutations_created_at",
                table: "sync_mutations",
                column: "created_at");

            // Records already there become changes of this transaction before the triggers exist, so a first pull finds them.
            migrationBuilder.Sql(SyncTracking.BackfillSql());
            migrationBuilder.Sql(SyncTracking.CreateSql());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SyncTracking.DropSql());

            migrationBuilder.DropTable(
                name: "sync_changes");

            migrationBuilder.DropTable(
                name: "sync_mutations");

            migrationBuilder.DropTable(
                name: "sync_purges");

            migrationBuilder.DropTable(
                name: "sync_terminals");

            migrationBuilder.DropIndex(
                name: "ix_orders_tenant_id_client_id",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "client_id",
                table: "orders");
        }
    }
}
