using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantConsole.Data.Configurations;

// Uniqueness per merchant lives in unique indexes, so two enrolments racing each other cannot both win: the loser's
// save fails and the enrolment service retries or returns the winner's row (ARCHITECTURE.md, Members).

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("Customers");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Phone).HasMaxLength(PhoneNumber.MaxLength);
        builder.Property(c => c.Name).HasMaxLength(Customer.NameLimit.MaxUtf16);
        builder.Property(c => c.ExternalRef).HasMaxLength(Customer.ExternalRefLimit.MaxUtf16);
        builder.HasIndex(c => new { c.MerchantId, c.Phone }).IsUnique();
        // SQL Server's unique index on a nullable column is filtered to the rows that have a value; SQLite never counts NULLs.
        builder.HasIndex(c => new { c.MerchantId, c.ExternalRef }).IsUnique();
        builder.HasIndex(c => new { c.MerchantId, c.Name });
    }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        // The triggers keep MemberCounts (see MemberCountConfiguration); declared so SQL Server saves without OUTPUT.
        builder.ToTable("Memberships", t => t.HasTrigger(MemberCountConfiguration.TriggerName));
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.OverrideKind).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.OverrideReason).HasMaxLength(TierChange.NoteLimit.MaxUtf16);
        builder.Property(m => m.CardNumber).HasMaxLength(CardNumbers.Length);
        builder.HasIndex(m => new { m.MerchantId, m.CardNumber }).IsUnique();
        builder.HasIndex(m => new { m.CustomerId, m.PlanId }).IsUnique();
        // Ends with Status and Id so a grant's next batch of a tier (Id after its cursor) is a range read, not a sort of the tier.
        builder.HasIndex(m => new { m.MerchantId, m.PlanId, m.TierId, m.Status, m.Id });
        // The member list's order (newest first, card number breaking ties) with what its filters test: a keyset page is
        // a range read of this index, and a filtered page checks plan, tier and status without visiting the table.
        builder.HasIndex(m => new { m.MerchantId, m.JoinedAt, m.CardNumber, m.PlanId, m.TierId, m.Status }).HasDatabaseName("IX_Memberships_List");
        // Expiry: the lifecycle job's batches are range reads of this index.
        builder.HasIndex(m => new { m.Status, m.ExpiresAt });

        // Members outlive every edit of their plan: nothing they point at may be deleted under them.
        builder.HasOne<Customer>().WithMany().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<MembershipPlan>().WithMany().HasForeignKey(m => m.PlanId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Tier>().WithMany().HasForeignKey(m => m.TierId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<JoinChannel>().WithMany().HasForeignKey(m => m.JoinChannelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CardTemplateVersion>().WithMany().HasForeignKey(m => m.CardTemplateVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TierChangeConfiguration : IEntityTypeConfiguration<TierChange>
{
    public void Configure(EntityTypeBuilder<TierChange> builder)
    {
        builder.ToTable("TierChanges");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Reason).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.OverrideKind).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Note).HasMaxLength(TierChange.NoteLimit.MaxUtf16);
        builder.Property(c => c.By).HasMaxLength(TierChange.MaxByLength);
        builder.HasIndex(c => new { c.MerchantId, c.MembershipId, c.At });
        builder.HasOne<Membership>().WithMany().HasForeignKey(c => c.MembershipId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Counts of memberships per (merchant, plan, tier, status), kept by triggers on Memberships that the migration
/// <c>MembersGrid</c> creates for each provider (ARCHITECTURE.md, Members).
/// </summary>
internal sealed class MemberCountConfiguration : IEntityTypeConfiguration<MemberCount>
{
    public const string TriggerName = "TR_Memberships_Counts";

    public void Configure(EntityTypeBuilder<MemberCount> builder)
    {
        builder.ToTable("MemberCounts");
        builder.HasKey(c => new { c.MerchantId, c.PlanId, c.TierId, c.Status });
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
    }
}

internal sealed class MemberExportConfiguration : IEntityTypeConfiguration<MemberExport>
{
    public void Configure(EntityTypeBuilder<MemberExport> builder)
    {
        builder.ToTable("MemberExports");
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Search).HasMaxLength(MemberExport.MaxSearchLength);
        builder.Property(e => e.MembershipStatus).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.RequestedBy).HasMaxLength(MemberExport.MaxByLength);
        builder.HasIndex(e => new { e.MerchantId, e.RequestedAt });
    }
}
