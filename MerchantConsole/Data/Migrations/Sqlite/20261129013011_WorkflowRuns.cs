using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantConsole.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorkflowRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

            migrationBuilder.CreateTable(
                name: "WorkflowRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MerchantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubjectName = table.Column<string>(type: "TEXT", maxLength: 800, nullable: false),
                    Variant = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    SubjectRevision = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WorkflowRunNotes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    By = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Step = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowRunNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkflowRunNotes_WorkflowRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "WorkflowRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WorkflowSteps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Irreversible = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Output = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkflowSteps_WorkflowRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "WorkflowRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowRunNotes_RunId",
                table: "WorkflowRunNotes",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowRuns_Kind_SubjectId_StartedAt",
                table: "WorkflowRuns",
                columns: new[] { "Kind", "SubjectId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowRuns_MerchantId",
                table: "WorkflowRuns",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowRuns_MerchantId_Status",
                table: "WorkflowRuns",
                columns: new[] { "MerchantId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowRuns_Status_StartedAt",
                table: "WorkflowRuns",
                columns: new[] { "Status", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowSteps_RunId_Order",
                table: "WorkflowSteps",
                columns: new[] { "RunId", "Order" },
                unique: true);

            // Existing activation runs become runs of kind PlanActivation over their plan (hand-written: EF would only drop and create).
            migrationBuilder.Sql("""
                INSERT INTO WorkflowRuns (Id, MerchantId, Kind, SubjectId, SubjectName, Variant, SubjectRevision, Status, StartedAt, FinishedAt, RequestedBy, ConcurrencyStamp)
                SELECT r.Id, r.MerchantId, 'PlanActivation', r.PlanId, COALESCE(p.Name, ''), r.Kind, r.Revision, r.Status, r.StartedAt, r.FinishedAt, r.RequestedBy, r.ConcurrencyStamp
                FROM ActivationRuns r LEFT JOIN MembershipPlans p ON p.Id = r.PlanId
                """);
            // The frozen template version moves from the run to its freeze step's output; only PlanActive is irreversible.
            migrationBuilder.Sql("""
                INSERT INTO WorkflowSteps (Id, Name, "Order", Irreversible, Status, Attempts, LastError, StartedAt, FinishedAt, NextAttemptAt, Output, RunId)
                SELECT s.Id, s.Name, s."Order", CASE WHEN s.Name = 'PlanActive' THEN 1 ELSE 0 END, s.Status, s.Attempts, s.LastError,
                       s.StartedAt, s.FinishedAt, s.NextAttemptAt,
                       CASE WHEN s.Name = 'FreezeTemplateVersion' AND r.TemplateVersionId IS NOT NULL THEN LOWER(r.TemplateVersionId) END, s.RunId
                FROM ActivationSteps s JOIN ActivationRuns r ON r.Id = s.RunId
                """);
            migrationBuilder.Sql("""
                INSERT INTO WorkflowRunNotes (Id, At, "By", "Action", Step, Reason, RunId)
                SELECT Id, At, "By", "Action", Step, Reason, RunId FROM ActivationRunNotes
                """);
            // The history of a run stays under its run: audit rows name the entity types by their new names.
            migrationBuilder.Sql("UPDATE AuditEntries SET EntityType = 'WorkflowRun' WHERE EntityType = 'ActivationRun'");
            migrationBuilder.Sql("UPDATE AuditEntries SET AggregateType = 'WorkflowRun' WHERE AggregateType = 'ActivationRun'");
            migrationBuilder.Sql("UPDATE AuditEntries SET EntityType = 'WorkflowStep' WHERE EntityType = 'ActivationStep'");
            migrationBuilder.Sql("UPDATE AuditEntries SET EntityType = 'WorkflowRunNote' WHERE EntityType = 'ActivationRunNote'");

            migrationBuilder.DropTable(
                name: "ActivationRunNotes");

            migrationBuilder.DropTable(
                name: "ActivationSteps");

            migrationBuilder.DropTable(
                name: "ActivationRuns");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ActivationRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    MerchantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    TemplateVersionId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivationRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActivationRuns_MembershipPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "MembershipPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ActivationRunNotes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    By = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Step = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivationRunNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActivationRunNotes_ActivationRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "ActivationRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ActivationSteps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivationSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActivationSteps_ActivationRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "ActivationRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ActivationRunNotes_RunId",
                table: "ActivationRunNotes",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivationRuns_MerchantId",
                table: "ActivationRuns",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivationRuns_MerchantId_Status",
                table: "ActivationRuns",
                columns: new[] { "MerchantId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivationRuns_PlanId_StartedAt",
                table: "ActivationRuns",
                columns: new[] { "PlanId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivationRuns_Status_StartedAt",
                table: "ActivationRuns",
                columns: new[] { "Status", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivationSteps_RunId_Order",
                table: "ActivationSteps",
                columns: new[] { "RunId", "Order" },
                unique: true);

            // Only plan activation runs existed before; runs of other kinds cannot go back and are dropped.
            migrationBuilder.Sql("""
                INSERT INTO ActivationRuns (Id, ConcurrencyStamp, FinishedAt, Kind, MerchantId, PlanId, RequestedBy, Revision, StartedAt, Status, TemplateVersionId)
                SELECT r.Id, r.ConcurrencyStamp, r.FinishedAt, COALESCE(r.Variant, 'Activate'), r.MerchantId, r.SubjectId, r.RequestedBy, COALESCE(r.SubjectRevision, 0),
                       r.StartedAt, r.Status,
                       (SELECT UPPER(s.Output) FROM WorkflowSteps s WHERE s.RunId = r.Id AND s.Name = 'FreezeTemplateVersion' AND s.Output IS NOT NULL)
                FROM WorkflowRuns r WHERE r.Kind = 'PlanActivation' AND EXISTS (SELECT 1 FROM MembershipPlans p WHERE p.Id = r.SubjectId)
                """);
            migrationBuilder.Sql("""
                INSERT INTO ActivationSteps (Id, Attempts, FinishedAt, LastError, Name, NextAttemptAt, "Order", RunId, StartedAt, Status)
                SELECT s.Id, s.Attempts, s.FinishedAt, s.LastError, s.Name, s.NextAttemptAt, s."Order", s.RunId, s.StartedAt, s.Status
                FROM WorkflowSteps s WHERE s.RunId IN (SELECT Id FROM ActivationRuns)
                """);
            migrationBuilder.Sql("""
                INSERT INTO ActivationRunNotes (Id, "Action", At, "By", Reason, RunId, Step)
                SELECT n.Id, n."Action", n.At, n."By", n.Reason, n.RunId, n.Step FROM WorkflowRunNotes n WHERE n.RunId IN (SELECT Id FROM ActivationRuns)
                """);
            migrationBuilder.Sql("UPDATE AuditEntries SET EntityType = 'ActivationRun' WHERE EntityType = 'WorkflowRun'");
            migrationBuilder.Sql("UPDATE AuditEntries SET AggregateType = 'ActivationRun' WHERE AggregateType = 'WorkflowRun'");
            migrationBuilder.Sql("UPDATE AuditEntries SET EntityType = 'ActivationStep' WHERE EntityType = 'WorkflowStep'");
            migrationBuilder.Sql("UPDATE AuditEntries SET EntityType = 'ActivationRunNote' WHERE EntityType = 'WorkflowRunNote'");

            migrationBuilder.DropTable(
                name: "WorkflowRunNotes");

            migrationBuilder.DropTable(
                name: "WorkflowSteps");

            migrationBuilder.DropTable(
                name: "WorkflowRuns");
        }
    }
}
