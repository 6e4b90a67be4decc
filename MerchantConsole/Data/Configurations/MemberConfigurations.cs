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
        builder.ToTable("Memberships");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.CardNumber).HasMaxLength(CardNumbers.Length);
        builder.HasIndex(m => new { m.MerchantId, m.CardNumber }).IsUnique();
        builder.HasIndex(m => new { m.CustomerId, m.PlanId }).IsUnique();
        // Ends with Status and Id so a grant's next batch of a tier (Id after its cursor) is a range read, not a sort of the tier.
        builder.HasIndex(m => new { m.MerchantId, m.PlanId, m.TierId, m.Status, m.Id });
        builder.HasIndex(m => new { m.MerchantId, m.JoinedAt });

        // Members outlive every edit of their plan: nothing they point at may be deleted under them.
        builder.HasOne<Customer>().WithMany().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<MembershipPlan>().WithMany().HasForeignKey(m => m.PlanId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Tier>().WithMany().HasForeignKey(m => m.TierId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<JoinChannel>().WithMany().HasForeignKey(m => m.JoinChannelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CardTemplateVersion>().WithMany().HasForeignKey(m => m.CardTemplateVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
