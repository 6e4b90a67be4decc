using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Grants;
using MerchantConsole.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantConsole.Data.Configurations;

// Grants: see ARCHITECTURE.md, "Grants and bulk issuance".

internal sealed class CouponGrantConfiguration : IEntityTypeConfiguration<CouponGrant>
{
    public void Configure(EntityTypeBuilder<CouponGrant> builder)
    {
        builder.ToTable("CouponGrants");
        builder.Property(g => g.Id).ValueGeneratedNever();
        builder.Property(g => g.TargetKind).HasConversion<string>().HasMaxLength(20);
        builder.Property(g => g.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(g => g.FileName).HasMaxLength(CouponGrant.MaxFileNameLength);
        builder.Property(g => g.RequestedBy).HasMaxLength(256);
        builder.Property(g => g.LastError).HasMaxLength(CouponGrant.ErrorMaxLength);
        builder.HasIndex(g => new { g.MerchantId, g.CouponActivityId, g.RequestedAt });
        // The sweeper looks for grants a dead process left Running.
        builder.HasIndex(g => new { g.Status, g.LeaseUntil });
        builder.HasOne<CouponActivity>().WithMany().HasForeignKey(g => g.CouponActivityId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(g => g.Done);
        builder.Ignore(g => g.Percent);
        builder.Ignore(g => g.IsFinished);
    }
}

internal sealed class CouponGrantRowConfiguration : IEntityTypeConfiguration<CouponGrantRow>
{
    public void Configure(EntityTypeBuilder<CouponGrantRow> builder)
    {
        builder.ToTable("CouponGrantRows");
        builder.HasKey(r => new { r.GrantId, r.Row });
        builder.Property(r => r.Reference).HasMaxLength(CouponGrantRow.MaxReferenceLength);
        builder.HasOne<CouponGrant>().WithMany().HasForeignKey(r => r.GrantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CouponGrantRefusalConfiguration : IEntityTypeConfiguration<CouponGrantRefusal>
{
    public void Configure(EntityTypeBuilder<CouponGrantRefusal> builder)
    {
        builder.ToTable("CouponGrantRefusals");
        builder.Property(r => r.Reference).HasMaxLength(CouponGrantRow.MaxReferenceLength);
        builder.Property(r => r.Code).HasMaxLength(100);
        builder.Property(r => r.EnglishText).HasMaxLength(500);
        builder.Property(r => r.Arguments).HasMaxLength(1000);
        builder.HasIndex(r => new { r.GrantId, r.Row });
        builder.HasOne<CouponGrant>().WithMany().HasForeignKey(r => r.GrantId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>A tier grant walks a tier's members in id order (keyset); this index serves that walk.</summary>
internal sealed class GrantMembershipIndexConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder) =>
        builder.HasIndex(m => new { m.MerchantId, m.PlanId, m.TierId, m.Id }).HasDatabaseName("IX_Memberships_Grant_Keyset");
}
