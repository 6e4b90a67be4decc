using MerchantConsole.Domain.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantConsole.Data.Configurations;

// A run names its subject by kind and id, without a foreign key: the subject lives in whichever table its workflow
// kind says. Steps and notes are parts of the run (shadow RunId, cascade).

internal sealed class WorkflowRunConfiguration : IEntityTypeConfiguration<WorkflowRun>
{
    public void Configure(EntityTypeBuilder<WorkflowRun> builder)
    {
        builder.ToTable("WorkflowRuns");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Kind).HasMaxLength(WorkflowRun.MaxKindLength);
        builder.Property(r => r.SubjectName).HasMaxLength(WorkflowRun.SubjectNameLimit.MaxUtf16);
        builder.Property(r => r.Variant).HasMaxLength(WorkflowRun.MaxVariantLength);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.RequestedBy).HasMaxLength(256);
        // The sweeper and the support console look runs up by status across merchants; a subject's page by subject.
        builder.HasIndex(r => new { r.MerchantId, r.Status });
        builder.HasIndex(r => new { r.Status, r.StartedAt });
        builder.HasIndex(r => new { r.Kind, r.SubjectId, r.StartedAt });

        builder.HasMany(r => r.Steps).WithOne().HasForeignKey("RunId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Steps).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(r => r.Notes).WithOne().HasForeignKey("RunId").IsRequired().OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Notes).UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.Ignore(r => r.NextStep);
        builder.Ignore(r => r.IsFinished);
        builder.Ignore(r => r.CanRollBack);
    }
}

internal sealed class WorkflowStepConfiguration : IEntityTypeConfiguration<WorkflowStep>
{
    public void Configure(EntityTypeBuilder<WorkflowStep> builder)
    {
        builder.ToTable("WorkflowSteps");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Name).HasMaxLength(WorkflowRun.MaxStepNameLength);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.LastError).HasMaxLength(WorkflowStep.MaxErrorLength);
        builder.Property(s => s.Output).HasMaxLength(WorkflowStep.MaxOutputLength);
        builder.HasIndex("RunId", nameof(WorkflowStep.Order)).IsUnique();

        builder.Ignore(s => s.IsDone);
    }
}

internal sealed class WorkflowRunNoteConfiguration : IEntityTypeConfiguration<WorkflowRunNote>
{
    public void Configure(EntityTypeBuilder<WorkflowRunNote> builder)
    {
        builder.ToTable("WorkflowRunNotes");
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.By).HasMaxLength(256);
        builder.Property(n => n.Action).HasConversion<string>().HasMaxLength(20);
        builder.Property(n => n.Step).HasMaxLength(WorkflowRun.MaxStepNameLength);
        builder.Property(n => n.Reason).HasMaxLength(WorkflowRunNote.ReasonLimit.MaxUtf16);
    }
}
